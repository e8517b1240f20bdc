import Foundation

/// The RFC 5322 header block of one mail: unfolded, with RFC 2047 encoded words decoded.
struct MailHeaders: Sendable {
  private var fields: [(name: String, value: String)] = []

  /// Parses header lines (the block before the first empty line).
  init(lines: ArraySlice<String>) {
    for line in lines {
      if let first = line.first, first == " " || first == "\t", !fields.isEmpty {
        // A folded continuation line belongs to the previous field.
        fields[fields.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
      } else if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        fields.append((name, value))
      }
    }
  }

  /// The first value of a field, decoded; nil when absent or empty.
  subscript(name: String) -> String? {
    let key = name.lowercased()
    guard let value = fields.first(where: { $0.name == key })?.value, !value.isEmpty else {
      return nil
    }
    return Self.decodeEncodedWords(value)
  }

  /// Whether `line` looks like the start of a header field (`Name: value`).
  static func isField(_ line: String) -> Bool {
    guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { return false }
    return line[..<colon].allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
  }

  /// The message ids (`<…>`) in a `References:` or `In-Reply-To:` value, in order.
  static func messageIDs(in value: String?) -> [String] {
    guard let value else { return [] }
    var ids: [String] = []
    var current: String?
    for character in value {
      if character == "<" {
        current = "<"
      } else if character == ">", let open = current {
        ids.append(open + ">")
        current = nil
      } else if current != nil {
        current?.append(character)
      }
    }
    return ids
  }

  /// Decodes `=?charset?Q?…?=` and `=?charset?B?…?=` words (RFC 2047); whitespace between two
  /// adjacent encoded words is dropped, as the RFC says.
  static func decodeEncodedWords(_ value: String) -> String {
    guard value.contains("=?") else { return value }
    var result = ""
    var rest = Substring(value)
    var lastWasEncoded = false
    while let start = rest.range(of: "=?") {
      let before = rest[..<start.lowerBound]
      let afterStart = rest[start.upperBound...]
      guard let word = Self.encodedWord(afterStart) else {
        result += before + "=?"
        rest = afterStart
        lastWasEncoded = false
        continue
      }
      if !(lastWasEncoded && before.allSatisfy(\.isWhitespace)) { result += before }
      result += word.text
      rest = afterStart[word.end...]
      lastWasEncoded = true
    }
    return result + rest
  }

  private static func encodedWord(_ text: Substring) -> (text: String, end: Substring.Index)? {
    let parts = text.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
    guard parts.count == 4, parts[3].hasPrefix("="), !parts[2].contains(" ") else { return nil }
    let charset = parts[0].lowercased()
    let encoding = parts[1].uppercased()
    let payload = String(parts[2])
    let end = text.index(parts[3].startIndex, offsetBy: 1)
    var bytes: [UInt8]?
    if encoding == "B" {
      bytes = Data(base64Encoded: payload).map { [UInt8]($0) }
    } else if encoding == "Q" {
      bytes = quotedPrintable(payload)
    }
    guard let bytes else { return nil }
    let stringEncoding: String.Encoding =
      charset == "iso-8859-1" || charset == "latin1" ? .isoLatin1 : .utf8
    guard let decoded = String(bytes: bytes, encoding: stringEncoding) else { return nil }
    return (decoded, end)
  }

  private static func quotedPrintable(_ payload: String) -> [UInt8]? {
    var bytes: [UInt8] = []
    var iterator = Array(payload.utf8).makeIterator()
    while let byte = iterator.next() {
      switch byte {
      case UInt8(ascii: "_"): bytes.append(UInt8(ascii: " "))
      case UInt8(ascii: "="):
        guard let high = iterator.next(), let low = iterator.next(),
          let value = UInt8(String(bytes: [high, low], encoding: .ascii) ?? "", radix: 16)
        else { return nil }
        bytes.append(value)
      default: bytes.append(byte)
      }
    }
    return bytes
  }
}
