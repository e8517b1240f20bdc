import Scan
import SeverCore

/// The fix of `fops-missing-owner`: `.owner = THIS_MODULE,` as the first designated field of
/// the table, indented and aligned like the field it goes before; for a table made by a macro,
/// the macro's variant that sets the owner, when the file defines one.
extension MissingOwnerRule {
  public static func fix(_ finding: Finding, in context: FixContext) -> FixOutcome {
    guard let name = finding.identity.table,
      let table = context.rules.index.tables.first(where: {
        $0.path == finding.location.path && $0.value.qualifiedName == name
          && $0.value.location == finding.location
      })
    else {
      return .left("the table is not among the facts of this run; run `sever check` on its file")
    }
    // A table whose facts hold an `.owner` field whose value extraction could not read sets the
    // owner already: a second one would be a duplicate initializer.
    if table.value.field("owner") != nil {
      return .left(
        "\(table.value.qualifiedName) already sets .owner (the facts hold the field without its "
          + "value, which is why the rule did not see it): nothing to add; please report the "
          + "finding")
    }
    guard table.value.macro == nil else { return macroFix(table, sources: context.sources) }
    return fieldFix(table, sources: context.sources)
  }

  /// What the patch does, for the commit message.
  private static func change(_ table: CallbackTable) -> String {
    "Set .owner = THIS_MODULE in \(table.qualifiedName), so that opening a file takes a "
      + "reference on the module (fops_get()) and rmmod waits until the last file is closed."
  }

  /// A table written by hand: a new line before the first field, or `.owner = THIS_MODULE, `
  /// in front of it when the initializer shares its line.
  private static func fieldFix(_ table: Located<CallbackTable>, sources: FixSources)
    -> FixOutcome
  {
    let path = table.path
    guard
      let first = table.value.fields.filter({ $0.location.path == path })
        .min(by: { $0.location < $1.location })
    else {
      return .left(
        "\(table.value.qualifiedName) has no designated field to put .owner beside; add "
          + "`.owner = THIS_MODULE,` by hand")
    }
    guard let lexed = sources.tokens(of: path), let lines = sources.lines(of: path),
      first.location.line <= lines.count
    else { return .left("\(path) cannot be read") }
    let head = first.name.split(separator: ".").first.map(String.init) ?? first.name
    let tokens = lexed.tokens
    // The table's name, then its first field's designator, then the brace between them that
    // opens the initializer (the element's brace, for an array of tables).
    guard
      let nameIndex = tokens.firstIndex(where: {
        $0.line >= table.value.location.line && $0.text == table.value.name
      }),
      let fieldIndex = tokens.indices.first(where: {
        $0 > nameIndex && $0 + 1 < tokens.count && tokens[$0].line == first.location.line
          && tokens[$0].text == "." && tokens[$0 + 1].text == head
      }),
      let braceIndex = tokens[nameIndex..<fieldIndex].lastIndex(where: { $0.text == "{" })
    else {
      return .left(
        "\(path) no longer has \(table.value.qualifiedName)'s first field "
          + "(.\(first.name)) where the check found it: the file changed since the check")
    }
    if tokens[braceIndex..<fieldIndex].contains(where: { $0.kind == .conditional }) {
      return .left(
        "the first field of \(table.value.qualifiedName) sits under a preprocessor condition; "
          + "add `.owner = THIS_MODULE,` by hand where every configuration sees it")
    }
    if let owner = ownerLine(in: tokens, from: braceIndex) {
      return .left(
        "\(table.value.qualifiedName) sets .owner at line \(owner) in a configuration this "
          + "run did not compile; make that assignment unconditional by hand")
    }
    let fieldLine = lines[first.location.line - 1]
    let utf8 = Array(fieldLine.utf8)
    // clang locates a designator at the field's name; the dot is before it.
    let nameStart = first.location.column - 1
    let name = Array(head.utf8)
    var column = nameStart - 1
    while column >= 0, utf8[column] == UInt8(ascii: " ") || utf8[column] == UInt8(ascii: "\t") {
      column -= 1
    }
    guard column >= 0, nameStart + name.count <= utf8.count,
      Array(utf8[nameStart..<(nameStart + name.count)]) == name, utf8[column] == UInt8(ascii: ".")
    else {
      return .left(
        "\(path):\(first.location.line) does not hold .\(head) at column "
          + "\(first.location.column): the file changed since the check")
    }
    let designatorEnd = nameStart + name.count
    let before = String(decoding: utf8[..<column], as: UTF8.self)
    let edit: LineEdit
    if tokens[braceIndex].line < first.location.line,
      before.allSatisfy({ $0 == " " || $0 == "\t" })
    {
      let owner = before + ".owner" + separator(fieldLine, designatorEnd: designatorEnd)
      edit = LineEdit(path: path, line: first.location.line, inserting: [owner + "THIS_MODULE,"])
    } else {
      let after = String(decoding: utf8[column...], as: UTF8.self)
      let joined = before + ".owner = THIS_MODULE, " + after
      // checkpatch warns past 100 columns, and splitting the initializer one field a line is a
      // reformat of the table, not this edit.
      let width = FixText.displayColumn(of: joined, upTo: joined.endIndex)
      guard width <= 100 else {
        return .left(
          "with .owner, line \(first.location.line) of \(path) would be \(width) columns wide, "
            + "over checkpatch's 100: write \(table.value.qualifiedName)'s initializer one field "
            + "a line and add `.owner = THIS_MODULE,` first, by hand")
      }
      edit = LineEdit(
        path: path, line: first.location.line, removing: [fieldLine], inserting: [joined])
    }
    return .fixed(
      FixProposal(
        edits: [edit], action: "set .owner in", target: table.value.qualifiedName,
        change: change(table.value), introducedAt: [table.value.location]))
  }

