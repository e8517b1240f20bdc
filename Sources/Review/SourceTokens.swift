/// What a C file says once comments and the whitespace between tokens are taken away: two
/// texts with the same signature parse to the same facts, so a change that only edits comments
/// or re-indents code needs no parse. Conservative by design: a comment that could be a
/// suppression (`sever:`) stays in the signature, a preprocessor line keeps its line break
/// (directives end at the newline), and punctuation keeps its grouping (`a+ +b` is not `a++b`).
/// Unusual input (an unterminated comment or literal) only makes signatures differ, never match
/// wrongly.
enum SourceTokens {
  /// The signature of `text`: its tokens joined by a separator that no token holds.
  static func signature(_ text: String) -> String {
    var tokens: [String] = []
    let scalars = text.unicodeScalars
    var index = scalars.startIndex
    // Whether the current line holds a preprocessor directive (its newline is a token), and
    // whether anything but whitespace came before on this line.
    var directive = false
    var lineStarted = false
    // Whether whitespace or a comment came since the last token.
    var spaced = false
    func isWord(_ c: Unicode.Scalar) -> Bool {
      c == "_" || (c.value < 128 && (c.properties.isAlphabetic || ("0"..."9").contains(c)))
        || c.value >= 128
    }
    while index < scalars.endIndex {
      let c = scalars[index]
      let next = scalars.index(after: index)
      let following = next < scalars.endIndex ? scalars[next] : nil
      if c == "\n" {
        if directive { tokens.append("\n") }
        directive = false
        lineStarted = false
        index = next
        spaced = true
        continue
      } else if c == "\\" && following == "\n" {
        // A continued line stays one logical line.
        index = scalars.index(after: next)
        spaced = true
        continue
      } else if c == " " || c == "\t" || c == "\r" || c == "\u{0B}" || c == "\u{0C}" {
        index = next
        spaced = true
        continue
      } else if c == "/" && following == "*" {
        let end = endOfBlockComment(scalars, from: scalars.index(after: next))
        let comment = String(scalars[index..<end])
        if comment.contains("sever:") { tokens.append(comment) }
        // A block comment counts as a space, which keeps the tokens around it apart.
        index = end
        spaced = true
        continue
      } else if c == "/" && following == "/" {
        var end = next
        while end < scalars.endIndex && scalars[end] != "\n" { end = scalars.index(after: end) }
        let comment = String(scalars[index..<end])
        if comment.contains("sever:") { tokens.append(comment) }
        index = end
        spaced = true
        continue
      } else if c == "\"" || c == "'" {
        var end = next
        while end < scalars.endIndex && scalars[end] != c && scalars[end] != "\n" {
          if scalars[end] == "\\" {
            end = scalars.index(after: end)
            if end == scalars.endIndex { break }
          }
          end = scalars.index(after: end)
        }
        if end < scalars.endIndex && scalars[end] == c { end = scalars.index(after: end) }
        tokens.append(String(scalars[index..<end]))
        lineStarted = true
        index = end
      } else if isWord(c) {
        lineStarted = true
        var end = next
        while end < scalars.endIndex && isWord(scalars[end]) { end = scalars.index(after: end) }
        tokens.append(String(scalars[index..<end]))
        index = end
      } else {
        if c == "#" && !lineStarted { directive = true }
        lineStarted = true
        // One token per punctuation character; a space between two that would otherwise read
        // as one operator (`+ +` and `++`) is kept as a token of its own.
        if let last = tokens.last, last.unicodeScalars.count == 1,
          let previous = last.unicodeScalars.first, spaced,
          operatorPairs.contains(String(previous) + String(c))
        {
          tokens.append(" ")
        }
        tokens.append(String(c))
        index = next
      }
      spaced = false
    }
    return tokens.joined(separator: "\u{1F}")
  }

  /// Pairs of punctuation characters that C reads as one token when they touch.
  static let operatorPairs: Set<String> = [
    "++", "--", "->", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=",
    "%=", "&=", "|=", "^=", "##", "..", "<:", ":>", "<%", "%>", "%:",
  ]

  /// The index just past the `*/` that closes a block comment whose body starts at `start`, or
  /// the end of the text for an unterminated one.
  private static func endOfBlockComment(
    _ scalars: String.UnicodeScalarView, from start: String.Index
  ) -> String.Index {
    var index = start
    while index < scalars.endIndex {
      let next = scalars.index(after: index)
      if scalars[index] == "*", next < scalars.endIndex, scalars[next] == "/" {
        return scalars.index(after: next)
      }
      index = next
    }
    return scalars.endIndex
  }
}
