import Scan
import SeverCore

/// The fix of `fops-open-release-pairing` on a failing open: free the allocation on the failing
/// path, when the open allocates and fails in one function, without a goto ladder, and the
/// failing branch ends with a `return` of an error. A missing free in release is left: whether
/// anything else owns the state needs judgement.
extension OpenReleasePairingRule {
  public static func fix(_ finding: Finding, in context: FixContext) -> FixOutcome {
    let index = context.rules.index
    guard finding.identity.detail == "failure" else {
      return .left(
        "freeing the state in release needs to know that nothing else owns it or frees it "
          + "later, a judgement (`sever explain fops-open-release-pairing`)")
    }
    guard
      let table = index.tables.first(where: { table in
        table.value.qualifiedName == finding.identity.table
          && index.handler(table, field: openField(table.value.kind))?.value.name
            == finding.identity.handler
      }), let open = index.handler(table, field: openField(table.value.kind)),
      let allocation = allocation(in: open.value),
      let failure = open.value.conditions.first(where: { $0.location == finding.location })
    else {
      return .left("the open is not among the facts of this run; run `sever check` on its file")
    }
    guard let free = freeFunction(for: allocation.allocator) else {
      return .left(
        "memory from \(allocation.allocator)() is freed with arguments sever cannot know "
          + "(the cache); free it on the failing path by hand")
    }
    let body = open.value
    if let published = body.calls.first(where: { call in
      call.location > allocation.store.location && call.location < failure.location
        && publishes(call, allocation: allocation, in: body)
    }) {
      return .left(
        "\(body.name) hands the allocation to \(published.callee)() at line "
          + "\(published.location.line) before it fails, so freeing it there needs judgement")
    }
    guard let lexed = context.sources.tokens(of: open.path) else {
      return .left("\(open.path) cannot be read")
    }
    let tokens = lexed.tokens.filter {
      $0.line >= body.body.start.line && $0.line <= body.body.end.line
    }
    if let jump = tokens.first(where: { $0.text == "goto" }) {
      return .left(
        "\(body.name) unwinds through a goto ladder (goto at line \(jump.line)): free the "
          + "allocation under the ladder's label by hand")
    }
    let variable = freedVariable(allocation, in: body, tokens: tokens)
    switch branch(at: failure, tokens: tokens, sources: context.sources, path: open.path) {
    case .left(let reason):
      return .left(reason)
    case .edits(let make):
      return .fixed(
        FixProposal(
          edits: make("\(free)(\(variable));"), action: "free the allocation on failure in",
          target: body.name,
          change: "Free \(variable) with \(free)() before \(body.name)() returns the error at "
            + "`if (\(failure.text))`: release is not called for a failed open, so nothing "
            + "else frees it.",
          introducedAt: [allocation.store.location, failure.location]))
    }
  }

  /// The table field holding the open.
  private static func openField(_ kind: TableKind) -> String {
    kind == .procOps ? "proc_open" : "open"
  }

  /// How memory from an allocator is freed, when the pointer alone is enough.
  private static func freeFunction(for allocator: String) -> String? {
    switch allocator {
    case "kvmalloc", "kvzalloc", "kvcalloc", "kvmalloc_array": return "kvfree"
    case "vmalloc", "vzalloc", "vmalloc_user": return "vfree"
    case "kmem_cache_alloc", "kmem_cache_zalloc": return nil
    default: return "kfree"
    }
  }

  /// Whether a call may keep the allocation somewhere: it gets the pointer itself, or a field's
  /// address that a list, tree or registry links in. Initialisers (`INIT_LIST_HEAD(&p->list)`,
  /// `mutex_init(&p->lock)`) keep nothing.
  private static func publishes(
    _ call: CallFact, allocation: Allocation, in body: FunctionDefinition
  ) -> Bool {
    let linking = ["add", "insert", "register", "link", "install", "queue", "push", "get"]
    return call.arguments.contains { argument in
      guard designates(argument, allocation: allocation, in: body, before: call.location) else {
        return false
      }
      let lowered = call.callee.lowercased()
      return argument.fields.isEmpty || linking.contains { lowered.contains($0) }
    }
  }

  /// The local the allocation was made in when it is in scope everywhere in the function (its
  /// assignment is at the body's top level), else the private pointer as the open spells it.
  private static func freedVariable(
    _ allocation: Allocation, in body: FunctionDefinition, tokens: [Token]
  ) -> String {
    if let local = allocation.local,
      let source = body.stores.last(where: {
        $0.target.root == local && $0.target.fields.isEmpty
          && $0.location < allocation.store.location
      }),
      braceDepth(atLine: source.location.line, tokens: tokens) == 1
    {
      return local
    }
    return allocation.store.target.description
  }

  /// The brace depth at the first token of a line, counting the function body's own brace.
  private static func braceDepth(atLine line: Int, tokens: [Token]) -> Int {
    var depth = 0
    for token in tokens {
      if token.line >= line { break }
      if token.text == "{" { depth += 1 }
      if token.text == "}" { depth -= 1 }
    }
    return depth
  }

