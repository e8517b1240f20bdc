/// What a `poll` handler does: which waitqueue head it passes to `poll_wait` and how its owner
/// wakes and frees it (contract.md K6-K8, C2, P2, D3, M3).
public struct PollBehaviour: Codable, Sendable, Hashable {
  /// Who owns the head passed to `poll_wait`, which decides how long it lives.
  public enum HeadOwner: String, Codable, Sendable, Hashable, CaseIterable {
    /// The framework's `on->poll` (`kernfs_generic_poll`), freed only when the last open file
    /// of the node is closed (`kernfs_unlink_open_file`). Safe by construction.
    case framework
    /// The per-open-file object in `of->priv` / `file->private_data` (PSI's trigger before
    /// aff037078eca): freed when `release` (or the late callback) frees it.
    case priv
    /// A static object of the module: gone when the module is unloaded.
    case moduleStatic
    /// An object tied to a task or thread (`sighand->signalfd_wqh`, `binder_thread->wait`):
    /// freed whenever the task exits.
    case task
    /// The object behind the node (`inode->i_private`, the device): freed by its driver after
    /// the node is removed.
    case nodeData
    /// A built-in object that is never freed.
    case permanent
  }

  /// How the owner wakes pollers before freeing the head.
  public enum WakeUp: String, Codable, Sendable, Hashable, CaseIterable {
    /// `kernfs_notify`/`sysfs_notify`/`cgroup_file_notify` on the framework head (K7).
    case kernfsNotify
    /// A plain `wake_up*`: nothing detaches waiters before the head is freed.
    case wakeUp
    /// `wake_up_pollfree` plus an RCU-delayed free: detaches epoll waiters, not select/poll (K8).
    case wakeUpPollfree
  }

  /// The head's owner.
  public var head: HeadOwner
  /// How the owner wakes pollers before it frees the head.
  public var wakeUp: WakeUp

  /// Creates a poll behaviour.
  public init(head: HeadOwner = .framework, wakeUp: WakeUp = .kernfsNotify) {
    self.head = head
    self.wakeUp = wakeUp
  }

  private enum CodingKeys: String, CodingKey {
    case head, wakeUp
  }

  /// Decodes a poll behaviour; absent keys take the defaults of `init`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      head: try c.decodeIfPresent(HeadOwner.self, forKey: .head) ?? .framework,
      wakeUp: try c.decodeIfPresent(WakeUp.self, forKey: .wakeUp) ?? .kernfsNotify)
  }
}
