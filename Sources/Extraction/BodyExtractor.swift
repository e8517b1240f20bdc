import CClang
import SeverCore

/// Walks one function body and records what the rules need: dispatches through a table's
/// function-pointer field, registrations that hand a table to a framework, every direct call
/// with its arguments as access paths and the `if` conditions around it, stores, and reads
/// through parameters and locals.
///
/// The walk is iterative and bounded: a body can be a single expression of 100,000 terms (or a
/// macro that expands to one), which a recursive walk would follow until the stack overflows.
/// Code nested deeper than `maximumDepth` below the body is not walked; the summary says where,
/// and the unit gets an `incomplete-facts` diagnostic.
struct BodyExtractor {
  let unit: TranslationUnit

  /// How deep below a function body the walk goes (statements and expressions alike), and how
  /// many member and subscript steps an access path keeps. Kernel code stays below it (no unit
  /// a whole-tree check of linux-6.12 or 6.1 parses reaches it); what goes deeper is generated
  /// or hostile, and walking it all would only multiply the facts (the `if` conditions around a
  /// call are kept with it, so nested `if`s grow the facts with the square of their depth).
  static let maximumDepth = 1_000

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
    /// The declaration each direct call names, by callee: how the `static inline` helpers of
    /// headers are found (`FactExtractor.headerHelpers`) without walking the unit's
    /// declarations, which a precompiled header holds by the thousand.
    var callees: [String: Cursor] = [:]
    /// Where the first subtree deeper than `maximumDepth` starts, when the walk cut one off.
    var cutOff: SourceLocation?
  }

  /// Summarises `function` (a `FunctionDecl` definition) whose body is `body`.
  func summarize(_ function: Cursor, body: Cursor, name: String) -> Summary {
    var walker = Walker(unit: unit, function: name)
    walker.summary.parameters = function.children.filter { $0.kind == CXCursor_ParmDecl }.map {
      ParameterFact(name: $0.spelling, recordTag: $0.type.recordTag)
    }
    walker.parameterNames = walker.summary.parameters.map(\.name)
    walker.walk(body)
    return walker.summary
  }
}

/// The walk behind `BodyExtractor`; a struct so each body gets fresh state.
private struct Walker {
  let unit: TranslationUnit
  let function: String
  var parameterNames: [String] = []
  var localNames: Set<String> = []
  var summary = BodyExtractor.Summary()

  /// A node still to visit, with the `if` conditions around it and its depth below the body.
  private struct Pending {
    var cursor: Cursor
    var guards: [String]
    var depth: Int
  }

  init(unit: TranslationUnit, function: String) {
    self.unit = unit
    self.function = function
  }

  /// Visits `body` and everything below it in source order (pre-order, children left to
  /// right), with an explicit stack instead of recursion.
  mutating func walk(_ body: Cursor) {
    var pending = [Pending(cursor: body, guards: [], depth: 0)]
    while let next = pending.popLast() {
      // Children are pushed last first, so they are popped in source order.
      for child in visit(next.cursor, guards: next.guards).reversed() {
        guard next.depth < BodyExtractor.maximumDepth else {
          if summary.cutOff == nil { summary.cutOff = unit.location(of: child.cursor) }
          break
        }
        pending.append(Pending(cursor: child.cursor, guards: child.guards, depth: next.depth + 1))
      }
    }
  }