  private enum Branch {
    /// The edits, given the freeing statement.
    case edits((String) -> [LineEdit])
    case left(String)
  }

  /// The failing branch of the `if` at a condition, and how to put a statement before its
  /// `return`: braced, a new line before the `return`; a lone `return`, braces around it.
  private static func branch(
    at failure: ConditionFact, tokens: [Token], sources: FixSources, path: String
  ) -> Branch {
    let line = failure.location.line
    let ifs = tokens.indices.filter { tokens[$0].line == line && tokens[$0].text == "if" }
    guard ifs.count == 1, let start = ifs.first, start + 1 < tokens.count,
      tokens[start + 1].text == "(", let close = matching(from: start + 1, in: tokens),
      close + 1 < tokens.count
    else {
      return .left("the `if` at line \(line) is not one sever can rewrite; free on it by hand")
    }
    let opening = tokens[close + 1]
    let exit: (start: Int, end: Int)
    if opening.text == "{" {
      guard let end = matching(from: close + 1, in: tokens),
        let statement = lastReturn(in: tokens, from: close + 2, before: end)
      else {
        return .left(
          "the branch of `if (\(failure.text))` does not end with a return, so sever cannot "
            + "tell it is the failing exit; free on it by hand")
      }
      exit = statement
    } else {
      guard opening.text == "return",
        let semicolon = tokens[(close + 1)...].firstIndex(where: { $0.text == ";" })
      else {
        return .left(
          "`if (\(failure.text))` is not followed by a return, so sever cannot tell it is the "
            + "failing exit; free on it by hand")
      }
      exit = (close + 1, semicolon)
    }
    let value = tokens[(exit.start + 1)..<exit.end].map(\.text)
    guard !value.isEmpty, value != ["0"] else {
      return .left("the branch of `if (\(failure.text))` returns success; nothing to free there")
    }
    let returnLine = tokens[exit.start].line
    guard tokens[exit.end].line == returnLine,
      exit.start == 0 || tokens[exit.start - 1].line < returnLine,
      exit.end + 1 >= tokens.count || tokens[exit.end + 1].line > returnLine,
      let returnText = sources.line(returnLine, of: path)
    else {
      return .left(
        "the return of `if (\(failure.text))` shares its line with other code; free before "
          + "it by hand")
    }
    let indent = FixText.indentation(returnText)
    if opening.text == "{" {
      return .edits { statement in
        [LineEdit(path: path, line: returnLine, inserting: [indent + statement])]
      }
    }
    // A lone return gets braces: the condition's last line ends with `)`, and no `else` follows.
    let conditionEnd = tokens[close].line
    guard conditionEnd < returnLine,
      tokens.last(where: { $0.line == conditionEnd })?.text == ")",
      exit.end + 1 >= tokens.count || tokens[exit.end + 1].text != "else",
      let conditionText = sources.line(conditionEnd, of: path),
      conditionText.trimmingTrailingBlanks.hasSuffix(")"),
      let ifText = sources.line(line, of: path)
    else {
      return .left(
        "`if (\(failure.text))` would need braces sever cannot add safely; free before its "
          + "return by hand")
    }
    return .edits { statement in
      [
        LineEdit(
          path: path, line: conditionEnd, removing: [conditionText],
          inserting: [conditionText.trimmingTrailingBlanks + " {"]),
        LineEdit(path: path, line: returnLine, inserting: [indent + statement]),
        LineEdit(path: path, line: returnLine + 1, inserting: [FixText.indentation(ifText) + "}"]),
      ]
    }
  }

  /// The index of the bracket closing the one at `open` (`(` or `{`).
  private static func matching(from open: Int, in tokens: [Token]) -> Int? {
    let pair: (String, String) = tokens[open].text == "(" ? ("(", ")") : ("{", "}")
    var depth = 0
    for index in open..<tokens.count {
      if tokens[index].text == pair.0 { depth += 1 }
      if tokens[index].text == pair.1 {
        depth -= 1
        if depth == 0 { return index }
      }
    }
    return nil
  }

  /// The `return …;` that ends a braced block (its last statement, at the block's own level).
  private static func lastReturn(in tokens: [Token], from start: Int, before end: Int)
    -> (start: Int, end: Int)?
  {
    guard end - 1 >= start, tokens[end - 1].text == ";" else { return nil }
    var index = end - 2
    while index >= start {
      let text = tokens[index].text
      if [";", "{", "}"].contains(text) { return nil }
      if text == "return" { return (index, end - 1) }
      index -= 1
    }
    return nil
  }
}

extension String {
  /// The string without blanks at its end.
  fileprivate var trimmingTrailingBlanks: String {
    var copy = self
    while copy.last == " " || copy.last == "\t" { copy.removeLast() }
    return copy
  }
}
