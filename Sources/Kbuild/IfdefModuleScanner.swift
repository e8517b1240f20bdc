import Foundation

/// Finds a literal `#ifdef MODULE`, `#ifndef MODULE` or `#if … defined(MODULE)` in C source:
/// the compile-time test the kernel itself uses for built-in versus module code
/// (`PROC_ENTRY_PERMANENT` in include/linux/proc_fs.h).
public enum IfdefModuleScanner {
  /// Returns whether the file exists and whether it holds such a directive.
  public static func scan(_ data: Data?) -> (exists: Bool, hasIfdefModule: Bool) {
    guard let data else { return (false, false) }
    let found = data.withUnsafeBytes { raw -> Bool in
      let bytes = raw.bindMemory(to: UInt8.self)
      return containsDirective(bytes)
    }
    return (true, found)
  }

  private static func isIdentifier(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
  }

  private static let word: [UInt8] = Array("MODULE".utf8)

  private static func containsDirective(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    let count = bytes.count
    var i = 0
    while let offset = find(word, in: base + i, count: count - i) {
      let at = i + offset
      if at == 0 || !isIdentifier(bytes[at - 1]),
        at + word.count == count || !isIdentifier(bytes[at + word.count]),
        isConditionalLine(bytes, at: at)
      {
        return true
      }
      i = at + 1
    }
    return false
  }

  /// Offset of `needle` in the buffer, by memchr on its first byte (vectorised in libc).
  static func find(_ needle: [UInt8], in base: UnsafePointer<UInt8>, count: Int) -> Int? {
    guard let first = needle.first, count >= needle.count else { return nil }
    var start = 0
    while start + needle.count <= count {
      guard let hit = memchr(base + start, Int32(first), count - start - needle.count + 1) else {
        return nil
      }
      let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
      if memcmp(base + at, needle, needle.count) == 0 { return at }
      start = at + 1
    }
    return nil
  }

  /// Whether the line holding offset `at` is `#if…`/`#elif` (MODULE as a word on it).
  private static func isConditionalLine(_ bytes: UnsafeBufferPointer<UInt8>, at: Int) -> Bool {
    var start = at
    while start > 0 && bytes[start - 1] != 0x0A { start -= 1 }
    while start < at && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
    guard start < at, bytes[start] == 0x23 else { return false }
    start += 1
    while start < at && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
    var directive: [UInt8] = []
    while start < at && isIdentifier(bytes[start]) {
      directive.append(bytes[start])
      start += 1
    }
    let name = String(decoding: directive, as: UTF8.self)
    return ["ifdef", "ifndef", "if", "elif", "elifdef", "elifndef"].contains(name)
  }
}
