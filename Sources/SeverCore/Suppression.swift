/// An inline suppression comment, `/* sever: ignore[rule-id] reason */` or
/// `// sever: ignore[rule-a,rule-b] reason`, on a finding's line or the line above it. The
/// reason is required: a suppression without one suppresses nothing and is reported, so every
/// hidden finding has an explanation a reviewer can read (`--verbose` lists them).
///
/// Suppressions are facts of the file they are written in: extraction reads them from the same
/// contents libclang parses (a patch held in memory included), so every entry point honours the
/// same comments.
public struct Suppression: Codable, Sendable, Hashable {
  /// The rule ids in the brackets.
  public var ruleIDs: [String]
  /// The text after the brackets, trimmed; `nil` when there is none.
  public var reason: String?
  /// Where the comment is (column of `sever:`).
  public var location: SourceLocation

  /// Creates a suppression.
  public init(ruleIDs: [String], reason: String?, location: SourceLocation) {
    self.ruleIDs = ruleIDs
    self.reason = reason
    self.location = location
  }

  /// Whether the suppression names `ruleID`.
  public func covers(_ ruleID: String) -> Bool { ruleIDs.contains(ruleID) }

  /// Whether the suppression applies to a finding on `line`: it is written on that line or on
  /// the line above.
  public func applies(toLine line: Int) -> Bool {
    location.line == line || location.line == line - 1
  }

  /// Every suppression in a file's text, in line order.
  /// - parameter bytes: the file's contents.
  /// - parameter path: the file, for the locations.
  public static func scan(_ bytes: [UInt8], path: String) -> [Suppression] {
    let marker = Array("sever:".utf8)
    // Most files hold none: one search over the whole text decides.
    guard find(marker, in: bytes[...], from: 0) != nil else { return [] }
    var result: [Suppression] = []
    var line = 1
    var start = 0
    for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "\n") {
      var end = index
      if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
      let text = bytes[start..<end]
      if find(marker, in: text, from: text.startIndex) != nil {
        result += parse(line: Array(text), path: path, line: line)
      }
      line += 1
      start = index + 1
    }
    return result
  }

  /// The suppressions written on one source line. Only text inside a comment counts: after
  /// `//` or `/*`, or on a line of a block comment that starts with `*`.
  /// - parameter text: the line, without its newline.
  /// - parameter path: the file, for the locations.
  /// - parameter line: the 1-based line number.
  public static func parse(line text: String, path: String, line: Int) -> [Suppression] {
    parse(line: Array(text.utf8), path: path, line: line)
  }

  static func parse(line bytes: [UInt8], path: String, line: Int) -> [Suppression] {
    let marker = Array("sever:".utf8)
    let keyword = Array("ignore[".utf8)
    let space = UInt8(ascii: " ")
    let tab = UInt8(ascii: "\t")
    let firstNonBlank = bytes.firstIndex { $0 != space && $0 != tab }
    let blockCommentLine = firstNonBlank.map { bytes[$0] == UInt8(ascii: "*") } ?? false
    var result: [Suppression] = []
    var index = 0
    while let start = find(marker, in: bytes[...], from: index) {
      index = start + marker.count
      let before = bytes[..<start]
      let inComment =
        find(Array("//".utf8), in: before, from: 0) != nil
        || find(Array("/*".utf8), in: before, from: 0) != nil || blockCommentLine
      guard inComment else { continue }
      var cursor = index
      while cursor < bytes.count, bytes[cursor] == space { cursor += 1 }
      guard cursor + keyword.count <= bytes.count,
        bytes[cursor..<cursor + keyword.count].elementsEqual(keyword),
        let close = bytes[(cursor + keyword.count)...].firstIndex(of: UInt8(ascii: "]"))
      else { continue }
      let list = String(decoding: bytes[(cursor + keyword.count)..<close], as: UTF8.self)
      let ids = list.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
      // The reason ends where the comment does, or where another suppression starts.
      var rest = bytes[(close + 1)...]
      for end in [Array("*/".utf8), marker] {
        if let found = find(end, in: rest, from: rest.startIndex) { rest = rest[..<found] }
      }
      var reason = String(decoding: rest, as: UTF8.self).trimmingSpaces()
      while let first = reason.first, ":-–—".contains(first) {
        reason = String(reason.dropFirst()).trimmingSpaces()
      }
      result.append(
        Suppression(
          ruleIDs: ids, reason: reason.isEmpty ? nil : reason,
          location: SourceLocation(path: path, line: line, column: start + 1)))
      index = close + 1
    }
    return result
  }

  private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from start: Int)
    -> Int?
  {
    guard !needle.isEmpty, haystack.endIndex - start >= needle.count else { return nil }
    var index = start
    while index <= haystack.endIndex - needle.count {
      if haystack[index] == needle[0],
        haystack[index..<index + needle.count].elementsEqual(needle)
      {
        return index
      }
      index += 1
    }
    return nil
  }
}

extension StringProtocol {
  /// The text without leading and trailing blanks (spaces, tabs, carriage returns).
  func trimmingSpaces() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
    guard let first = firstIndex(where: { !isSpace($0) }),
      let last = lastIndex(where: { !isSpace($0) })
    else { return "" }
    return String(self[first...last])
  }
}
