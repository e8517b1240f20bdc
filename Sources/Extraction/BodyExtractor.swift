import CClang
import SeverCore

/// Walks one function body and records what the rules need: dispatches through a table's
/// function-pointer field, registrations that hand a table to a framework, every direct call
/// with its arguments as access paths and the `if` conditions around it, stores, and reads
/// through parameters and locals.
struct BodyExtractor {
  let unit: TranslationUnit

  /// What one body holds.
  struct Summary {
    var parameters: [ParameterFact] = []
    var calls: [CallFact] = []
    var stores: [StoreFact] = []
    var uses: [UseFact] = []
    var conditions: [ConditionFact] = []
    var exits: [ExitFact] = []
    var dispatches: [DispatchSite] = []
    var registrations: [Registration] = []
  }

  /// Summarises `function` (a `FunctionDecl` definition) whose body is `body`.
  func summarize(_ function: Cursor, body: Cursor, name: String) -> Summary {
    var walker = Walker(unit: unit, function: name)
    walker.summary.parameters = function.children.filter { $0.kind == CXCursor_ParmDecl }.map {
      ParameterFact(name: $0.spelling, recordTag: $0.type.recordTag)
    }
    walker.parameterNames = walker.summary.parameters.map(\.name)
    walker.visit(body, guards: [])
    return walker.summary
  }
}

/// The recursive walk behind `BodyExtractor`; a struct so each body gets fresh state.
private struct Walker {
  let unit: TranslationUnit
  let function: String
  var parameterNames: [String] = []
  var localNames: Set<String> = []
  var summary = BodyExtractor.Summary()

  init(unit: TranslationUnit, function: String) {
    self.unit = unit
    self.function = function
  }

  mutating func visit(_ cursor: Cursor, guards: [String]) {
    switch cursor.kind {
    case CXCursor_IfStmt:
      let parts = cursor.children
      guard let condition = parts.first else { return }
      let text = unit.text(of: condition, limit: 80) ?? "?"
      if let location = unit.location(of: condition) {
        for part in conjuncts(condition) {
          let (tested, whenNull) = nullTest(part)
          summary.conditions.append(
            ConditionFact(
              text: text, location: location, tested: tested,
              takenWhenNull: whenNull))
        }
      }
      visit(condition, guards: guards)
      if parts.count > 1 { visit(parts[1], guards: guards + [text]) }
      if parts.count > 2 { visit(parts[2], guards: guards + ["!(\(text))"]) }
      return
    case CXCursor_ReturnStmt:
      if let location = unit.location(of: cursor) {
        let text = cursor.children.first.flatMap { unit.text(of: $0, limit: 80) }
        summary.exits.append(
          ExitFact(
            kind: .return, text: text, value: text.map(Walker.exitValue) ?? .success,
            location: location, guards: guards))
      }
    case CXCursor_GotoStmt:
      if let location = unit.location(of: cursor) {
        summary.exits.append(
          ExitFact(
            kind: .goto, text: cursor.children.first?.spelling, value: .unknown,
            location: location, guards: guards))
      }
    case CXCursor_CallExpr:
      call(cursor, guards: guards)
    case CXCursor_BinaryOperator:
      let parts = cursor.children
      if parts.count == 2, unit.operatorSpelling(after: parts[0]) == "=",
        let location = unit.location(of: cursor)
      {
        summary.stores.append(
          StoreFact(
            target: path(parts[0]), value: value(parts[1]),
            location: location, guards: guards))
      }
    case CXCursor_VarDecl:
      if let initializer = cursor.children.last(where: { $0.kind != CXCursor_TypeRef }),
        cursor.children.count > 0, clang_isExpression(initializer.kind) != 0,
        let location = unit.location(of: cursor)
      {
        localNames.insert(cursor.spelling)
        let target = AccessPath(root: cursor.spelling, rootKind: .local)
        summary.stores.append(
          StoreFact(
            target: target, value: value(initializer),
            location: location, guards: guards))
      }
    case CXCursor_MemberRefExpr:
      let read = path(cursor)
      if read.rootKind == .parameter || read.rootKind == .local,
        let location = unit.range(of: cursor)?.start
      {
        summary.uses.append(UseFact(path: read, location: location))
      }
      // The base chain is part of this use; only sub-expressions beyond it (calls, indices)
      // hold more facts.
      var base = cursor.children.first?.strippingWrappers
      while let current = base, current.kind == CXCursor_MemberRefExpr {
        base = current.children.first?.strippingWrappers
      }
      if let base, base.kind != CXCursor_DeclRefExpr { visit(base, guards: guards) }
      return
    default:
      break
    }
    for child in cursor.children { visit(child, guards: guards) }
  }

