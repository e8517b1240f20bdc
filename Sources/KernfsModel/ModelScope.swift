/// How a poller waits, which decides what happens when the head it waits on is freed (K8).
public enum PollMode: String, Codable, Sendable, Hashable, CaseIterable {
  /// Synchronous `select()`/`poll()`: entries are removed by `poll_freewait`, which ignores
  /// POLLFREE, and the task holds a file reference while it sleeps.
  case select
  /// `epoll`: entries are removed by `ep_remove_wait_queue` (or detached by POLLFREE); the
  /// epitem holds no file reference and is dropped by `eventpoll_release` at last fput.
  case epoll
}

/// The bounds of an exploration: one node, one module, and these open files and pollers.
public struct ModelScope: Codable, Sendable, Hashable {
  /// Number of open files of the node (`F1`, `F2`, …).
  public var files: Int
  /// One poller per entry, in order (`P1`, `P2`, …), each polling one file once.
  public var pollers: [PollMode]
  /// A safety valve: exploration stops (incomplete) after this many states.
  public var maxStates: Int

  /// Creates a scope; the default is the one the contract asks for: 2 files, a select poller
  /// and an epoll poller.
  public init(files: Int = 2, pollers: [PollMode] = [.select, .epoll], maxStates: Int = 2_000_000) {
    // Indices are stored in Int8 slots inside the state; more would also explode the space.
    self.files = min(max(files, 1), 4)
    self.pollers = Array(pollers.prefix(4))
    self.maxStates = max(maxStates, 1)
  }

  private enum CodingKeys: String, CodingKey {
    case files, pollers, maxStates
  }

  /// Decodes a scope through `init`, so decoded bounds are clamped like constructed ones.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      files: try c.decodeIfPresent(Int.self, forKey: .files) ?? 2,
      pollers: try c.decodeIfPresent([PollMode].self, forKey: .pollers) ?? [.select, .epoll],
      maxStates: try c.decodeIfPresent(Int.self, forKey: .maxStates) ?? 2_000_000)
  }

  /// The scope of issue 3: 2 files, 2 pollers (select and epoll), 1 node, 1 module.
  public static let standard = ModelScope()
}
