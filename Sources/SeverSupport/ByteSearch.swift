#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Substring search over bytes with the C library's `memchr` and `memcmp`: Foundation's `Data.range(of:)`
/// is byte-by-byte in swift-corelibs and made the text prefilter the slowest step of a warm run.
public struct ByteSearch: Sendable {
  private let needles: [[UInt8]]

  /// A search for any of these words.
  public init(_ words: [String]) { needles = words.map { Array($0.utf8) } }

  /// Whether any word occurs in `bytes`.
  public func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
    let end = base + bytes.count
    return needles.contains { needle in
      needle.withUnsafeBytes { word in
        guard let wordBase = word.baseAddress, let first = needle.first else { return false }
        // memchr finds candidates for the first byte at memory speed; memcmp confirms.
        var cursor = base
        while end - cursor >= word.count {
          guard let hit = memchr(cursor, CInt(first), end - cursor) else { return false }
          let position = UnsafeRawPointer(hit)
          if end - position < word.count { return false }
          if memcmp(position, wordBase, word.count) == 0 { return true }
          cursor = position + 1
        }
        return false
      }
    }
  }

  /// Whether any word occurs in `bytes`.
  public func matches(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { matches($0) } }
}
