/// Rewrites a C file with its top-level function and table definitions in another order, for
/// tests that require findings not to depend on definition order.
///
/// The file is split into top-level items: preprocessor lines, type definitions, declarations,
/// macro invocations, function definitions and initialised variables (tables). The last two
/// move; everything else keeps its order at the top, followed by a prototype of every function
/// and a tentative declaration of every table, so the permuted file is still valid C that
/// declares every name before its use. Meant for sever's own fixtures and rule examples (small,
/// well-formed C), not for arbitrary code.
public enum TopLevelPermuter {
  /// One top-level item.
  struct Item {
    enum Kind { case fixed, function, variable }
    var kind: Kind
    /// The text, with the comments and blank lines before it.
    var text: String
    /// What declares it ahead of its definition (functions and variables).
    var declaration: String?
  }

  /// The file with its movable items in the order a generator seeded with `seed` draws.
  public static func permute(_ source: String, seed: UInt64) -> String {
    let items = split(source)
    var movable = items.filter { $0.kind != .fixed }
    var generator = SplitMix64(seed: seed)
    movable.shuffle(using: &generator)
    let fixed = items.filter { $0.kind == .fixed }
    let (types, rest) = (
      fixed.filter { !isMacroUse($0.text) }, fixed.filter { isMacroUse($0.text) }
    )
    let declarations = items.compactMap(\.declaration)
    return
      (types.map(\.text) + ["\n/* declarations added by the permutation */"] + declarations
      + rest.map(\.text) + movable.map(\.text)).joined(separator: "\n") + "\n"
  }

  /// The number of items that move, for tests that must permute something.
  public static func movableCount(_ source: String) -> Int {
    split(source).filter { $0.kind != .fixed }.count
  }

  /// A top-level macro invocation (`DEFINE_SHOW_ATTRIBUTE(x);`, `module_exit(f);`,
  /// `static DEFINE_MUTEX(m);`): one name, optionally after `static`, then its arguments. It may
  /// use functions, so it goes after the declarations.
  static func isMacroUse(_ text: String) -> Bool {
    let code = stripped(text).trimmingCharacters(in: " \t\n")
    guard let open = code.firstIndex(of: "("), code.hasSuffix(")") || code.hasSuffix(");"),
      !code.contains("{"), !code.contains("=")
    else { return false }
    var head = code[..<open].split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
    if head.first == "static" { head.removeFirst() }
    return head.count == 1
  }

  static func split(_ source: String) -> [Item] {
    let characters = Array(source)
    var items: [Item] = []
    var start = 0
    var index = 0
    var braces = 0
    var parens = 0
    var sawInitializer = false
    var functionBody = false
    var atLineStart = true
    func finish(_ end: Int) {
      let text = String(characters[start..<end])
      if !text.trimmingCharacters(in: " \t\n").isEmpty { items.append(classify(text)) }
      start = end
      sawInitializer = false
      functionBody = false
    }
    while index < characters.count {
      let c = characters[index]
      let next = index + 1 < characters.count ? characters[index + 1] : "\0"
      if c == "/" && next == "/" {
        while index < characters.count && characters[index] != "\n" { index += 1 }
        continue
      }
      if c == "/" && next == "*" {
        index += 2
        while index + 1 < characters.count
          && !(characters[index] == "*" && characters[index + 1] == "/")
        {
          index += 1
        }
        index += 2
        continue
      }
      if c == "\"" || c == "'" {
        index += 1
        while index < characters.count && characters[index] != c {
          if characters[index] == "\\" { index += 1 }
          index += 1
        }
        index += 1
        continue
      }
      if atLineStart && c == "#" && braces == 0 && parens == 0 {
        // A directive is an item of its own (with continuation lines).
        let before = String(characters[start..<index])
        if !before.trimmingCharacters(in: " \t\n").isEmpty,
          before.contains(where: { $0 != " " && $0 != "\t" && $0 != "\n" })
            && !onlyComments(before)
        {
          finish(index)
        }
        while index < characters.count {
          if characters[index] == "\n" && characters[index - 1] != "\\" { break }
          index += 1
        }
        finish(min(index + 1, characters.count))
        index += 1
        atLineStart = true
        continue
      }
      atLineStart = c == "\n" || (atLineStart && (c == " " || c == "\t"))
      switch c {
      case "(": parens += 1
      case ")": parens -= 1
      case "=" where braces == 0 && parens == 0: sawInitializer = true
      case "{":
        if braces == 0 && parens == 0 && !sawInitializer {
          let head = stripped(String(characters[start..<index]))
          functionBody = head.contains("(") && !isTypeHead(head)
        }
        braces += 1
      case "}":
        braces -= 1
        if braces == 0 && functionBody {
          finish(index + 1)
        }
      case ";" where braces == 0 && parens == 0:
        finish(index + 1)
      default: break
      }
      index += 1
    }
    finish(characters.count)
    return items
  }

  static func classify(_ text: String) -> Item {
    let code = stripped(text).trimmingCharacters(in: " \t\n")
    if code.hasPrefix("#") || isTypeHead(code) {
      return Item(kind: .fixed, text: text, declaration: nil)
    }
    if code.hasSuffix("}"), let brace = code.firstIndex(of: "{"), !code[..<brace].contains("=") {
      let head = code[..<brace].trimmingCharacters(in: " \t\n")
      return Item(kind: .function, text: text, declaration: head + ";")
    }
    if let equals = code.firstIndex(of: "="), code.hasSuffix(";"), !isMacroUse(text) {
      let head = code[..<equals].trimmingCharacters(in: " \t\n")
      return Item(kind: .variable, text: text, declaration: head + ";")
    }
    return Item(kind: .fixed, text: text, declaration: nil)
  }

  /// `struct x {`, `union`, `enum`, `typedef`: type definitions stay where they are.
  static func isTypeHead(_ code: String) -> Bool {
    let trimmed = code.trimmingCharacters(in: " \t\n")
    return ["struct ", "union ", "enum ", "typedef "].contains { trimmed.hasPrefix($0) }
      && !trimmed.contains("(") && !trimmed.contains("=")
  }

  static func onlyComments(_ text: String) -> Bool {
    stripped(text).trimmingCharacters(in: " \t\n").isEmpty
  }

  /// The text without comments.
  static func stripped(_ text: String) -> String {
    var out = ""
    let characters = Array(text)
    var index = 0
    while index < characters.count {
      if characters[index] == "/", index + 1 < characters.count, characters[index + 1] == "/" {
        while index < characters.count && characters[index] != "\n" { index += 1 }
        continue
      }
      if characters[index] == "/", index + 1 < characters.count, characters[index + 1] == "*" {
        index += 2
        while index + 1 < characters.count
          && !(characters[index] == "*" && characters[index + 1] == "/")
        {
          index += 1
        }
        index += 2
        out.append(" ")
        continue
      }
      out.append(characters[index])
      index += 1
    }
    return out
  }
}

extension String {
  func trimmingCharacters(in set: String) -> String {
    var text = Substring(self)
    while let first = text.first, set.contains(first) { text = text.dropFirst() }
    while let last = text.last, set.contains(last) { text = text.dropLast() }
    return String(text)
  }
}

extension Substring {
  func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}

/// A small seeded generator, so a permutation is the same on every run and machine.
public struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  /// Creates a generator.
  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