  private mutating func call(_ cursor: Cursor, guards: [String]) {
    guard let location = unit.location(of: cursor) else { return }
    let parts = cursor.children
    guard let calleeExpression = parts.first else { return }
    let callee = calleeExpression.strippingWrappers.strippingDereference
    let arguments = Array(parts.dropFirst())
    if callee.kind == CXCursor_MemberRefExpr, let field = callee.referenced,
      field.kind == CXCursor_FieldDecl, let tag = field.semanticParent.type.declaredRecordTag,
      let kind = TableKind(structTag: tag)
    {
      summary.dispatches.append(
        DispatchSite(
          tableKind: kind, field: field.spelling,
          enclosingFunction: function, expression: path(callee).description, location: location))
    } else if let target = cursor.referenced, target.kind == CXCursor_FunctionDecl {
      let name = target.spelling
      summary.calls.append(
        CallFact(
          callee: name, arguments: arguments.map { path($0) },
          location: location, guards: guards))
      summary.registrations += registrations(calling: name, arguments: arguments, at: location)
    }
  }

  private func registrations(
    calling callee: String, arguments: [Cursor], at location: SourceLocation
  )
    -> [Registration]
  {
    var result: [Registration] = []
    for (index, argument) in arguments.enumerated() {
      guard let variable = tableVariable(in: argument),
        let tag = variable.type.declaredRecordTag, let kind = TableKind(structTag: tag)
      else { continue }
      result.append(
        Registration(
          callee: callee, table: variable.spelling, tableKind: kind,
          via: kind == .miscdevice ? variable.spelling : nil, argumentIndex: index,
          enclosingFunction: function, location: location))
    }
    if result.isEmpty, let index = RegistrationCatalog.tableArgument[callee],
      index < arguments.count
    {
      let kind = arguments[index].type.recordTag.flatMap(TableKind.init(structTag:))
      result.append(
        Registration(
          callee: callee, table: nil, tableKind: kind, argumentIndex: index,
          enclosingFunction: function, location: location))
    }
    return result
  }

  /// The table variable an argument names: `&foo_fops`, `foo_files`, `&dev_attr_x.attr`.
  private func tableVariable(in argument: Cursor) -> Cursor? {
    let stripped = argument.strippingWrappers
    let reference =
      stripped.kind == CXCursor_DeclRefExpr
      ? stripped : stripped.firstDescendant { $0.kind == CXCursor_DeclRefExpr }
    guard let target = reference?.referenced, target.kind == CXCursor_VarDecl,
      let tag = target.type.declaredRecordTag, TableKind(structTag: tag) != nil
    else { return nil }
    return target
  }

  /// The operands of a chain of `&&`, each of which holds in the taken branch.
  func conjuncts(_ condition: Cursor) -> [Cursor] {
    let cursor = condition.strippingWrappers
    let parts = cursor.children
    guard cursor.kind == CXCursor_BinaryOperator, parts.count == 2,
      unit.operatorSpelling(after: parts[0]) == "&&"
    else { return [cursor] }
    return conjuncts(parts[0]) + conjuncts(parts[1])
  }

