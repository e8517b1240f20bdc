import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A cache file that can tell whether it is whole: a header line with the length and checksum
/// of the payload, then the payload, written by `AtomicFile` (a unique temporary name, then
/// `rename`). A file cut short, grown, or changed in place fails the check, and its user
/// rebuilds the entry instead of trusting it.
///
/// ```
/// sever-cache-1 48213 9c1f0e5a7b3d2e11
/// {"facts":[…]}
/// ```
public enum CacheFile {
  /// What reading a cache file found.
  public enum Contents: Sendable, Equatable {
    /// No such file: an ordinary miss.
    case missing
    /// A file that is not a whole entry, and why.
    case damaged(reason: String)
    /// The payload of a whole entry.
    case valid(Data)
  }

  /// The first word of the header; a change of the layout changes it.
  static let magic = "sever-cache-1"

  /// Writes `payload` under a header atomically; returns whether it was written (a failure
  /// only costs the next run the work the file would have saved).
  @discardableResult
  public static func write(_ payload: Data, to path: String) -> Bool {
    let header = "\(magic) \(payload.count) \(Checksum.hex(payload))\n"
    return AtomicFile.write(Data(header.utf8) + payload, to: path)
  }

  /// Reads and checks a cache file.
  public static func read(_ path: String) -> Contents {
    if let data = FileManager.default.contents(atPath: path) { return open(data) }
    // Another run may publish the entry between the failed read and the check (its rename
    // lands in between): a file that is there now is read once more before it is called
    // damaged.
    guard FileStatus(path: path) != nil else { return .missing }
    if let data = FileManager.default.contents(atPath: path) { return open(data) }
    return FileStatus(path: path) == nil ? .missing : .damaged(reason: "it cannot be read")
  }

  /// Checks the bytes of a cache file and returns its payload.
  public static func open(_ data: Data) -> Contents {
    // The header is short; a file without a newline early on is not one of ours.
    guard let newline = data.prefix(128).firstIndex(of: UInt8(ascii: "\n")) else {
      return .damaged(reason: "it has no header")
    }
    let fields = String(decoding: data[data.startIndex..<newline], as: UTF8.self)
      .split(separator: " ")
    guard fields.count == 3, fields[0] == magic, let length = Int(fields[1]) else {
      return .damaged(reason: "its header is not sever's")
    }
    let payload = data[data.index(after: newline)...]
    guard payload.count == length else {
      return .damaged(reason: "it holds \(payload.count) bytes where its header says \(length)")
    }
    guard Checksum.hex(payload) == fields[2] else {
      return .damaged(reason: "its checksum does not match its contents")
    }
    return .valid(Data(payload))
  }

  /// The payload of a whole cache file; nil for a missing one, and for a damaged one, which is
  /// discarded with a warning (`what` names it: "facts entry").
  public static func validContents(_ path: String, describing what: String) -> Data? {
    switch read(path) {
    case .missing: return nil
    case .valid(let payload): return payload
    case .damaged(let reason):
      discardDamaged(path, what: what, reason: reason)
      return nil
    }
  }

  /// Says on standard error that a cache entry was damaged and is rebuilt, and removes it so
  /// that the next run does not find it again if this one cannot rebuild it. Concurrent runs
  /// publish whole entries by renaming, so a damaged entry is never one being written.
  public static func discardDamaged(_ path: String, what: String, reason: String) {
    unlink(path)
    warn("the \(what) '\(path)' in the cache is damaged (\(reason)); it is rebuilt")
  }

  /// Writes `sever: warning: <message>` to standard error: cache damage is not part of any
  /// report (the output must not depend on the state of the cache), but the user should know.
  public static func warn(_ message: String) {
    FileHandle.standardError.write(Data("sever: warning: \(message)\n".utf8))
  }
}

/// A fast 64-bit checksum of bytes (FNV-1a style over 8-byte words, the length mixed in), as
/// 16 hex digits: for content hashes and cache checksums, which must be cheap over megabytes.
/// Not cryptographic: it detects damage, it defends against no one.
public enum Checksum {
  /// The checksum of `bytes`.
  public static func hex<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
    for region in bytes.regions {
      region.withUnsafeBytes { buffer in
        var offset = 0
        while offset + 8 <= buffer.count {
          hash =
            (hash ^ buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            &* 0x100_0000_01b3
          hash ^= hash >> 29
          offset += 8
        }
        while offset < buffer.count {
          hash = (hash ^ UInt64(buffer[offset])) &* 0x100_0000_01b3
          offset += 1
        }
      }
    }
    let digits = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
