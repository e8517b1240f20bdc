import Foundation

/// Undoes a mail body's `Content-Transfer-Encoding`: mailers other than git send-email and b4
/// may send a patch as quoted-printable or base64. `7bit`, `8bit` and `binary` bodies pass.
enum MailBody {
  /// The body lines, decoded.
  static func decode(_ body: ArraySlice<String>, transferEncoding: String?, name: String)
    throws(ReviewError) -> ArraySlice<String>
  {
    switch transferEncoding?.lowercased().trimmingCharacters(in: .whitespaces) {
    case "quoted-printable":
      return ArraySlice(splitLines(quotedPrintable(body)))
    case "base64":
      let joined = body.joined().filter { !$0.isWhitespace }
      guard let data = Data(base64Encoded: joined) else {
        throw .malformed(
          patch: name, place: "the mail body", reason: "it says base64 but does not decode")
      }
      return ArraySlice(splitLines(String(decoding: data, as: UTF8.self)))
    default:
      return body
    }
  }

  /// RFC 2045 quoted-printable: `=XX` is a byte, a line ending in `=` continues on the next.
  static func quotedPrintable(_ lines: ArraySlice<String>) -> String {
    var bytes: [UInt8] = []
    for line in lines {
      var utf8 = Array(line.utf8)
      var softBreak = false
      if utf8.last == UInt8(ascii: "=") {
        utf8.removeLast()
        softBreak = true
      }
      var index = 0
      while index < utf8.count {
        if utf8[index] == UInt8(ascii: "="), index + 2 < utf8.count,
          let value = UInt8(
            String(decoding: utf8[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
        {
          bytes.append(value)
          index += 3
        } else {
          bytes.append(utf8[index])
          index += 1
        }
      }
      if !softBreak { bytes.append(10) }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func splitLines(_ text: String) -> [String] {
    // "\r\n" is one Character; splitting the scalars finds the "\n" of CRLF line ends too.
    text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      let line = Substring(line)
      return line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
    }
  }
}
