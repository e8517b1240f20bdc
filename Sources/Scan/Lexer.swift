/// One C token as tier 1 sees it: no preprocessing, so macros stay identifiers.
public struct Token: Sendable, Equatable {
  /// What the token is.
  public enum Kind: UInt8, Sendable {
    case identifier
    case number
    case string
    case character
    case punctuation
    /// A conditional directive (`#if`, `#ifdef`, `#else`, `#elif`, `#endif`): the text between
    /// two of them may not be compiled, so a table that contains one is not known exactly.
    case conditional
  }

  /// What the token is.
  public var kind: Kind
  /// Its spelling (punctuation is one or two characters: `->`, `##`, `...` as three dots).
  public var text: String
  /// 1-based line.
  public var line: Int
  /// Whether a newline separates it from the previous token.
  public var startsLine: Bool

  /// Creates a token.
  public init(kind: Kind, text: String, line: Int, startsLine: Bool = false) {
    self.kind = kind
    self.text = text
    self.line = line
    self.startsLine = startsLine
  }

  func isPunctuation(_ text: String) -> Bool { kind == .punctuation && self.text == text }
}

/// A `#define`, kept as tokens so tier 1 can expand the macros that make tables.
public struct MacroDefinition: Sendable, Equatable {
  /// The macro's name.
  public var name: String
  /// Parameter names for a function-like macro (`__VA_ARGS__` for `...`); nil for an object-like one.
  public var parameters: [String]?
  /// The replacement list.
  public var body: [Token]
}

/// The tokens of one file and its `#define`s. Comments, strings' contents and non-conditional
/// directives other than `#define` are dropped; line continuations are joined.
public struct LexedFile: Sendable {
  /// The tokens outside directives.
  public var tokens: [Token]
  /// The macros the file defines, in order.
  public var macros: [MacroDefinition]
  /// The paths of the file's `#include "…"` lines, as written, in order.
  public var quotedIncludes: [String] = []
}

/// A hand-written C lexer over bytes: tier 1 reads thousands of files per second with it, where
/// libclang with the kernel's headers reads one or two.
public enum Lexer {
  /// Lexes C source bytes.
  public static func lex(_ bytes: [UInt8]) -> LexedFile {
    var state = State(bytes: bytes)
    state.run()
    return LexedFile(tokens: state.tokens, macros: state.macros, quotedIncludes: state.includes)
  }

  /// Lexes text (tests and macro bodies given as strings).
  public static func lex(_ text: String) -> LexedFile { lex(Array(text.utf8)) }

  private struct State {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var tokens: [Token] = []
    var macros: [MacroDefinition] = []
    var includes: [String] = []
    var newline = true

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func run() {
      var lineStart = true
      while index < bytes.count {
        let byte = bytes[index]
        if byte == 0x0A {
          line += 1
          index += 1
          lineStart = true
          newline = true
          continue
        }
        if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0C || byte == 0x0B {
          index += 1
          continue
        }
        if byte == 0x5C, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
          index += 2
          line += 1
          continue
        }
        if byte == 0x2F, skipComment() { continue }
        if byte == 0x23, lineStart {
          directive()
          lineStart = true
          continue
        }
        lineStart = false
        if let token = nextToken() {
          var token = token
          token.startsLine = newline
          newline = false
          tokens.append(token)
        }
      }
    }

