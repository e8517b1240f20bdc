import SeverCore

/// One `config`/`menuconfig` entry as read from a Kconfig file.
struct KconfigDefinition: Sendable {
  /// The type a symbol can have.
  enum Kind: String, Sendable {
    case bool, tristate, other
  }

  /// `default VALUE if CONDITION`.
  struct Default: Sendable {
    var value: KconfigExpression
    var condition: KconfigExpression
  }

  /// `select TARGET if CONDITION` (the selecting symbol is the definition's own).
  struct Select: Sendable {
    var target: String
    var condition: KconfigExpression
  }

  var name: String
  var location: SourceLocation
  var kind: Kind?
  var typeLine: String?
  /// The `if` condition of each prompt (`y` when unconditional).
  var prompts: [KconfigExpression] = []
  var defaults: [Default] = []
  /// Enclosing `menu`/`if`/`choice` dependencies and the entry's own `depends on`, and-ed.
  var dependency: KconfigExpression
  var dependsLines: [String] = []
  var selects: [Select] = []
  /// `imply TARGET if CONDITION`: a weak default of the target.
  var implies: [Select] = []
  /// Member of a `bool` choice: can only be y or n.
  var inBoolChoice: Bool
}

/// Reads the Kconfig tree of one architecture, following `source` from the top-level `Kconfig`
/// (which sources `arch/$(SRCARCH)/Kconfig`), expanding `$(ARCH)`/`$(SRCARCH)` and simple
/// Kconfig variables; function-like macros (`$(cc-option,…)`) become unknown.
struct KconfigParser {
  /// Stands for a macro the reader cannot evaluate.
  static let unknownSymbol = "__SEVER_UNKNOWN__"

  private enum Block {
    case menu(KconfigExpression)
    case condition(KconfigExpression)
    case choice(KconfigExpression, isBool: Bool)
  }

  private enum Current {
    case none
    case config(Int)
    case block
  }

  let tree: TreeFiles
  private(set) var definitions: [KconfigDefinition] = []
  private var macros: [String: String]
  private var blocks: [Block] = []
  private var current: Current = .none
  private var visited: Set<String> = []

  /// Creates a parser for an architecture.
  init(tree: TreeFiles, arch: String, srcArch: String) {
    self.tree = tree
    self.macros = ["ARCH": arch, "SRCARCH": srcArch, "HEADER_ARCH": srcArch]
  }

  /// Reads `path` and everything it sources.
  mutating func parse(path: String) {
    guard !visited.contains(path), let text = tree.read(path) else { return }
    visited.insert(path)
    let lines = MakeText.logicalLines(text)
    var index = 0
    while index < lines.count {
      let line = lines[index]
      index += 1
      let stripped = MakeText.trim(Self.stripComment(line.text))
      guard !stripped.isEmpty else { continue }
      if stripped == "help" || stripped == "---help---" {
        index = Self.skipHelp(lines, from: index, helpIndent: Self.indent(line.text))
        continue
      }
      let keyword = String(stripped.prefix { $0 != " " && $0 != "\t" })
      let rest = MakeText.trim(stripped.dropFirst(keyword.count))
      let location = SourceLocation(path: path, line: line.number, column: 1)
      handle(keyword: keyword, rest: rest, location: location, path: path, text: stripped)
    }
  }

  private mutating func handle(
    keyword: String, rest: String, location: SourceLocation, path: String, text: String
  ) {
    switch keyword {
    case "config", "menuconfig":
      var dependency = KconfigExpression.symbol("y")
      var inBoolChoice = false
      for block in blocks {
        switch block {
        case .menu(let e), .condition(let e): dependency = Self.and(dependency, e)
        case .choice(let e, let isBool):
          dependency = Self.and(dependency, e)
          inBoolChoice = isBool
        }
      }
      definitions.append(
        KconfigDefinition(
          name: rest, location: location, dependency: dependency, inBoolChoice: inBoolChoice))
      current = .config(definitions.count - 1)
    case "menu":
      blocks.append(.menu(.symbol("y")))
      current = .block
    case "choice":
      blocks.append(.choice(.symbol("y"), isBool: true))
      current = .block
    case "if":
      blocks.append(.condition(parseExpression(rest)))
      current = .none
    case "endmenu", "endchoice", "endif":
      _ = blocks.popLast()
      current = .none
    case "comment", "mainmenu":
      current = .none
    case "source", "osource", "rsource", "orsource":
      let name = expandMacros(Self.unquote(rest))
      let dir = path.split(separator: "/").dropLast().joined(separator: "/")
      let target = keyword.hasPrefix("r") || keyword == "orsource" ? MakeText.join(dir, name) : name
      current = .none
      parse(path: MakeText.normalize(target))
    default:
      if keyword.contains("=") || rest.hasPrefix("=") || rest.hasPrefix(":=") {
        defineMacro(text)
      } else {
        attribute(keyword: keyword, rest: rest, text: text)
      }
    }
  }

  private mutating func defineMacro(_ text: String) {
    guard let eq = text.firstIndex(of: "=") else { return }
    var name = MakeText.trim(text[..<eq])
    if name.hasSuffix(":") || name.hasSuffix("+") { name.removeLast() }
    name = MakeText.trim(name)
    let value = MakeText.trim(text[text.index(after: eq)...])
    macros[name] = MakeText.contains(value, "$(") ? nil : value
  }

