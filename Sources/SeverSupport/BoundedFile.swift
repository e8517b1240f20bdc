import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Reads a whole file no larger than a bound, so that a huge file, `/dev/zero` or a FIFO given
/// where a small file belongs is refused with a message instead of exhausting memory or hanging.
/// Pipes and character devices are read up to the bound (`<(git diff)` works).
public enum BoundedFile {
  /// Why a file was not read; `description` completes "cannot read 'path': …".
  public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
    /// `open` or `read` failed; the system's reason.
    case unreadable(String)
    /// The path is a directory.
    case directory
    /// The file holds more than `limit` bytes (`bytes` is a lower bound for streams).
    case tooLarge(bytes: Int, limit: Int)

    public var description: String {
      switch self {
      case .unreadable(let reason): reason
      case .directory: "it is a directory, not a file"
      case .tooLarge(let bytes, let limit):
        "it holds \(BoundedFile.size(bytes)) or more, and sever reads at most "
          + "\(BoundedFile.size(limit)) from it"
      }
    }
  }

  /// The contents of `path`, at most `limit` bytes.
  public static func read(_ path: String, limit: Int) throws(Failure) -> Data {
    // O_NONBLOCK: opening a FIFO nobody writes to must not block; cleared once open.
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
    let type = info.st_mode & S_IFMT
    if type == S_IFDIR { throw .directory }
    if type == S_IFREG && Int(info.st_size) > limit {
      throw .tooLarge(bytes: Int(info.st_size), limit: limit)
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while data.count <= limit {
      let count = buffer.withUnsafeMutableBytes { raw in
        Glibc.read(fd, raw.baseAddress, min(raw.count, limit + 1 - data.count))
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw .unreadable(String(cString: strerror(errno)))
      }
      if count == 0 { break }
      data.append(contentsOf: buffer[0..<count])
    }
    if data.count > limit { throw .tooLarge(bytes: data.count, limit: limit) }
    return data
  }

  /// `bytes` in the largest whole unit, for messages.
  static func size(_ bytes: Int) -> String {
    if bytes >= 1 << 20 { return "\(bytes >> 20) MiB" }
    if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
    return "\(bytes) bytes"
  }
}
