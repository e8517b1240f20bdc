import Foundation

/// Writes RFC 5322 header fields for a reply: address lists split and de-duplicated, non-ASCII
/// text as RFC 2047 encoded words (`=?UTF-8?B?…?=`), and lines folded before 78 columns, so
/// that `git send-email` and every mail server take them as they are.
enum MailHeaderWriter {
  /// The addresses of a `To:`/`Cc:` value, split at the commas outside quotes, comments and
  /// angle brackets; empty entries dropped.
  static func addresses(_ value: String?) -> [String] {
    guard let value else { return [] }
    var result: [String] = []
    var current = ""
    var quoted = false
    var depth = 0
    var angle = false
    var previous: Character = " "
    for character in value {
      switch character {
      case "\"" where previous != "\\": quoted.toggle()
      case "(" where !quoted: depth += 1
      case ")" where !quoted && depth > 0: depth -= 1
      case "<" where !quoted: angle = true
      case ">" where !quoted: angle = false
      default: break
      }
      if character == "," && !quoted && depth == 0 && !angle {
        result.append(current)
        current = ""
      } else {
        current.append(character)
      }
      previous = character
    }
    result.append(current)
    return result.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  /// The bare address of `Name <a@b>` or `a@b`, lowercased, for comparing recipients.
  static func bareAddress(_ address: String) -> String {
    if let open = address.lastIndex(of: "<"), let close = address.lastIndex(of: ">"),
      open < close
    {
      return address[address.index(after: open)..<close].lowercased()
    }
    return address.trimmingCharacters(in: .whitespaces).lowercased()
  }

  /// `addresses` without repeats and without any in `excluded` (bare addresses).
  static func unique(_ addresses: [String], excluding excluded: Set<String>) -> [String] {
    var seen = excluded
    return addresses.filter { seen.insert(bareAddress($0)).inserted }
  }

  /// One header field, encoded and folded, as lines (continuation lines start with a space).
  static func field(_ name: String, _ value: String) -> [String] {
    field(name, words: isASCII(value) ? plainWords(value) : encodedWords(value))
  }

  /// An address-list field: each address's display name encoded when it is not ASCII, folded
  /// after the commas.
  static func addressField(_ name: String, _ addresses: [String]) -> [String] {
    // Each address is one unit, folded only between addresses.
    let units = addresses.enumerated().map { index, address in
      (isASCII(address) ? address : encodedAddress(address).joined(separator: " "))
        + (index < addresses.count - 1 ? "," : "")
    }
    return field(name, words: units)
  }

  /// Whether every scalar of `text` is printable ASCII or a space.
  static func isASCII(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
  }

  private static func field(_ name: String, words: [String]) -> [String] {
    var lines: [String] = []
    var current = name + ":"
    for word in words {
      if current.count + 1 + word.count > 78 && current != name + ":" {
        lines.append(current)
        current = " " + word
      } else {
        current += " " + word
      }
    }
    lines.append(current)
    return lines
  }

  private static func plainWords(_ text: String) -> [String] {
    text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
  }

  /// `Zoë Example <zoe@example.org>` as an encoded display name and the plain address.
  private static func encodedAddress(_ address: String) -> [String] {
    guard let open = address.lastIndex(of: "<") else { return encodedWords(address) }
    var name = address[..<open].trimmingCharacters(in: .whitespaces)
    if name.hasPrefix("\"") && name.hasSuffix("\"") && name.count >= 2 {
      name = String(name.dropFirst().dropLast())
    }
    return encodedWords(name) + [String(address[open...])]
  }

  /// Text as base64 encoded words of at most 75 characters, split between scalars (RFC 2047
  /// §5: an encoded word must hold whole characters).
  static func encodedWords(_ text: String) -> [String] {
    var words: [String] = []
    var chunk: [UInt8] = []
    for scalar in text.unicodeScalars {
      let bytes = Array(String(scalar).utf8)
      // 36 bytes are 48 base64 characters: with `=?UTF-8?B?` and `?=`, 60 columns, which fit
      // after a field name on the first line.
      if chunk.count + bytes.count > 36 {
        words.append(encodedWord(chunk))
        chunk = []
      }
      chunk += bytes
    }
    if !chunk.isEmpty { words.append(encodedWord(chunk)) }
    return words
  }

  private static func encodedWord(_ bytes: [UInt8]) -> String {
    "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
  }

  /// An RFC 5322 date (`Thu, 26 Nov 2026 11:00:00 +0000`), in UTC.
  static func date(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
    return formatter.string(from: date)
  }
}
