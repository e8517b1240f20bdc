import SeverCore

/// Macros tier 1 can expand, by name: the file's own `#define`s first, then the tree's headers.
public struct MacroTable: Sendable {
  /// Definitions by name; a name defined differently in several headers keeps every variant,
  /// and tier 1 expands each.
  public var definitions: [String: [MacroDefinition]]

  /// Creates a table from definitions, keeping the ones that can make a table or a function.
  public init(_ macros: [MacroDefinition] = []) {
    definitions = [:]
    for macro in macros { definitions[macro.name, default: []].append(macro) }
  }

  /// Keeps only function-like macros that can produce a top-level definition: their body holds
  /// `struct <table tag>`, a function body, or a call of another such macro.
  public static func tableMaking(from macros: [MacroDefinition]) -> MacroTable {
    let functionLike = macros.filter { $0.parameters != nil }
    var makers: Set<String> = []
    for macro in functionLike where makesDefinition(macro.body) { makers.insert(macro.name) }
    var changed = true
    while changed {
      changed = false
      for macro in functionLike where !makers.contains(macro.name) {
        if macro.body.contains(where: { $0.kind == .identifier && makers.contains($0.text) }) {
          makers.insert(macro.name)
          changed = true
        }
      }
    }
    return MacroTable(functionLike.filter { makers.contains($0.name) })
  }

  static func makesDefinition(_ body: [Token]) -> Bool {
    for (index, token) in body.enumerated() where token.kind == .identifier {
      if token.text == "struct", index + 1 < body.count,
        TableKind(structTag: body[index + 1].text) != nil
      {
        return true
      }
    }
    return body.contains { $0.isPunctuation("{") }
  }

  /// Adds the definitions of another table; local ones shadow.
  public func shadowed(by local: MacroTable) -> MacroTable {
    var result = self
    for (name, variants) in local.definitions { result.definitions[name] = variants }
    return result
  }
}

/// Tier 1's reader of one file: top-level declarations only, no preprocessing, macros that make
/// tables expanded from their definitions.
public enum FileScanner {
  /// How deep macro expansion goes (`DEFINE_DEBUGFS_ATTRIBUTE` → `…_XSIGNED` is two).
  static let maximumExpansionDepth = 6

  /// Scans lexed tokens. `macros` are the tree's table-making macros; the file's own `#define`s
  /// shadow them.
  public static func scan(path: String, lexed: LexedFile, macros: MacroTable) -> ScannedFile {
    let table = macros.shadowed(by: MacroTable.tableMaking(from: lexed.macros))
    var scanner = Scanner(macros: table)
    scanner.declarations(lexed.tokens[...], macro: nil, depth: 0)
    var identifiers = Set<String>()
    for token in lexed.tokens where token.kind == .identifier { identifiers.insert(token.text) }
    for function in scanner.functions { identifiers.formUnion(function.references) }
    for table in scanner.tables {
      identifiers.insert(table.name)
      for field in table.fields { identifiers.formUnion(field.identifiers) }
    }
    return ScannedFile(
      path: path, tables: scanner.tables, functions: scanner.functions,
      identifiers: identifiers.sorted(), dataReferences: scanner.dataReferences.sorted(),
      ownMacrosMakeTables: lexed.macros.contains(where: makesTablesOrFiles),
      otherDirectoryIncludes: lexed.quotedIncludes.filter { $0.contains("/") })
  }

  /// The words that make a macro one `ScannedFile.ownMacrosMakeTables` counts: the file tables
  /// whose owner and lifetime the rules check, and the debugfs and procfs calls that create a
  /// file from one (the registrations `RegistrationCatalog` knows for those frameworks).
  public static let tableMacroWords: Set<String> = [
    "file_operations", "proc_ops", "kernfs_ops",
    "debugfs_create_file", "debugfs_create_file_unsafe", "debugfs_create_file_size",
    "proc_create", "proc_create_data", "proc_create_seq", "proc_create_seq_data",
    "proc_create_single", "proc_create_single_data",
  ]