  private mutating func attribute(keyword: String, rest: String, text: String) {
    switch current {
    case .config(let i):
      configAttribute(i, keyword: keyword, rest: rest, text: text)
    case .block:
      guard keyword == "depends" || keyword == "bool" || keyword == "tristate",
        let last = blocks.popLast()
      else { return }
      switch last {
      case .menu(let e):
        blocks.append(.menu(Self.and(e, parseExpression(Self.dropOn(rest)))))
      case .choice(let e, let isBool):
        if keyword == "depends" {
          blocks.append(.choice(Self.and(e, parseExpression(Self.dropOn(rest))), isBool: isBool))
        } else {
          blocks.append(.choice(e, isBool: keyword == "bool"))
        }
      case .condition:
        blocks.append(last)
      }
    case .none:
      return
    }
  }

  private mutating func configAttribute(_ i: Int, keyword: String, rest: String, text: String) {
    switch keyword {
    case "bool", "boolean", "tristate", "string", "int", "hex":
      definitions[i].kind = Self.kind(keyword)
      definitions[i].typeLine = text
      let (prompt, condition) = splitIf(rest)
      if !prompt.isEmpty { definitions[i].prompts.append(condition) }
    case "def_bool", "def_tristate":
      definitions[i].kind = keyword == "def_bool" ? .bool : .tristate
      definitions[i].typeLine = text
      let (value, condition) = splitIf(rest)
      definitions[i].defaults.append(.init(value: parseExpression(value), condition: condition))
    case "prompt":
      definitions[i].prompts.append(splitIf(rest).1)
    case "default":
      let (value, condition) = splitIf(rest)
      definitions[i].defaults.append(.init(value: parseExpression(value), condition: condition))
    case "depends":
      definitions[i].dependency = Self.and(
        definitions[i].dependency, parseExpression(Self.dropOn(rest)))
      definitions[i].dependsLines.append(text)
    case "select":
      let (target, condition) = splitIf(rest)
      definitions[i].selects.append(.init(target: target, condition: condition))
    case "imply":
      let (target, condition) = splitIf(rest)
      definitions[i].implies.append(.init(target: target, condition: condition))
    default:
      return
    }
  }

  private static func kind(_ keyword: String) -> KconfigDefinition.Kind {
    switch keyword {
    case "bool", "boolean": .bool
    case "tristate": .tristate
    default: .other
    }
  }

  private static func dropOn(_ s: String) -> String {
    s.hasPrefix("on ") || s.hasPrefix("on\t") ? String(s.dropFirst(3)) : s
  }

  private static func and(_ a: KconfigExpression, _ b: KconfigExpression) -> KconfigExpression {
    if a == .symbol("y") { return b }
    if b == .symbol("y") { return a }
    return .and(a, b)
  }

  /// Splits `X if COND` (outside quotes) into X and the condition (`y` when absent).
  private func splitIf(_ s: String) -> (String, KconfigExpression) {
    let chars = Array(s)
    var inQuote: Character?
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if let q = inQuote {
        if c == q { inQuote = nil }
      } else if c == "\"" || c == "'" {
        inQuote = c
      } else if c == "i", i + 2 <= chars.count, chars[i + 1] == "f",
        i == 0 || chars[i - 1] == " " || chars[i - 1] == "\t",
        i + 2 == chars.count || chars[i + 2] == " " || chars[i + 2] == "\t"
      {
        let head = MakeText.trim(String(chars[..<i]))
        return (head, parseExpression(String(chars[(i + 2)...])))
      }
      i += 1
    }
    return (MakeText.trim(s), .symbol("y"))
  }

  private func parseExpression(_ text: String) -> KconfigExpression {
    KconfigExpression.parse(expandMacros(text))
  }

  /// Expands `$(NAME)` macros; function calls and unknown names become the unknown symbol.
  func expandMacros(_ text: String) -> String {
    guard MakeText.contains(text, "$(") else { return text }
    var out = ""
    var s = Substring(text)
    while let dollar = s.firstIndex(of: "$") {
      out += s[..<dollar]
      let open = s.index(after: dollar)
      guard open < s.endIndex, s[open] == "(", let end = MakeText.closing(s, from: open) else {
        out += s[dollar...]
        return out
      }
      let name = String(s[s.index(after: open)..<s.index(before: end)])
      out += macros[name].map { expandMacros($0) } ?? Self.unknownSymbol
      s = s[end...]
    }
    return out + s
  }

  private static func unquote(_ s: String) -> String {
    var t = MakeText.trim(s)
    if t.hasPrefix("\"") && t.hasSuffix("\"") && t.count >= 2 {
      t = String(t.dropFirst().dropLast())
    }
    return t
  }

  private static func stripComment(_ s: String) -> String {
    var inQuote: Character?
    for (offset, c) in s.enumerated() {
      if let q = inQuote {
        if c == q { inQuote = nil }
      } else if c == "\"" || c == "'" {
        inQuote = c
      } else if c == "#" {
        return String(s.prefix(offset))
      }
    }
    return s
  }

  private static func indent(_ s: String) -> Int {
    var width = 0
    for c in s {
      if c == " " {
        width += 1
      } else if c == "\t" {
        width = (width / 8 + 1) * 8
      } else {
        break
      }
    }
    return width
  }

  private static func skipHelp(_ lines: [MakeText.Line], from start: Int, helpIndent: Int) -> Int {
    var index = start
    var textIndent: Int?
    while index < lines.count {
      let text = lines[index].text
      if MakeText.trim(text).isEmpty {
        index += 1
        continue
      }
      let width = indent(text)
      if let t = textIndent {
        if width < t { break }
      } else {
        if width <= helpIndent { break }
        textIndent = width
      }
      index += 1
    }
    return index
  }
}
