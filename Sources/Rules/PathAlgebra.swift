import SeverCore

/// Moving access paths between functions: replacing locals by what was stored in them, and a
/// callee's parameters by the caller's arguments.
enum PathAlgebra {
  /// Replaces a local root by the value last stored into it before `location` (repeatedly, so
  /// `t = ctx->psi.trigger; ctx = of->priv` gives `of->priv->psi.trigger`).
  static func resolvingLocals(
    _ path: AccessPath, in function: FunctionDefinition, before location: SourceLocation
  ) -> AccessPath {
    var current = path
    var limit = location
    for _ in 0..<6 where current.rootKind == .local {
      let store = function.stores.last {
        $0.target.rootKind == .local && $0.target.root == current.root
          && $0.target.fields.isEmpty && $0.location < limit
      }
      guard let store, [.parameter, .local, .global].contains(store.value.rootKind) else { break }
      limit = store.location
      current = appending(steps(of: current), to: store.value, finalAddress: current.addressOf)
    }
    return current
  }

  /// A callee's path with its parameter root replaced by the matching argument of the call;
  /// nil when the argument is not a path (a constant, arithmetic) or the root is not a
  /// parameter.
  static func substituting(_ path: AccessPath, arguments: [AccessPath]) -> AccessPath? {
    switch path.rootKind {
    case .global:
      return path
    case .parameter:
      guard let index = path.parameterIndex, index < arguments.count else { return nil }
      let argument = arguments[index]
      guard [.parameter, .local, .global].contains(argument.rootKind) else { return nil }
      return appending(steps(of: path), to: argument, finalAddress: path.addressOf)
    default:
      return nil
    }
  }

  /// One step of a path: a field reached with `->` or `.`, or a `*`.
  struct Step {
    var field: String
    var recordTag: String
    var arrow: Bool
  }

  static func steps(of path: AccessPath) -> [Step] {
    path.fields.indices.map { i in
      Step(
        field: path.fields[i], recordTag: i < path.recordTags.count ? path.recordTags[i] : "",
        arrow: i < path.arrows.count ? path.arrows[i] : true)
    }
  }

  /// `base` followed by `steps`, as if the steps had been written after the base expression.
  static func appending(_ steps: [Step], to base: AccessPath, finalAddress: Bool) -> AccessPath {
    var result = base
    for step in steps {
      if step.field == "*" {
        result = result.dereferenced
      } else if step.arrow && result.addressOf {
        // `(&x)->f` is `x.f`.
        result.addressOf = false
        result = result.appending(step.field, recordTag: step.recordTag, arrow: false)
      } else {
        result = result.appending(step.field, recordTag: step.recordTag, arrow: step.arrow)
      }
    }
    return finalAddress ? result.takingAddress : result
  }

  /// Whether the object `head` designates lies inside the object `freed` points to: after the
  /// freed path come one `->` and then only embedded members (`.`), or nothing at all.
  static func lies(_ head: AccessPath, inside freed: AccessPath) -> Bool {
    guard head.root == freed.root, head.rootKind == freed.rootKind,
      head.fields.starts(with: freed.fields)
    else { return false }
    let rest = Array(steps(of: head).dropFirst(freed.fields.count))
    guard let first = rest.first else { return !head.addressOf }
    return first.arrow && first.field != "*" && rest.dropFirst().allSatisfy { !$0.arrow }
  }
}
