/// A Kconfig expression (`depends on`, `if`, `default`, `select … if`).
indirect enum KconfigExpression: Hashable, Sendable, CustomStringConvertible {
  /// A symbol name (or a constant `y`/`m`/`n`, or a number).
  case symbol(String)
  /// A quoted string constant.
  case string(String)
  /// Something the reader cannot evaluate (a `$(shell …)`-style macro).
  case unknown
  /// `!e`.
  case not(KconfigExpression)
  /// `a && b`: the smaller value.
  case and(KconfigExpression, KconfigExpression)
  /// `a || b`: the larger value.
  case or(KconfigExpression, KconfigExpression)
  /// `=`, `!=`, `<`, `<=`, `>`, `>=`.
  case compare(String, KconfigExpression, KconfigExpression)

  /// The Kconfig-like spelling.
  var description: String {
    switch self {
    case .symbol(let s): s
    case .string(let s): "\"\(s)\""
    case .unknown: "<unknown>"
    case .not(let e): "!\(e.parenthesized)"
    case .and(let a, let b): "\(a.parenthesized) && \(b.parenthesized)"
    case .or(let a, let b): "\(a.parenthesized) || \(b.parenthesized)"
    case .compare(let op, let a, let b): "\(a)\(op)\(b)"
    }
  }

  private var parenthesized: String {
    switch self {
    case .and, .or: "(\(description))"
    default: description
    }
  }

  /// Symbols the expression reads.
  var symbols: [String] {
    switch self {
    case .symbol(let s): ["y", "m", "n"].contains(s) ? [] : [s]
    case .string, .unknown: []
    case .not(let e): e.symbols
    case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b): a.symbols + b.symbols
    }
  }

  /// Parses an expression; unparseable text becomes `.unknown`.
  static func parse(_ text: String) -> KconfigExpression {
    var parser = Parser(tokens: tokenize(text))
    guard let expression = parser.parseOr(), parser.index == parser.tokens.count else {
      return .unknown
    }
    return expression
  }

  private static func tokenize(_ text: String) -> [String] {
    var tokens: [String] = []
    let chars = Array(text)
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c == " " || c == "\t" {
        i += 1
      } else if c == "\"" || c == "'" {
        var j = i + 1
        var s = ""
        while j < chars.count && chars[j] != c {
          s.append(chars[j])
          j += 1
        }
        tokens.append("\"" + s)
        i = j + 1
      } else if "()".contains(c) {
        tokens.append(String(c))
        i += 1
      } else if c == "!" || c == "<" || c == ">" || c == "=" {
        if i + 1 < chars.count && chars[i + 1] == "=" {
          tokens.append(String(c) + "=")
          i += 2
        } else {
          tokens.append(String(c))
          i += 1
        }
      } else if (c == "&" || c == "|") && i + 1 < chars.count && chars[i + 1] == c {
        tokens.append(String([c, c]))
        i += 2
      } else {
        var s = ""
        while i < chars.count, !" \t()!<>=&|\"'".contains(chars[i]) {
          s.append(chars[i])
          i += 1
        }
        if s.isEmpty {
          tokens.append(String(c))
          i += 1
        } else {
          tokens.append(s)
        }
      }
    }
    return tokens
  }

  private struct Parser {
    let tokens: [String]
    var index = 0

    private var peek: String? { index < tokens.count ? tokens[index] : nil }

    mutating func parseOr() -> KconfigExpression? {
      guard var left = parseAnd() else { return nil }
      while peek == "||" {
        index += 1
        guard let right = parseAnd() else { return nil }
        left = .or(left, right)
      }
      return left
    }

    mutating func parseAnd() -> KconfigExpression? {
      guard var left = parseNot() else { return nil }
      while peek == "&&" {
        index += 1
        guard let right = parseNot() else { return nil }
        left = .and(left, right)
      }
      return left
    }

    mutating func parseNot() -> KconfigExpression? {
      if peek == "!" {
        index += 1
        return parseNot().map { .not($0) }
      }
      return parseCompare()
    }

    mutating func parseCompare() -> KconfigExpression? {
      guard let left = parsePrimary() else { return nil }
      if let op = peek, ["=", "!=", "<", "<=", ">", ">="].contains(op) {
        index += 1
        guard let right = parsePrimary() else { return nil }
        return .compare(op, left, right)
      }
      return left
    }

    mutating func parsePrimary() -> KconfigExpression? {
      guard let token = peek else { return nil }
      index += 1
      if token == "(" {
        let inner = parseOr()
        guard peek == ")" else { return nil }
        index += 1
        return inner
      }
      if token.hasPrefix("\"") { return .string(String(token.dropFirst())) }
      if token == KconfigParser.unknownSymbol { return .unknown }
      if ["&&", "||", ")", "=", "!=", "<", ">", "<=", ">="].contains(token) { return nil }
      return .symbol(token)
    }
  }
}