  /// Whether a function-like macro's body spells one of `tableMacroWords`.
  public static func makesTablesOrFiles(_ macro: MacroDefinition) -> Bool {
    macro.parameters != nil
      && macro.body.contains { $0.kind == .identifier && tableMacroWords.contains($0.text) }
  }

  /// Lexes and scans bytes.
  public static func scan(path: String, bytes: [UInt8], macros: MacroTable) -> ScannedFile {
    scan(path: path, lexed: Lexer.lex(bytes), macros: macros)
  }

  private static let declaratorNoise: Set<String> = [
    "const", "volatile", "static", "extern", "struct", "__maybe_unused", "__initdata",
    "__initconst", "__read_mostly", "__ro_after_init", "__refdata", "__used", "__attribute__",
    "__aligned", "__section", "__weak", "__cacheline_aligned", "____cacheline_aligned",
    "__meminitdata", "__devinitdata", "__refconst", "__exitdata",
  ]

  struct Scanner {
    let macros: MacroTable
    var tables: [ScannedTable] = []
    var functions: [ScannedFunction] = []
    var dataReferences: Set<String> = []

    init(macros: MacroTable) { self.macros = macros }

    /// The index after the bracket that closes the one at `open`, or the end.
    static func closing(_ tokens: ArraySlice<Token>, from open: Int) -> Int {
      var depth = 0
      var index = open
      while index < tokens.endIndex {
        let text = tokens[index].kind == .punctuation ? tokens[index].text : ""
        if text == "{" || text == "(" || text == "[" {
          depth += 1
        } else if text == "}" || text == ")" || text == "]" {
          depth -= 1
          if depth == 0 { return index + 1 }
        }
        index += 1
      }
      return tokens.endIndex
    }

    mutating func declarations(_ tokens: ArraySlice<Token>, macro: String?, depth: Int) {
      var head: [Token] = []
      var index = tokens.startIndex
      while index < tokens.endIndex {
        let token = tokens[index]
        if token.kind == .conditional {
          index += 1
          continue
        }
        if token.isPunctuation(";") {
          head = []
          index += 1
          continue
        }
        if token.isPunctuation("{") {
          let end = Self.closing(tokens, from: index)
          if let equals = head.firstIndex(where: { $0.isPunctuation("=") }) {
            table(head: Array(head[..<equals]), body: tokens[index..<end], macro: macro)
          } else if head.contains(where: { $0.isPunctuation("(") }) {
            function(head: head, body: tokens[index..<end], macro: macro)
          }
          // Anything else with braces (a struct, union or enum definition) is skipped whole.
          head = []
          index = end
          continue
        }
        if token.kind == .identifier, head.isEmpty, index + 1 < tokens.endIndex,
          tokens[index + 1].isPunctuation("(")
        {
          let end = Self.closing(tokens, from: index + 1)
          let after = end < tokens.endIndex ? tokens[end] : nil
          let isInvocation =
            after == nil || after!.isPunctuation(";")
            || (after!.startsLine && !after!.isPunctuation("{") && after!.kind == .identifier
              && !Self.isAttribute(after!.text))
          if isInvocation {
            invocation(
              name: token.text, arguments: tokens[(index + 2)..<max(index + 2, end - 1)],
              line: token.line, macro: macro, depth: depth)
            index = end
            continue
          }
        }
        head.append(token)
        index += 1
      }
    }

    static func isAttribute(_ name: String) -> Bool {
      name.hasPrefix("__") && (name.hasSuffix("acquires") || name.hasSuffix("releases"))
        || name == "__must_hold" || name == "__attribute__"
    }

