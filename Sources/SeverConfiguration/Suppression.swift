import Foundation
import SeverCore

/// An inline suppression comment, `/* sever: ignore[rule-id] reason */` or
/// `// sever: ignore[rule-a,rule-b] reason`, on a finding's line or the line above it. The
/// reason is required: a suppression without one suppresses nothing and is reported, so every
/// hidden finding has an explanation a reviewer can read (`--verbose` lists them).
public struct Suppression: Sendable, Hashable {
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

  /// The suppressions written on one source line. Only text inside a comment counts: after
  /// `//` or `/*`, or on a line of a block comment that starts with `*`.
  /// - parameter text: the line, without its newline.
  /// - parameter path: the file, for the locations.
  /// - parameter line: the 1-based line number.
  public static func parse(line text: String, path: String, line: Int) -> [Suppression] {
    let bytes = Array(text.utf8)
    let marker = Array("sever:".utf8)
    var result: [Suppression] = []
    var index = 0
    let trimmedStart = text.drop { $0 == " " || $0 == "\t" }
    while let start = find(marker, in: bytes, from: index) {
      index = start + marker.count
      let before = String(decoding: bytes[..<start], as: UTF8.self)
      guard before.contains("//") || before.contains("/*") || trimmedStart.hasPrefix("*") else {
        continue
      }
      var cursor = index
      while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
      let keyword = Array("ignore[".utf8)
      guard cursor + keyword.count <= bytes.count,
        Array(bytes[cursor..<cursor + keyword.count]) == keyword,
        let close = bytes[(cursor + keyword.count)...].firstIndex(of: UInt8(ascii: "]"))
      else { continue }
      let list = String(decoding: bytes[(cursor + keyword.count)..<close], as: UTF8.self)
      let ids = list.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
      var rest = String(decoding: bytes[(close + 1)...], as: UTF8.self)
      // The reason ends where the comment does, or where another suppression starts.
      for end in ["*/", "sever:"] {
        if let range = rest.range(of: end) { rest = String(rest[..<range.lowerBound]) }
      }
      var reason = rest.trimmingSpaces()
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

  private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard needle.count <= haystack.count, start <= haystack.count - needle.count else {
      return nil
    }
    for index in start...(haystack.count - needle.count)
    where haystack[index..<index + needle.count].elementsEqual(needle) {
      return index
    }
    return nil
  }
}

extension StringProtocol {
  func trimmingSpaces() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
    guard let first = firstIndex(where: { !isSpace($0) }),
      let last = lastIndex(where: { !isSpace($0) })
    else { return "" }
    return String(self[first...last])
  }
}
