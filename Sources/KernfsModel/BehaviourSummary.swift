/// What one callback table does, as far as the lifecycle contract cares: the stable input of the
/// reference model. The rules produce it from C; fixtures and `sever model check` read it from
/// JSON, where every key except `framework` may be omitted and takes the default shown here.
public struct BehaviourSummary: Codable, Sendable, Hashable {
  /// When the framework calls a hook other than `release` (Suren's v1 `kernfs_ops.free`).
  public enum LateCallback: String, Codable, Sendable, Hashable, CaseIterable {
    /// Nothing but `release` (the contract).
    case none
    /// A hook called from `kernfs_fop_release` at last fput, even after severing and rmmod.
    case atLastFput
  }

  /// A short name for messages (`psi-select-2023`).
  public var name: String
  /// Free text: where the summary comes from.
  public var note: String?
  /// The framework that dispatches the table.
  public var framework: Framework
  /// The callbacks the table provides.
  public var callbacks: Set<CallbackKind>
  /// Whether the table's code can be built as a module (Kbuild says `tristate`).
  public var canBeModule: Bool
  /// Whether kernfs refuses ops on released files (`kernfs_get_active_of`, 3c9ba2777d6c, 2025);
  /// false models older kernels. Ignored outside kernfs, cgroup and sysfs.
  public var releasedFileCheck: Bool
  /// Whether `fops->owner = THIS_MODULE` is set (debugfs and plain `file_operations`, D1/M1).
  public var ownerPinned: Bool
  /// Whether `open` allocates a per-file object into `of->priv` / `file->private_data`.
  public var openAllocatesPriv: Bool
  /// What `release` does; used only when `callbacks` contains `.release`.
  public var release: ReleaseBehaviour
  /// What `poll` does; used when `callbacks` contains `.poll`, or for kernfs's default poll.
  public var poll: PollBehaviour
  /// Whether the framework calls something after `release` (the rejected `->free`).
  public var lateCallback: LateCallback
  /// A path that breaks active protection and then uses `of->priv`, if any.
  public var activeProtectionBreak: ActiveProtectionBreak?

  /// Creates a summary; the defaults describe a contract-following kernfs user.
  public init(
    name: String = "summary", note: String? = nil, framework: Framework,
    callbacks: Set<CallbackKind> = [.open, .release, .seqShow],
    canBeModule: Bool = false, releasedFileCheck: Bool = true, ownerPinned: Bool = true,
    openAllocatesPriv: Bool = true, release: ReleaseBehaviour = ReleaseBehaviour(),
    poll: PollBehaviour = PollBehaviour(), lateCallback: LateCallback = .none,
    activeProtectionBreak: ActiveProtectionBreak? = nil
  ) {
    self.name = name
    self.note = note
    self.framework = framework
    self.callbacks = callbacks
    self.canBeModule = canBeModule
    self.releasedFileCheck = releasedFileCheck
    self.ownerPinned = ownerPinned
    self.openAllocatesPriv = openAllocatesPriv
    self.release = release
    self.poll = poll
    self.lateCallback = lateCallback
    self.activeProtectionBreak = activeProtectionBreak
  }

  private enum CodingKeys: String, CodingKey {
    case name, note, framework, callbacks, canBeModule, releasedFileCheck, ownerPinned
    case openAllocatesPriv, release, poll, lateCallback, activeProtectionBreak
  }

