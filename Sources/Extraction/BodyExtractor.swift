import CClang
import SeverCore

/// Walks one function body for the calls that matter: dispatches through a table's
/// function-pointer field, and registrations that hand a table to a framework.
struct BodyExtractor {
  let unit: TranslationUnit

  /// Dispatch sites and registrations in `function`'s body, in source order.
  func calls(in function: Cursor, named name: String) -> (
    dispatches: [DispatchSite], registrations: [Registration]
  ) {
    var dispatches: [DispatchSite] = []
    var registrations: [Registration] = []
    function.walk { cursor in
      guard cursor.kind == CXCursor_CallExpr, let location = unit.location(of: cursor) else {
        return true
      }
      let parts = cursor.children
      guard let calleeExpression = parts.first else { return true }
      let callee = calleeExpression.strippingWrappers.strippingDereference
      if callee.kind == CXCursor_MemberRefExpr, let field = callee.referenced,
        field.kind == CXCursor_FieldDecl, let tag = field.semanticParent.type.declaredRecordTag,
        let kind = TableKind(structTag: tag)
      {
        dispatches.append(
          DispatchSite(
            tableKind: kind, field: field.spelling,
            enclosingFunction: name, expression: unit.text(of: callee, limit: 80) ?? field.spelling,
            location: location))
      } else if let target = cursor.referenced, target.kind == CXCursor_FunctionDecl {
        registrations += self.registrations(
          calling: target.spelling, arguments: Array(parts.dropFirst()), in: name, at: location)
      }
      return true
    }
    return (dispatches, registrations)
  }

  private func registrations(
    calling callee: String, arguments: [Cursor], in function: String, at location: SourceLocation
  ) -> [Registration] {
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
    let candidates =
      stripped.kind == CXCursor_DeclRefExpr
      ? [stripped]
      : [stripped.firstDescendant { $0.kind == CXCursor_DeclRefExpr }].compactMap { $0 }
    for reference in candidates {
      guard let target = reference.referenced, target.kind == CXCursor_VarDecl,
        let tag = target.type.declaredRecordTag, TableKind(structTag: tag) != nil
      else { continue }
      return target
    }
    return nil
  }
}

extension Cursor {
  /// `(*ops->release)(of)` calls through a dereference; the field is underneath.
  var strippingDereference: Cursor {
    guard kind == CXCursor_UnaryOperator, let inner = children.first else { return self }
    return inner.strippingWrappers
  }
}
