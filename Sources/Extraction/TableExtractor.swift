import CClang
import SeverCore

/// Turns a `VarDecl` of a callback-table type into `CallbackTable` values: one for a plain
/// variable, one per non-empty element for an array (`struct cftype foo[] = { {…}, {…}, { } }`).
struct TableExtractor {
  let unit: TranslationUnit
  /// Macro expansions in source files by location, to find the macro that made a table.
  let macroExpansions: [SourceLocation: Cursor]
  /// The unit's macro definitions by name, for macros that a table's macro invokes.
  let macroDefinitions: MacroDefinitions

  /// The tables a variable definition holds, or an unresolved-table diagnostic.
  func tables(from decl: Cursor) -> (tables: [CallbackTable], diagnostic: ToolDiagnostic?) {
    guard let tag = decl.type.declaredRecordTag, let kind = TableKind(structTag: tag),
      let location = unit.location(of: decl)
    else { return ([], nil) }
    let name = decl.spelling
    guard decl.type.isComplete else {
      let message =
        "\(kind.cSpelling) \(name): the struct's definition was not seen, so its fields could "
        + "not be read; check the include paths and configuration"
      return (
        [],
        ToolDiagnostic(
          kind: .unresolvedTable, path: location.path, message: message,
          location: location)
      )
    }
    // A table whose definition line starts with another identifier than its name (after
    // `static`/`const`/`struct`) was made by a macro: token pasting hides it from spelling checks.
    let macro = macroName(at: location).flatMap { $0 == name ? nil : $0 }
    // Inside a macro body libclang reports only the macro call's location, so values are read
    // from the macro's definition instead.
    let macroBody = macro.flatMap { _ in macroExpansions[location]?.referenced }
      .map { macroDefinitions.tokens(expanding: $0, in: unit) }
    let isStatic = decl.storageClass == CX_SC_Static
    guard let initializer = decl.children.first(where: { $0.kind == CXCursor_InitListExpr }) else {
      // A definition without an initializer (`struct file_operations fops;` filled at run time)
      // is still a table; its fields are assigned in code, not designated.
      return (
        [
          CallbackTable(
            name: name, kind: kind, location: location, macro: macro,
            isStatic: isStatic, fields: [])
        ], nil
      )
    }
    let fieldNames = decl.type.fieldNames
    if decl.type.isArray {
      var result: [CallbackTable] = []
      for (index, element) in initializer.children.enumerated() {
        guard
          let list = element.kind == CXCursor_InitListExpr
            ? element : element.firstDescendant(where: { $0.kind == CXCursor_InitListExpr })
        else { continue }
        let fields = self.fields(of: list, names: fieldNames, prefix: "", macroBody: macroBody)
        // The `{ }` terminator of a cftype array is not a table.
        guard !fields.isEmpty else { continue }
        let elementLocation = unit.location(of: list) ?? location
        result.append(
          CallbackTable(
            name: name, kind: kind,
            location: macro == nil ? elementLocation : location, index: index, macro: macro,
            isStatic: isStatic, fields: fields))
      }
      return (result, nil)
    }
    let fields = self.fields(
      of: initializer, names: fieldNames, prefix: "", macroBody: macroBody)
    return (
      [
        CallbackTable(
          name: name, kind: kind, location: location, macro: macro,
          isStatic: isStatic, fields: fields)
      ], nil
    )
  }

  /// For a variable clang marked invalid: an unresolved-table diagnostic when its declaration
  /// spells a table struct (`static const struct proc_ops x = …` with `proc_ops` unknown).
  func unresolved(_ decl: Cursor) -> ToolDiagnostic? {
    guard let location = unit.location(of: decl) else { return nil }
    let tokens = unit.firstTokens(in: decl.extent, count: 8)
    guard let structIndex = tokens.firstIndex(of: "struct"), structIndex + 1 < tokens.endIndex,
      let kind = TableKind(structTag: tokens[structIndex + 1])
    else { return nil }
    let message =
      "\(kind.cSpelling) \(decl.spelling): the struct's definition was not seen, so its fields "
      + "could not be read; check the include paths and configuration"
    return ToolDiagnostic(
      kind: .unresolvedTable, path: location.path, message: message,
      location: location)
  }