    /// Skips `/* */` or `//` at `index`; false when the slash is an operator.
    mutating func skipComment() -> Bool {
      guard index + 1 < bytes.count else { return false }
      if bytes[index + 1] == 0x2A {
        index += 2
        while index < bytes.count {
          if bytes[index] == 0x0A { line += 1 }
          if bytes[index] == 0x2A, index + 1 < bytes.count, bytes[index + 1] == 0x2F {
            index += 2
            return true
          }
          index += 1
        }
        return true
      }
      if bytes[index + 1] == 0x2F {
        while index < bytes.count, bytes[index] != 0x0A {
          // A backslash-newline continues a line comment.
          if bytes[index] == 0x5C, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
            index += 2
            line += 1
            continue
          }
          index += 1
        }
        return true
      }
      return false
    }

    /// The tokens of one logical line starting at `#`.
    mutating func directive() {
      let directiveLine = line
      index += 1
      var lineTokens: [Token] = []
      while index < bytes.count {
        let byte = bytes[index]
        if byte == 0x0A { break }
        if byte == 0x5C, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
          index += 2
          line += 1
          continue
        }
        if byte == 0x5C, index + 2 < bytes.count, bytes[index + 1] == 0x0D,
          bytes[index + 2] == 0x0A
        {
          index += 3
          line += 1
          continue
        }
        if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0C || byte == 0x0B {
          index += 1
          continue
        }
        if byte == 0x2F, skipComment() { continue }
        let before = index
        if var token = nextToken() {
          // Function-like macros need to know whether `(` follows the name directly.
          token.startsLine = before > 0 && (bytes[before - 1] == 0x20 || bytes[before - 1] == 0x09)
          lineTokens.append(token)
        }
      }
      guard let keyword = lineTokens.first, keyword.kind == .identifier else { return }
      switch keyword.text {
      case "if", "ifdef", "ifndef", "else", "elif", "endif", "elifdef", "elifndef":
        tokens.append(
          Token(kind: .conditional, text: "#" + keyword.text, line: directiveLine, startsLine: true)
        )
        newline = true
      case "define":
        guard lineTokens.count > 1, lineTokens[1].kind == .identifier else { return }
        var parameters: [String]?
        var bodyStart = 2
        if lineTokens.count > 2, lineTokens[2].isPunctuation("("), !lineTokens[2].startsLine {
          var names: [String] = []
          var position = 3
          while position < lineTokens.count, !lineTokens[position].isPunctuation(")") {
            let token = lineTokens[position]
            if token.kind == .identifier { names.append(token.text) }
            if token.isPunctuation("...") { names.append("__VA_ARGS__") }
            position += 1
          }
          parameters = names
          bodyStart = position + 1
        }
        let body = bodyStart < lineTokens.count ? Array(lineTokens[bodyStart...]) : []
        macros.append(
          MacroDefinition(
            name: lineTokens[1].text, parameters: parameters,
            body: body.map { Token(kind: $0.kind, text: $0.text, line: directiveLine) }))
      case "include":
        guard lineTokens.count > 1, lineTokens[1].kind == .string else { return }
        let quoted = lineTokens[1].text
        guard quoted.count > 2, quoted.hasPrefix("\""), quoted.hasSuffix("\"") else { return }
        includes.append(String(quoted.dropFirst().dropLast()))
      default:
        return
      }
    }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
      (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F
        || byte == 0x24 || byte >= 0x80
    }

    static func isIdentifierBody(_ byte: UInt8) -> Bool {
      isIdentifierStart(byte) || (byte >= 0x30 && byte <= 0x39)
    }

    func text(_ start: Int, _ end: Int) -> String {
      String(decoding: bytes[start..<end], as: UTF8.self)
    }

    mutating func nextToken() -> Token? {
      let start = index
      let byte = bytes[index]
      if Self.isIdentifierStart(byte) {
        index += 1
        while index < bytes.count, Self.isIdentifierBody(bytes[index]) { index += 1 }
        // String literal prefixes (L"", u8"") are strings, not identifiers.
        if index < bytes.count, bytes[index] == 0x22 || bytes[index] == 0x27,
          index - start <= 2
        {
          return quoted(bytes[index], start: start)
        }
        return Token(kind: .identifier, text: text(start, index), line: line)
      }
      if byte >= 0x30 && byte <= 0x39
        || (byte == 0x2E && index + 1 < bytes.count && bytes[index + 1] >= 0x30
          && bytes[index + 1] <= 0x39)
      {
        index += 1
        while index < bytes.count {
          let next = bytes[index]
          if Self.isIdentifierBody(next) || next == 0x2E {
            index += 1
          } else if next == 0x2B || next == 0x2D,
            bytes[index - 1] == 0x65 || bytes[index - 1] == 0x45 || bytes[index - 1] == 0x70
              || bytes[index - 1] == 0x50
          {
            index += 1
          } else {
            break
          }
        }
        return Token(kind: .number, text: text(start, index), line: line)
      }
      if byte == 0x22 || byte == 0x27 { return quoted(byte, start: start) }
      index += 1
      if index < bytes.count {
        let next = bytes[index]
        let pair = (byte, next)
        switch pair {
        case (0x2D, 0x3E), (0x23, 0x23), (0x2B, 0x2B), (0x2D, 0x2D), (0x3D, 0x3D), (0x21, 0x3D),
          (0x3C, 0x3D), (0x3E, 0x3D), (0x26, 0x26), (0x7C, 0x7C), (0x3C, 0x3C), (0x3E, 0x3E),
          (0x2B, 0x3D), (0x2D, 0x3D), (0x2A, 0x3D), (0x2F, 0x3D), (0x7C, 0x3D), (0x26, 0x3D):
          index += 1
        case (0x2E, 0x2E) where index + 1 < bytes.count && bytes[index + 1] == 0x2E:
          index += 2
        default:
          break
        }
      }
      return Token(kind: .punctuation, text: text(start, index), line: line)
    }

    /// A string or character literal; its contents are kept (stringified names matter little).
    mutating func quoted(_ quote: UInt8, start: Int) -> Token {
      index += 1
      while index < bytes.count, bytes[index] != quote {
        if bytes[index] == 0x5C { index += 1 }
        if index < bytes.count, bytes[index] == 0x0A {
          // An unterminated literal ends at the line's end, as clang recovers.
          break
        }
        index += 1
      }
      if index < bytes.count, bytes[index] == quote { index += 1 }
      return Token(
        kind: quote == 0x22 ? .string : .character, text: text(start, min(index, bytes.count)),
        line: line)
    }
  }
}
