/// Plain-text helpers for mail: one-line messages and wrapping at a mail-friendly width.
enum ReplyText {
  /// Mail bodies are wrapped at 72 columns, as kernel maintainers write them.
  static let width = 72

  /// Collapses newlines and runs of spaces.
  static func oneLine(_ text: String) -> String {
    text.split(whereSeparator: { $0 == "\n" || $0 == " " }).joined(separator: " ")
  }

  /// Wraps `text` into lines of at most `width` columns (a longer word stays whole), the first
  /// prefixed by `first`, the rest by `rest`.
  static func wrap(_ text: String, first: String = "", rest: String = "") -> [String] {
    var lines: [String] = []
    var current = first
    var empty = true
    for word in oneLine(text).split(separator: " ") {
      if !empty && current.count + 1 + word.count > width {
        lines.append(current)
        current = rest
        empty = true
      }
      current += (empty ? "" : " ") + word
      empty = false
    }
    if !empty || lines.isEmpty { lines.append(current) }
    return lines
  }
}
