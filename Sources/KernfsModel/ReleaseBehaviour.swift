/// What a `release` callback does to the state the model tracks (K5, K9, K10, D2).
public struct ReleaseBehaviour: Codable, Sendable, Hashable {
  /// A lock `release` may take (K10): both are held by the remover when kernfs severs.
  public enum Lock: String, Codable, Sendable, Hashable, CaseIterable {
    /// The hashed `kernfs_open_file_mutex_ptr(kn)` held by `kernfs_drain_open_files` and
    /// `kernfs_fop_release` around `->release`.
    case openFileMutex
    /// `cgroup_mutex`, held by `cgroup_rmdir` and `cgroup_file_show` while they sever.
    case cgroupMutex

    /// The lock's name in the kernel.
    public var kernelName: String {
      switch self {
      case .openFileMutex: "kernfs_open_file_mutex"
      case .cgroupMutex: "cgroup_mutex"
      }
    }
  }

  /// Whether `release` frees the `of->priv` object (`cgroup_file_release` frees `ctx`).
  public var freesPriv: Bool
  /// Whether `release` also sets `of->priv = NULL` (94a4acfec146).
  public var clearsPriv: Bool
  /// Whether `release` dereferences `inode->i_private` (debugfs, D2).
  public var usesInodePrivate: Bool
  /// Locks `release` takes itself.
  public var takesLocks: [Lock]

  /// Creates a release behaviour.
  public init(
    freesPriv: Bool = true, clearsPriv: Bool = false, usesInodePrivate: Bool = false,
    takesLocks: [Lock] = []
  ) {
    self.freesPriv = freesPriv
    self.clearsPriv = clearsPriv
    self.usesInodePrivate = usesInodePrivate
    self.takesLocks = takesLocks
  }

  private enum CodingKeys: String, CodingKey {
    case freesPriv, clearsPriv, usesInodePrivate, takesLocks
  }

  /// Decodes a release behaviour; absent keys take the defaults of `init`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      freesPriv: try c.decodeIfPresent(Bool.self, forKey: .freesPriv) ?? true,
      clearsPriv: try c.decodeIfPresent(Bool.self, forKey: .clearsPriv) ?? false,
      usesInodePrivate: try c.decodeIfPresent(Bool.self, forKey: .usesInodePrivate) ?? false,
      takesLocks: try c.decodeIfPresent([Lock].self, forKey: .takesLocks) ?? [])
  }
}
