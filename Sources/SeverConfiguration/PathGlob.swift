/// A path pattern from `exclude:`: `*` matches within one path component, `?` one character of
/// a component, `**` any number of components (`drivers/**/test_*.c`). A pattern that names a
/// directory excludes everything under it, so `drivers/staging` and `drivers/staging/**` mean
/// the same.
public struct PathGlob: Sendable, Hashable, CustomStringConvertible {
  /// The pattern as written.
  public let pattern: String
  private let bytes: [UInt8]

  /// Creates a glob; a trailing `/` is ignored.
  public init(_ pattern: String) {
    var trimmed = pattern
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
    if trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
    self.pattern = trimmed
    bytes = Array(trimmed.utf8)
  }

  public var description: String { pattern }

  /// Whether the pattern matches `path` or one of the directories above it.
  public func matches(_ path: String) -> Bool {
    let subject = Array(path.utf8)
    if Self.match(bytes, 0, subject, 0) { return true }
    for (index, byte) in subject.enumerated() where byte == UInt8(ascii: "/") && index > 0 {
      if Self.match(bytes, 0, Array(subject[..<index]), 0) { return true }
    }
    return false
  }

  private static let slash = UInt8(ascii: "/")
  private static let star = UInt8(ascii: "*")
  private static let question = UInt8(ascii: "?")

  // Backtracking matcher; patterns are short and few, so the worst case does not matter.
  private static func match(_ p: [UInt8], _ i: Int, _ s: [UInt8], _ j: Int) -> Bool {
    if i == p.count { return j == s.count }
    if p[i] == star, i + 1 < p.count, p[i + 1] == star {
      // `**/` may also stand for no directory at all: `a/**/b` matches `a/b`.
      if i + 2 < p.count, p[i + 2] == slash, match(p, i + 3, s, j) { return true }
      var k = j
      while k <= s.count {
        if match(p, i + 2, s, k) { return true }
        k += 1
      }
      return false
    }
    if p[i] == star {
      var k = j
      while true {
        if match(p, i + 1, s, k) { return true }
        if k == s.count || s[k] == slash { return false }
        k += 1
      }
    }
    guard j < s.count else { return false }
    if p[i] == question { return s[j] != slash && match(p, i + 1, s, j + 1) }
    return p[i] == s[j] && match(p, i + 1, s, j + 1)
  }
}