  /// Records the facts of one node; returns the nodes below it to visit, with their guards.
  private mutating func visit(_ cursor: Cursor, guards: [String])
    -> [(cursor: Cursor, guards: [String])]
  {
    switch cursor.kind {
    case CXCursor_IfStmt:
      let parts = cursor.children
      guard let condition = parts.first else { return [] }
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
      var next = [(cursor: condition, guards: guards)]
      if parts.count > 1 { next.append((parts[1], guards + [text])) }
      if parts.count > 2 { next.append((parts[2], guards + ["!(\(text))"])) }
      return next
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
      if let base, base.kind != CXCursor_DeclRefExpr { return [(base, guards)] }
      return []
    default:
      break
    }
    return cursor.children.map { ($0, guards) }
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
      if summary.callees[name] == nil { summary.callees[name] = target }
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

  /// The operands of a chain of `&&`, each of which holds in the taken branch, left to right.
  func conjuncts(_ condition: Cursor) -> [Cursor] {
    var result: [Cursor] = []
    var pending = [condition]
    while let next = pending.popLast() {
      let cursor = next.strippingWrappers
      let parts = cursor.children
      guard cursor.kind == CXCursor_BinaryOperator, parts.count == 2,
        unit.operatorSpelling(after: parts[0]) == "&&"
      else {
        result.append(cursor)
        continue
      }
      pending += [parts[1], parts[0]]
    }
    return result
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
    var cursor = condition.strippingWrappers
    // Each `!` in front flips the answer; counted in a loop, as `!!!…!p` can be long.
    var negated = false
    while cursor.kind == CXCursor_UnaryOperator, unit.firstToken(of: cursor) == "!",
      let operand = cursor.children.first
    {
      negated.toggle()
      cursor = operand.strippingWrappers
    }
    let (tested, whenNull) = plainNullTest(cursor)
    return (tested, negated ? !whenNull : whenNull)
  }

  /// `nullTest` of a condition that does not start with `!`.
  private func plainNullTest(_ cursor: Cursor) -> (AccessPath?, Bool) {
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

  /// One member or subscript step of an access path, with the `&` and `*` in front of it.
  private struct PathStep {
    var field: String
    var recordTag: String
    var arrow: Bool
    /// `&` and `*` from the outside in, applied to the path after this step.
    var operators: [Character]
  }

  /// The access path of an expression: `&a->b.c[i]` as a root and its steps. Built in a loop
  /// from the outside in, then from the root out; a chain longer than
  /// `BodyExtractor.maximumDepth` steps becomes an unknown value instead of a path.
  func path(_ expression: Cursor) -> AccessPath {
    var steps: [PathStep] = []
    var current = expression
    var result = AccessPath(root: "?", rootKind: .other)
    descent: while true {
      var cursor = current.strippingWrappers
      let operators = prefixOperators(&cursor)
      switch cursor.kind {
      case CXCursor_MemberRefExpr, CXCursor_ArraySubscriptExpr:
        let base = cursor.children.first
        if cursor.kind == CXCursor_MemberRefExpr {
          steps.append(
            PathStep(
              field: cursor.spelling, recordTag: base?.type.recordTag ?? "",
              arrow: base.map { clang_getCanonicalType($0.type).kind == CXType_Pointer } ?? true,
              operators: operators))
        } else {
          steps.append(PathStep(field: "[]", recordTag: "", arrow: false, operators: operators))
        }
        guard steps.count <= BodyExtractor.maximumDepth else { return result }
        // Without a base the root stays unknown and the steps still apply.
        guard let base else { break descent }
        current = base
      case CXCursor_DeclRefExpr:
        result = applying(operators, to: reference(cursor))
        break descent
      case CXCursor_CallExpr:
        result = applying(
          operators, to: AccessPath(root: cursor.referenced?.spelling ?? "?", rootKind: .call))
        break descent
      case CXCursor_IntegerLiteral:
        // `NULL` expands to `((void *)0)`: a zero whose expression has pointer type.
        let text = unit.text(of: cursor, limit: 24) ?? "0"
        let isPointer = clang_getCanonicalType(current.type).kind == CXType_Pointer
        result = applying(
          operators,
          to: AccessPath(root: text == "0" && isPointer ? "NULL" : text, rootKind: .literal))
        break descent
      default:
        result = applying(
          operators, to: AccessPath(root: unit.text(of: cursor, limit: 60) ?? "?", rootKind: .other)
        )
        break descent
      }
    }
    for step in steps.reversed() {
      result = applying(
        step.operators,
        to: result.appending(step.field, recordTag: step.recordTag, arrow: step.arrow))
    }
    return result
  }

  /// The `&` and `*` in front of an expression, from the outside in; moves `cursor` to what
  /// they apply to.
  private func prefixOperators(_ cursor: inout Cursor) -> [Character] {
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
    return operators
  }

  /// `&` and `*` applied to a path from the inside out.
  private func applying(_ operators: [Character], to path: AccessPath) -> AccessPath {
    operators.reversed().reduce(path) { $1 == "&" ? $0.takingAddress : $0.dereferenced }
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