  /// Decodes a summary, filling every absent key except `framework` with its default.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let defaults = BehaviourSummary(framework: try c.decode(Framework.self, forKey: .framework))
    self = defaults
    name = try c.decodeIfPresent(String.self, forKey: .name) ?? defaults.name
    note = try c.decodeIfPresent(String.self, forKey: .note)
    callbacks =
      try c.decodeIfPresent(Set<CallbackKind>.self, forKey: .callbacks) ?? defaults.callbacks
    canBeModule = try c.decodeIfPresent(Bool.self, forKey: .canBeModule) ?? defaults.canBeModule
    releasedFileCheck =
      try c.decodeIfPresent(Bool.self, forKey: .releasedFileCheck) ?? defaults.releasedFileCheck
    ownerPinned = try c.decodeIfPresent(Bool.self, forKey: .ownerPinned) ?? defaults.ownerPinned
    openAllocatesPriv =
      try c.decodeIfPresent(Bool.self, forKey: .openAllocatesPriv) ?? defaults.openAllocatesPriv
    release = try c.decodeIfPresent(ReleaseBehaviour.self, forKey: .release) ?? defaults.release
    poll = try c.decodeIfPresent(PollBehaviour.self, forKey: .poll) ?? defaults.poll
    lateCallback =
      try c.decodeIfPresent(LateCallback.self, forKey: .lateCallback) ?? defaults.lateCallback
    activeProtectionBreak = try c.decodeIfPresent(
      ActiveProtectionBreak.self, forKey: .activeProtectionBreak)
  }

  /// Encodes every key, sorted callbacks first, so that files written by tools are stable.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(name, forKey: .name)
    try c.encodeIfPresent(note, forKey: .note)
    try c.encode(framework, forKey: .framework)
    try c.encode(callbacks.sorted(), forKey: .callbacks)
    try c.encode(canBeModule, forKey: .canBeModule)
    try c.encode(releasedFileCheck, forKey: .releasedFileCheck)
    try c.encode(ownerPinned, forKey: .ownerPinned)
    try c.encode(openAllocatesPriv, forKey: .openAllocatesPriv)
    try c.encode(release, forKey: .release)
    try c.encode(poll, forKey: .poll)
    try c.encode(lateCallback, forKey: .lateCallback)
    try c.encodeIfPresent(activeProtectionBreak, forKey: .activeProtectionBreak)
  }

  /// Whether files of this table can be polled at all (a `poll` callback, or kernfs's default).
  public var isPollable: Bool { callbacks.contains(.poll) || framework.hasDefaultPoll }

  /// The head pollers wait on: the handler's, or `on->poll` for kernfs's default poll.
  public var effectiveHead: PollBehaviour.HeadOwner {
    callbacks.contains(.poll) ? poll.head : .framework
  }

  /// Contradictions that make the summary meaningless, each as an actionable sentence; empty
  /// when the model can explore it.
  public func problems() -> [String] {
    var found: [String] = []
    if framework == .sysfs, callbacks.contains(.release) || callbacks.contains(.poll) {
      found.append(
        "sysfs attributes have no release or poll hook (S3); use framework \"kernfs\" instead.")
    }
    if framework.isKernfsBased, callbacks.contains(.ioctl) {
      found.append(
        "kernfs_file_fops has no ioctl, so \(framework.rawValue) tables cannot have one; "
          + "remove \"ioctl\" from callbacks.")
    }
    if lateCallback == .atLastFput, !framework.isKernfsBased {
      found.append(
        "lateCallback \"atLastFput\" exists only as the proposed kernfs_ops.free; "
          + "set it to \"none\" or use framework \"kernfs\" or \"cgroup\".")
    }
    if isPollable, callbacks.contains(.poll), !openAllocatesPriv, poll.head == .priv {
      found.append(
        "poll.head is \"priv\" but openAllocatesPriv is false; allocate of->priv at open "
          + "or choose another head owner.")
    }
    if poll.head == .framework, callbacks.contains(.poll), !framework.isKernfsBased {
      found.append(
        "poll.head \"framework\" means kernfs's on->poll, which \(framework.rawValue) lacks; "
          + "choose the object that really owns the head.")
    }
    if let path = activeProtectionBreak?.path {
      if !framework.isKernfsBased {
        found.append(
          "activeProtectionBreak exists only in kernfs-based frameworks; remove it for "
            + "\(framework.rawValue).")
      }
      if !path.isPlainOp || !callbacks.contains(path) {
        found.append(
          "activeProtectionBreak.path \"\(path.rawValue)\" must be one of the table's plain "
            + "callbacks (read, write, seqShow, mmap, llseek, ioctl).")
      }
      if !openAllocatesPriv {
        found.append(
          "activeProtectionBreak needs of->priv; set openAllocatesPriv to true or drop the path.")
      }
    }
    return found
  }
}