    /// `struct <tag> name[…] = { … }` with a table tag.
    mutating func table(head: [Token], body: ArraySlice<Token>, macro: String?) {
      guard
        let structAt = head.indices.first(where: {
          head[$0].text == "struct" && $0 + 1 < head.count
            && TableKind(structTag: head[$0 + 1].text) != nil
        }),
        let kind = TableKind(structTag: head[structAt + 1].text)
      else {
        for token in body where token.kind == .identifier { dataReferences.insert(token.text) }
        return
      }
      var depth = 0
      var name: String?
      var isArray = false
      for token in head[(structAt + 2)...] {
        if token.isPunctuation("(") || token.isPunctuation("[") {
          if token.isPunctuation("["), depth == 0, name != nil { isArray = true }
          depth += 1
        } else if token.isPunctuation(")") || token.isPunctuation("]") {
          depth -= 1
        } else if depth == 0, token.kind == .identifier, name == nil,
          !FileScanner.declaratorNoise.contains(token.text)
        {
          name = token.text
        }
      }
      guard let name else { return }
      let isStatic = head.contains { $0.text == "static" }
      let line = macro == nil ? head.first(where: { $0.text == name })?.line ?? 0 : body.first!.line
      let inner = body.dropFirst().dropLast()
      if isArray {
        var element = 0
        var index = inner.startIndex
        var opaque = false
        while index < inner.endIndex {
          let token = inner[index]
          if token.isPunctuation("{") {
            let end = Self.closing(inner, from: index)
            var entry = Self.fields(inner[(index + 1)..<max(index + 1, end - 1)])
            entry.opaque = entry.opaque || opaque
            tables.append(
              ScannedTable(
                kind: kind, name: name, line: token.line, isStatic: isStatic, index: element,
                macro: macro, fields: entry.fields, isOpaque: entry.opaque))
            element += 1
            index = end
            continue
          }
          if token.kind == .identifier,
            index == inner.startIndex || inner[index - 1].isPunctuation(",")
          {
            // An element made by a macro (`CFTYPE(…)`) is not read.
            opaque = true
            if index + 1 < inner.endIndex, inner[index + 1].isPunctuation("(") {
              tables.append(
                ScannedTable(
                  kind: kind, name: name, line: token.line, isStatic: isStatic, index: element,
                  macro: token.text, fields: [], isOpaque: true))
              element += 1
              index = Self.closing(inner, from: index + 1)
              continue
            }
          }
          index += 1
        }
        return
      }
      let entry = Self.fields(inner)
      tables.append(
        ScannedTable(
          kind: kind, name: name, line: line, isStatic: isStatic, macro: macro,
          fields: entry.fields, isOpaque: entry.opaque))
    }

    /// Designated fields at the top of an initializer list.
    static func fields(_ tokens: ArraySlice<Token>) -> (fields: [ScannedField], opaque: Bool) {
      var fields: [ScannedField] = []
      var opaque = false
      var open = 0
      var index = tokens.startIndex
      while index < tokens.endIndex {
        // One element: up to the next comma at depth 0.
        var end = index
        var depth = 0
        let conditional = open > 0
        while end < tokens.endIndex {
          let token = tokens[end]
          if token.kind == .conditional {
            if token.text.hasPrefix("#if") { open += 1 }
            if token.text == "#endif" { open = max(0, open - 1) }
          }
          if token.kind == .punctuation {
            if ["(", "[", "{"].contains(token.text) { depth += 1 }
            if [")", "]", "}"].contains(token.text) { depth -= 1 }
            if token.text == ",", depth == 0 { break }
          }
          end += 1
        }
        let element = tokens[index..<end].filter { $0.kind != .conditional }
        if element.count >= 3, element[0].isPunctuation("."), element[1].kind == .identifier {
          var valueStart = 2
          // `.a.b = x` and `.a[0] = x` set inside field a.
          while valueStart < element.count, !element[valueStart].isPunctuation("=") {
            valueStart += 1
          }
          let value = element.count > valueStart + 1 ? Array(element[(valueStart + 1)...]) : []
          let names = value.filter { $0.kind == .identifier }.map(\.text)
          let single =
            (value.count == 1 && value[0].kind == .identifier)
            || (value.count == 2 && value[0].isPunctuation("&") && value[1].kind == .identifier)
          fields.append(
            ScannedField(
              name: element[1].text, identifiers: names, isSingleName: single,
              isConditional: conditional || open > 0))
        } else if !element.isEmpty {
          opaque = true
        }
        index = end + 1
      }
      return (fields, opaque)
    }