  /// The line of a `.owner` designator inside the initializer that opens at `brace`, if any
  /// (one the facts did not see is under a condition that was off).
  private static func ownerLine(in tokens: [Token], from brace: Int) -> Int? {
    var depth = 0
    for index in brace..<tokens.count {
      switch tokens[index].text {
      case "{": depth += 1
      case "}":
        depth -= 1
        if depth == 0 { return nil }
      case "." where index + 1 < tokens.count && tokens[index + 1].text == "owner":
        return tokens[index].line
      default: break
      }
    }
    return nil
  }

  /// What goes between `.owner` and `THIS_MODULE`: the field's own ` = `, or padding that puts
  /// `=` in the column the field aligns it to (tabs if the field uses tabs).
  private static func separator(_ line: String, designatorEnd: Int) -> String {
    let utf8 = Array(line.utf8)
    var index = designatorEnd
    while index < utf8.count, utf8[index] == UInt8(ascii: " ") || utf8[index] == UInt8(ascii: "\t")
    {
      index += 1
    }
    let gap = String(decoding: utf8[designatorEnd..<index], as: UTF8.self)
    guard index < utf8.count, utf8[index] == UInt8(ascii: "="), gap != " ", !gap.isEmpty else {
      return " = "
    }
    let prefix = String(decoding: utf8[..<designatorEnd], as: UTF8.self)
    let target = FixText.displayColumn(of: prefix + gap, upTo: (prefix + gap).endIndex)
    let indent = FixText.indentation(prefix)
    var column = FixText.displayColumn(of: indent + ".owner", upTo: (indent + ".owner").endIndex)
    guard column < target else { return " = " }
    var padding = ""
    if gap.contains("\t") {
      while (column / 8 + 1) * 8 <= target {
        padding += "\t"
        column = (column / 8 + 1) * 8
      }
    }
    padding += String(repeating: " ", count: target - column)
    return padding + "= "
  }

