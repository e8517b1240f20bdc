#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `lstat` says about a path: Foundation's `attributesOfItem` also looks up owner and
/// group names for every file, which made walking a kernel tree take seconds.
public struct FileStatus: Sendable, Equatable, Hashable, Codable {
  /// The kind of file, without following a symbolic link.
  public enum Kind: UInt8, Sendable, Codable {
    case regular, directory, symbolicLink, other
  }

  /// The kind.
  public var kind: Kind
  /// Size in bytes.
  public var size: Int
  /// Modification time in nanoseconds since the epoch.
  public var modified: Int
  /// Inode number: a file replaced by another with the same size and time still differs.
  public var inode: UInt64

  /// A status from its fields (as a cache stored them).
  public init(kind: Kind, size: Int, modified: Int, inode: UInt64) {
    self.kind = kind
    self.size = size
    self.modified = modified
    self.inode = inode
  }

  /// The status of `path`, or nil when it cannot be read.
  public init?(path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    switch info.st_mode & S_IFMT {
    case S_IFREG: kind = .regular
    case S_IFDIR: kind = .directory
    case S_IFLNK: kind = .symbolicLink
    default: kind = .other
    }
    size = Int(info.st_size)
    #if canImport(Glibc)
      modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
    #else
      modified = Int(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int(info.st_mtimespec.tv_nsec)
    #endif
    inode = UInt64(info.st_ino)
  }
}