    /// `… name(…) … { … }`: the name is the identifier before the first parenthesis.
    mutating func function(head: [Token], body: ArraySlice<Token>, macro: String?) {
      guard let open = head.firstIndex(where: { $0.isPunctuation("(") }), open > 0,
        head[open - 1].kind == .identifier
      else { return }
      var references = Set<String>()
      var memberCalls = Set<String>()
      var previous: Token?
      var beforePrevious: Token?
      for token in body {
        if token.kind == .identifier { references.insert(token.text) }
        // `ops->seq_show(` and `cft->write(`: a call through a table's field.
        if token.isPunctuation("("), let name = previous, name.kind == .identifier,
          let arrow = beforePrevious, arrow.isPunctuation("->") || arrow.isPunctuation(".")
        {
          memberCalls.insert(name.text)
        }
        beforePrevious = previous
        previous = token
      }
      // Parameters' types name structs the body works on.
      for token in head[open...] where token.kind == .identifier { references.insert(token.text) }
      functions.append(
        ScannedFunction(
          name: head[open - 1].text, line: head[open - 1].line,
          isStatic: head.contains { $0.text == "static" }, references: references.sorted(),
          memberCalls: memberCalls.sorted()))
    }

    /// A top-level macro call: expanded when the macro makes tables or functions.
    mutating func invocation(
      name: String, arguments: ArraySlice<Token>, line: Int, macro: String?, depth: Int
    ) {
      guard depth < FileScanner.maximumExpansionDepth, let variants = macros.definitions[name]
      else { return }
      let split = Self.arguments(arguments)
      for definition in variants {
        let expansion = Self.expand(definition, arguments: split, line: line)
        declarations(expansion[...], macro: macro ?? name, depth: depth + 1)
      }
    }

    static func arguments(_ tokens: ArraySlice<Token>) -> [[Token]] {
      var result: [[Token]] = [[]]
      var depth = 0
      for token in tokens {
        if token.kind == .punctuation {
          if ["(", "[", "{"].contains(token.text) { depth += 1 }
          if [")", "]", "}"].contains(token.text) { depth -= 1 }
          if token.text == ",", depth == 0 {
            result.append([])
            continue
          }
        }
        result[result.count - 1].append(token)
      }
      return result
    }

    /// Substitutes parameters, `#x` and `a ## b`; every token gets the call's line.
    static func expand(_ definition: MacroDefinition, arguments: [[Token]], line: Int) -> [Token] {
      let parameters = definition.parameters ?? []
      func argument(_ name: String) -> [Token]? {
        guard let position = parameters.firstIndex(of: name) else { return nil }
        if name == "__VA_ARGS__" {
          let rest = arguments.count > position ? Array(arguments[position...]) : []
          return Array(
            rest.enumerated().flatMap { offset, tokens in
              offset == 0 ? tokens : [Token(kind: .punctuation, text: ",", line: line)] + tokens
            })
        }
        return position < arguments.count ? arguments[position] : []
      }
      var substituted: [Token] = []
      var pasteNext = false
      var index = 0
      let body = definition.body
      while index < body.count {
        let token = body[index]
        if token.isPunctuation("#"), index + 1 < body.count,
          let value = argument(body[index + 1].text)
        {
          substituted.append(
            Token(
              kind: .string, text: "\"" + value.map(\.text).joined(separator: " ") + "\"",
              line: line))
          index += 2
          continue
        }
        if token.isPunctuation("##") {
          pasteNext = true
          index += 1
          continue
        }
        var pieces =
          token.kind == .identifier
          ? (argument(token.text) ?? [token]) : [token]
        pieces = pieces.map { Token(kind: $0.kind, text: $0.text, line: line) }
        if pasteNext, let last = substituted.last, let first = pieces.first {
          let text = last.text + first.text
          substituted[substituted.count - 1] = Token(
            kind: last.kind == .identifier || first.kind == .identifier ? .identifier : last.kind,
            text: text, line: line)
          pieces.removeFirst()
        }
        pasteNext = false
        substituted += pieces
        index += 1
      }
      return substituted
    }
  }
}
