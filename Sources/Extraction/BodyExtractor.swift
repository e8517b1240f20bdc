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
      visit(condition, guards: guards)
      if parts.count > 1 { visit(parts[1], guards: guards + [text]) }
      if parts.count > 2 { visit(parts[2], guards: guards + ["!(\(text))"]) }
      return
    case CXCursor_CallExpr:
      call(cursor, guards: guards)
    case CXCursor_BinaryOperator:
      let parts = cursor.children
      if parts.count == 2, unit.operatorSpelling(after: parts[0]) == "=",
        let location = unit.location(of: cursor)
      {
        summary.stores.append(
          StoreFact(
            target: path(parts[0]), value: path(parts[1]),
            location: location, guards: guards))
      }
    case CXCursor_VarDecl:
      if let initializer = cursor.children.last(where: { $0.kind != CXCursor_TypeRef }),
        cursor.children.count > 0, clang_isExpression(initializer.kind) != 0,
        let location = unit.location(of: cursor)
      {
        let target = AccessPath(root: cursor.spelling, rootKind: .local)
        summary.stores.append(
          StoreFact(
            target: target, value: path(initializer),
            location: location, guards: guards))
      }
    case CXCursor_MemberRefExpr:
      let read = path(cursor)
      if read.rootKind == .parameter || read.rootKind == .local,
        let location = unit.location(of: cursor)
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

  /// The access path of an expression.
  func path(_ expression: Cursor) -> AccessPath {
    var cursor = expression.strippingWrappers
    var addressOf = false
    while cursor.kind == CXCursor_UnaryOperator, let inner = cursor.children.first {
      let op = unit.firstToken(of: cursor)
      guard op == "&" || op == "*" else { break }
      if op == "&" { addressOf = true }
      cursor = inner.strippingWrappers
    }
    var result: AccessPath
    switch cursor.kind {
    case CXCursor_MemberRefExpr:
      let base = cursor.children.first
      result = base.map { path($0) } ?? AccessPath(root: "?", rootKind: .other)
      result.addressOf = false
      result.fields.append(cursor.spelling)
      result.recordTags.append(base?.type.recordTag ?? "")
      result.arrows.append(
        base.map { clang_getCanonicalType($0.type).kind == CXType_Pointer } ?? true)
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
      result.fields.append("[]")
      result.recordTags.append("")
      result.arrows.append(false)
    default:
      result = AccessPath(root: unit.text(of: cursor, limit: 60) ?? "?", rootKind: .other)
    }
    result.addressOf = result.addressOf || addressOf
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
