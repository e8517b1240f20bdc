/// A callback path that drops its active reference before it is done with `of->priv`
/// (`kernfs_break_active_protection`, directly or through `cgroup_kn_lock_live`; K9, C3).
public struct ActiveProtectionBreak: Codable, Sendable, Hashable {
  /// The callback that contains the path (`pressure_write` is a `write`).
  public var path: CallbackKind
  /// Whether the path re-reads `of->priv` after taking the lock that `release` runs under
  /// (`cgroup_mutex` for cgroup, the open-file mutex for plain kernfs); if false it keeps using
  /// the pointer it read while still protected (the 2026 bug, a5b98009f16d).
  public var rereadsUnderLock: Bool
  /// Whether the path tests the pointer for NULL before using it; meaningful only if it re-reads
  /// and `release` clears the pointer (94a4acfec146).
  public var nullChecks: Bool

  /// Creates a description of the path.
  public init(path: CallbackKind = .write, rereadsUnderLock: Bool, nullChecks: Bool) {
    self.path = path
    self.rereadsUnderLock = rereadsUnderLock
    self.nullChecks = nullChecks
  }

  private enum CodingKeys: String, CodingKey {
    case path, rereadsUnderLock, nullChecks
  }

  /// Decodes a path; `path` defaults to `write`, the two flags must be given.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      path: try c.decodeIfPresent(CallbackKind.self, forKey: .path) ?? .write,
      rereadsUnderLock: try c.decode(Bool.self, forKey: .rereadsUnderLock),
      nullChecks: try c.decode(Bool.self, forKey: .nullChecks))
  }
}