  /// The fields of one initializer list, designated or positional; nested lists (`.attr = {…}`)
  /// contribute dotted names (`attr.name`). clang stops nesting at `-fbracket-depth` (256 by
  /// default, but a compilation database may raise it), so lists below
  /// `BodyExtractor.maximumDepth` levels are left out rather than followed.
  private func fields(
    of list: Cursor, names: [String], prefix: String, macroBody: [String]?, depth: Int = 0
  ) -> [TableField] {
    guard depth < BodyExtractor.maximumDepth else { return [] }
    var result: [TableField] = []
    var position = 0
    for child in list.children {
      let name: String
      let value: Cursor
      let designatorAt: Cursor
      let parts = child.kind == CXCursor_UnexposedExpr ? child.children : []
      let designators = parts.prefix { $0.kind == CXCursor_MemberRef }
      if !designators.isEmpty, let last = parts.last, parts.count > designators.count {
        name = designators.map(\.spelling).joined(separator: ".")
        value = last
        designatorAt = designators[designators.startIndex]
        position =
          (names.firstIndex(of: designators[designators.startIndex].spelling) ?? position) + 1
      } else {
        guard position < names.count else { continue }
        name = names[position]
        value = child
        designatorAt = child
        position += 1
      }
      let stripped = value.strippingWrappers
      if stripped.kind == CXCursor_InitListExpr {
        result += fields(
          of: stripped, names: stripped.type.fieldNames, prefix: prefix + name + ".",
          macroBody: macroBody, depth: depth + 1)
        continue
      }
      guard let location = unit.location(of: designatorAt) else { continue }
      result.append(
        field(
          named: prefix + name, value: value, location: location,
          text: macroBody.map { Self.value(of: name, inMacroBody: $0) }
            ?? valueText(
              designator: designatorAt, isDesignated: designatorAt.kind == CXCursor_MemberRef)))
    }
    return result
  }

  private func field(named name: String, value: Cursor, location: SourceLocation, text: String?)
    -> TableField
  {
    let stripped = value.strippingWrappers
    let reference =
      stripped.kind == CXCursor_DeclRefExpr
      ? stripped : stripped.firstDescendant(where: { $0.kind == CXCursor_DeclRefExpr })
    var handler: String?
    var variable: String?
    if let target = reference?.referenced {
      switch target.kind {
      case CXCursor_FunctionDecl: handler = target.spelling
      case CXCursor_VarDecl: variable = target.spelling
      default: break
      }
    }
    return TableField(
      name: name, handler: handler, reference: variable,
      value: text, location: location)
  }

  /// The value as written, read from the tokens after the designator (`THIS_MODULE`, not its
  /// expansion).
  private func valueText(designator: Cursor, isDesignated: Bool) -> String? {
    let tokens = unit.tokens(startingAt: designator, maximumBytes: 400)
    var index = 0
    if isDesignated {
      guard let equals = tokens.firstIndex(of: "=") else { return nil }
      index = equals + 1
    }
    return Self.joinValue(tokens, from: index)
  }

  /// The value of `.field = …` in a macro's definition tokens, or nil when it is not spelled
  /// there (it comes from a nested macro).
  static func value(of field: String, inMacroBody tokens: [String]) -> String? {
    let last = field.split(separator: ".").last.map(String.init) ?? field
    for i in 0..<max(0, tokens.count - 3) where tokens[i] == "." && tokens[i + 1] == last {
      if tokens[i + 2] == "=" { return joinValue(tokens, from: i + 3) }
    }
    return nil
  }