  /// The class of a returned expression, read from its text as written (the macros stay
  /// spelled): `-ENOMEM`, `-1` and `ERR_PTR(…)` are errors, `0`, `NULL` and `false` success.
  static func exitValue(_ text: String) -> ExitFact.Value {
    var text = Substring(text)
    // `return (-EINVAL);`
    while text.first == "(" && text.last == ")" { text = text.dropFirst().dropLast() }
    if ["0", "NULL", "false"].contains(text) { return .success }
    if text.hasPrefix("-") || ["ERR_PTR", "PTR_ERR", "ERR_CAST"].contains(where: text.hasPrefix) {
      return .error
    }
    return .unknown
  }

  /// The pointer a condition compares with NULL: `!p` and `p == NULL` are taken when it is
  /// NULL, `p` and `p != NULL` when it is not.
  func nullTest(_ condition: Cursor) -> (AccessPath?, Bool) {
    let cursor = condition.strippingWrappers
    if cursor.kind == CXCursor_UnaryOperator, unit.firstToken(of: cursor) == "!",
      let operand = cursor.children.first
    {
      let (inner, whenNull) = nullTest(operand)
      return (inner, !whenNull)
    }
    if cursor.kind == CXCursor_BinaryOperator {
      let parts = cursor.children
      guard parts.count == 2, let op = unit.operatorSpelling(after: parts[0]),
        op == "==" || op == "!="
      else { return (nil, false) }
      let (lhs, rhs) = (path(parts[0]), path(parts[1]))
      let pointer = rhs.isNull ? lhs : lhs.isNull ? rhs : nil
      return (pointer, op == "==")
    }
    let tested = path(cursor)
    guard [.parameter, .local, .global].contains(tested.rootKind),
      clang_getCanonicalType(cursor.type).kind == CXType_Pointer
    else { return (nil, false) }
    return (tested, false)
  }

  /// Macros that read through a pointer: the value of `smp_load_acquire(p)` is `*p`, of
  /// `READ_ONCE(x)` and `rcu_dereference(p)` the argument itself.
  static let accessorMacros: [String: Bool] = [
    "smp_load_acquire": true, "READ_ONCE": false, "rcu_dereference": false,
    "rcu_dereference_protected": false, "rcu_dereference_raw": false,
    "rcu_dereference_check": false, "rcu_access_pointer": false, "xchg": true,
  ]

  /// The access path of a stored value; a value made by an accessor macro is read from the
  /// macro's argument, since its expansion is a statement expression.
  func value(_ expression: Cursor) -> AccessPath {
    let plain = path(expression)
    guard plain.rootKind == .other, let location = unit.location(of: expression),
      let macro = unit.identifier(at: location), let dereferences = Self.accessorMacros[macro]
    else { return plain }
    let tokens = unit.tokens(startingAt: expression, maximumBytes: 200, atExpansion: true)
    guard tokens.count > 2, tokens[1] == "(" else { return plain }
    var argument: [String] = []
    var depth = 0
    for token in tokens.dropFirst(2) {
      if depth == 0 && (token == "," || token == ")") { break }
      if token == "(" { depth += 1 }
      if token == ")" { depth -= 1 }
      argument.append(token)
    }
    guard let parsed = parsePath(argument) else { return plain }
    return dereferences ? parsed.dereferenced : parsed
  }

  /// Parses `&a->b.c` / `*p` / `p` written as tokens into a path rooted at a known name.
  func parsePath(_ tokens: [String]) -> AccessPath? {
    var rest = tokens[...]
    var addressOf = false
    var dereference = false
    while let first = rest.first, first == "&" || first == "*" || first == "(" {
      if first == "&" { addressOf = true }
      if first == "*" { dereference = true }
      rest = rest.dropFirst()
    }
    guard let root = rest.first, root.first.map({ $0.isLetter || $0 == "_" }) == true else {
      return nil
    }
    var result: AccessPath
    if let index = parameterNames.firstIndex(of: root) {
      result = AccessPath(root: root, rootKind: .parameter, parameterIndex: index)
    } else if localNames.contains(root) {
      result = AccessPath(root: root, rootKind: .local)
    } else {
      result = AccessPath(root: root, rootKind: .global)
    }
    rest = rest.dropFirst()
    while rest.count >= 2, let op = rest.first, op == "->" || op == "." {
      let field = rest[rest.index(after: rest.startIndex)]
      result = result.appending(field, recordTag: "", arrow: op == "->")
      rest = rest.dropFirst(2)
    }
    guard rest.allSatisfy({ $0 == ")" }) else { return nil }
    if dereference { result = result.dereferenced }
    return addressOf ? result.takingAddress : result
  }