  /// A table made by a macro: the file's variant of the macro that also sets `.owner`, used in
  /// its place; otherwise why there is no fix.
  private static func macroFix(_ table: Located<CallbackTable>, sources: FixSources) -> FixOutcome {
    let path = table.path
    let name = table.value.macro ?? ""
    guard let lexed = sources.tokens(of: path), let lines = sources.lines(of: path) else {
      return .left("\(path) cannot be read")
    }
    guard let macro = lexed.macros.last(where: { $0.name == name }) else {
      if ownerSettingKernelMacros.contains(name) {
        return .left(
          "\(table.value.qualifiedName) is made by \(name), which sets .owner = THIS_MODULE "
            + "itself: nothing to add")
      }
      return .left(
        "\(table.value.qualifiedName) is made by \(name), which is defined outside this "
          + "file; a change to it reaches every table it makes, so it is left to its maintainer")
    }
    if let variant = ownerSettingVariant(of: macro, among: lexed.macros) {
      let location = table.value.location
      let line = location.line <= lines.count ? lines[location.line - 1] : ""
      let utf8 = Array(line.utf8)
      let column = location.column - 1
      guard column >= 0, column + name.utf8.count <= utf8.count,
        Array(utf8[column..<(column + name.utf8.count)]) == Array(name.utf8)
      else {
        return .left("\(path):\(location.line) no longer calls \(name): the file changed")
      }
      let replaced =
        String(decoding: utf8[..<column], as: UTF8.self) + variant.name
        + String(decoding: utf8[(column + name.utf8.count)...], as: UTF8.self)
      return .fixed(
        FixProposal(
          edits: [
            LineEdit(path: path, line: location.line, removing: [line], inserting: [replaced])
          ],
          action: "set .owner in", target: table.value.qualifiedName,
          change: "Make \(table.value.qualifiedName) with \(variant.name), the variant of \(name) "
            + "that sets .owner = THIS_MODULE, so that opening a file takes a reference on the "
            + "module and rmmod waits until the last file is closed.",
          introducedAt: [location]))
    }
    let maker = tableMaker(from: macro, among: lexed.macros)
    let line = maker.body.first.map { " (\(path):\($0.line))" } ?? ""
    return .left(
      "\(table.value.qualifiedName) is made by \(name), which has no owner parameter and no "
        + "variant that sets .owner; adding `.owner = THIS_MODULE,` to the table in "
        + "\(maker.name)\(line) changes every table it makes, a change to make by hand")
  }

  /// The kernel's table-making macros that set `.owner = THIS_MODULE` (include/linux/fs.h,
  /// debugfs.h, seq_file.h).
  static let ownerSettingKernelMacros: Set<String> = [
    "DEFINE_SHOW_ATTRIBUTE", "DEFINE_SHOW_STORE_ATTRIBUTE", "DEFINE_SEQ_ATTRIBUTE",
    "DEFINE_DEBUGFS_ATTRIBUTE", "DEFINE_DEBUGFS_ATTRIBUTE_SIGNED",
    "DEFINE_DEBUGFS_ATTRIBUTE_XSIGNED", "DEFINE_SIMPLE_ATTRIBUTE", "DEFINE_SIMPLE_ATTRIBUTE_SIGNED",
    "DEFINE_SIMPLE_ATTRIBUTE_XSIGNED",
  ]

  /// A macro of the file with the same parameters whose replacement list is `macro`'s with
  /// `.owner = THIS_MODULE,` added.
  private static func ownerSettingVariant(
    of macro: MacroDefinition, among macros: [MacroDefinition]
  ) -> MacroDefinition? {
    let texts = macro.body.map(\.text)
    return macros.first { candidate in
      guard candidate.name != macro.name, candidate.parameters == macro.parameters else {
        return false
      }
      let body = candidate.body.map(\.text)
      guard
        let start = body.indices.first(where: {
          $0 + 3 < body.count && body[$0...($0 + 3)] == [".", "owner", "=", "THIS_MODULE"]
        })
      else { return false }
      var end = start + 4
      if end < body.count, body[end] == "," { end += 1 }
      return Array(body[..<start] + body[end...]) == texts
    }
  }

  /// The macro whose replacement list holds the table: `macro` itself, or the file's macro it
  /// expands to (`FWRT_DEBUGFS_WRITE_FILE_OPS` → `_FWRT_DEBUGFS_WRITE_FILE_OPS`).
  private static func tableMaker(from macro: MacroDefinition, among macros: [MacroDefinition])
    -> MacroDefinition
  {
    var current = macro
    var seen: Set<String> = [macro.name]
    while !current.body.contains(where: { $0.text == "file_operations" }) {
      guard
        let next = current.body.lazy.compactMap({ token in
          macros.last { $0.name == token.text && !seen.contains($0.name) }
        }).first
      else { break }
      seen.insert(next.name)
      current = next
    }
    return current
  }
}
