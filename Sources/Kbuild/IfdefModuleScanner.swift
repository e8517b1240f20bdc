import Foundation

/// Finds a literal `#ifdef MODULE`, `#ifndef MODULE` or `#if … defined(MODULE)` in C source:
/// the compile-time test the kernel itself uses for built-in versus module code
/// (`PROC_ENTRY_PERMANENT` in include/linux/proc_fs.h).
enum IfdefModuleScanner {
  /// Returns whether the file exists and whether it holds such a directive.
  static func scan(_ data: Data?) -> (exists: Bool, hasIfdefModule: Bool) {
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
    let count = bytes.count
    var i = 0
    while i + word.count <= count {
      // Cheap filter: only look closer at "MODULE" as a whole word.
      if bytes[i] == 0x4D, bytes[i + 1] == 0x4F, bytes[i + 2] == 0x44, bytes[i + 3] == 0x55,
        bytes[i + 4] == 0x4C, bytes[i + 5] == 0x45,
        i == 0 || !isIdentifier(bytes[i - 1]),
        i + 6 == count || !isIdentifier(bytes[i + 6]),
        isConditionalLine(bytes, at: i)
      {
        return true
      }
      i += 1
    }
    return false
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