  /// The access path of an expression.
  func path(_ expression: Cursor) -> AccessPath {
    var cursor = expression.strippingWrappers
    // `&` and `*` from the outside in; applied to the inner path from the inside out.
    var operators: [Character] = []
    while cursor.kind == CXCursor_UnaryOperator, let inner = cursor.children.first {
      // The operator is read from the types, not the tokens: inside a macro argument the
      // tokens at the expression's location are the macro's name.
      let result = clang_getCanonicalType(cursor.type)
      let operand = clang_getCanonicalType(inner.type)
      if result.kind == CXType_Pointer,
        clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(result)), operand) != 0
      {
        operators.append("&")
      } else if operand.kind == CXType_Pointer,
        clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(operand)), result) != 0
      {
        operators.append("*")
      } else {
        break
      }
      cursor = inner.strippingWrappers
    }
    var result: AccessPath
    switch cursor.kind {
    case CXCursor_MemberRefExpr:
      let base = cursor.children.first
      result = base.map { path($0) } ?? AccessPath(root: "?", rootKind: .other)
      let arrow = base.map { clang_getCanonicalType($0.type).kind == CXType_Pointer } ?? true
      result = result.appending(
        cursor.spelling, recordTag: base?.type.recordTag ?? "", arrow: arrow)
    case CXCursor_DeclRefExpr:
      result = reference(cursor)
    case CXCursor_CallExpr:
      result = AccessPath(root: cursor.referenced?.spelling ?? "?", rootKind: .call)
    case CXCursor_IntegerLiteral:
      // `NULL` expands to `((void *)0)`: a zero whose expression has pointer type.
      let text = unit.text(of: cursor, limit: 24) ?? "0"
      let isPointer = clang_getCanonicalType(expression.type).kind == CXType_Pointer
      result = AccessPath(root: text == "0" && isPointer ? "NULL" : text, rootKind: .literal)
    case CXCursor_ArraySubscriptExpr:
      result = cursor.children.first.map { path($0) } ?? AccessPath(root: "?", rootKind: .other)
      result = result.appending("[]", recordTag: "", arrow: false)
    default:
      result = AccessPath(root: unit.text(of: cursor, limit: 60) ?? "?", rootKind: .other)
    }
    for op in operators.reversed() {
      result = op == "&" ? result.takingAddress : result.dereferenced
    }
    return result
  }

  private func reference(_ cursor: Cursor) -> AccessPath {
    guard let target = cursor.referenced else {
      return AccessPath(root: cursor.spelling, rootKind: .other)
    }
    let name = target.spelling
    switch target.kind {
    case CXCursor_ParmDecl:
      return AccessPath(
        root: name, rootKind: .parameter, parameterIndex: parameterNames.firstIndex(of: name))
    case CXCursor_VarDecl:
      let inFunction = target.semanticParent.kind == CXCursor_FunctionDecl
      let isLocal = inFunction && target.storageClass != CX_SC_Static
      return AccessPath(root: name, rootKind: isLocal ? .local : .global)
    case CXCursor_FunctionDecl:
      return AccessPath(root: name, rootKind: .function)
    case CXCursor_EnumConstantDecl:
      return AccessPath(root: name, rootKind: .literal)
    default:
      return AccessPath(root: name, rootKind: .other)
    }
  }
}

extension Cursor {
  /// `(*ops->release)(of)` calls through a dereference; the field is underneath.
  var strippingDereference: Cursor {
    guard kind == CXCursor_UnaryOperator, let inner = children.first else { return self }
    return inner.strippingWrappers
  }
}