  /// Joins value tokens up to the `,` or `}` that ends the value.
  static func joinValue(_ tokens: [String], from start: Int) -> String? {
    var index = start
    var depth = 0
    var out = ""
    while index < tokens.count {
      let token = tokens[index]
      if depth == 0 && (token == "," || token == "}" || token == ";") { break }
      if token == "(" || token == "[" || token == "{" { depth += 1 }
      if token == ")" || token == "]" || token == "}" { depth -= 1 }
      if token == "##" {
        out += token
        index += 1
        continue
      }
      if let last = out.last, last != "#", token.first.map(TranslationUnit.isWordCharacter) == true,
        TranslationUnit.isWordCharacter(last)
      {
        out += " "
      }
      out += token
      index += 1
      if out.count > 120 { return String(out.prefix(120)) + "…" }
    }
    return out.isEmpty ? nil : out
  }

  /// The macro invoked at a location: the first identifier of the line's tokens
  /// (`DEFINE_SHOW_ATTRIBUTE`), or nil.
  private func macroName(at location: SourceLocation) -> String? {
    guard let identifier = unit.identifier(at: location),
      !["static", "const", "struct", "volatile", "extern"].contains(identifier)
    else { return nil }
    return identifier
  }
}

/// A unit's macro definitions by name, read once and only for a unit that has a macro-made
/// table: `DEFINE_SIMPLE_ATTRIBUTE` spells no field itself but invokes
/// `DEFINE_SIMPLE_ATTRIBUTE_XSIGNED`, whose body sets `.owner = THIS_MODULE`.
final class MacroDefinitions {
  private let declarations: [Cursor]
  private var byName: [String: Cursor]?
  private let precompiledPath: String?
  private var precompiled: PrecompiledMacros??

  /// How many macros deep a table's fields are looked for.
  static let nestingLimit = 4

  /// The unit's top-level cursors, among them its macro definitions; for a unit parsed over a
  /// precompiled header, the file of that header's macros (`PrecompiledMacros`), looked in for
  /// a name the unit's own cursors do not define.
  init(declarations: [Cursor], precompiledMacros: String? = nil) {
    self.declarations = declarations
    self.precompiledPath = precompiledMacros
  }

  /// The definition tokens of a table's macro followed by those of the macros it invokes,
  /// breadth first, so a field the outer macro spells wins over a nested one.
  func tokens(expanding definition: Cursor, in unit: TranslationUnit) -> [String] {
    var tokens = unit.tokenSpellings(in: definition.extent)
    var seen: Set<String> = [definition.spelling]
    var frontier = [tokens]
    for _ in 0..<Self.nestingLimit {
      var next: [[String]] = []
      for body in frontier {
        for (index, token) in body.enumerated().dropFirst()
        where index + 1 < body.count && body[index + 1] == "(" && !seen.contains(token) {
          seen.insert(token)
          guard let nested = lookUp(token, in: unit) else { continue }
          let nestedTokens = unit.tokenSpellings(in: nested.extent)
          tokens += nestedTokens
          next.append(nestedTokens)
        }
      }
      if next.isEmpty { break }
      frontier = next
    }
    return tokens
  }

  private func lookUp(_ name: String, in unit: TranslationUnit) -> Cursor? {
    guard TranslationUnit.isWordCharacter(name.first ?? " ") else { return nil }
    if byName == nil {
      var found: [String: Cursor] = [:]
      for cursor in declarations where cursor.kind == CXCursor_MacroDefinition {
        found[cursor.spelling] = cursor
      }
      byName = found
    }
    if let local = byName?[name] { return local }
    guard let precompiledPath else { return nil }
    if precompiled == nil { precompiled = .some(PrecompiledMacros(path: precompiledPath)) }
    guard let place = precompiled??.place(of: name),
      let cursor = unit.cursor(atFile: place.path, line: place.line, column: place.column),
      cursor.kind == CXCursor_MacroDefinition, cursor.spelling == name
    else { return nil }
    return cursor
  }
}
