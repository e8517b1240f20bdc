import SeverCore

/// An object a function frees, directly or through the helpers it calls.
public struct FreedObject: Sendable, Hashable {
  /// The pointer to the freed object, in the analysed function's terms.
  public var path: AccessPath
  /// The functions from the analysed one down to the free, outermost first.
  public var chain: [String]
  /// Where the free is (`kfree(t)` in `psi_trigger_destroy`).
  public var location: SourceLocation
  /// The freeing call (`kfree`, `kvfree`, `kfree_rcu`, `kref_put`).
  public var callee: String
}

extension FactIndex {
  /// Functions that free their argument at the given position.
  static let freeFunctions: [String: Int] = [
    "kfree": 0, "kvfree": 0, "kfree_sensitive": 0, "kzfree": 0, "vfree": 0,
    "kmem_cache_free": 1, "kvfree_call_rcu": 1, "kfree_rcu": 0, "kvfree_rcu": 0,
    "kfree_rcu_mightsleep": 0, "kvfree_rcu_mightsleep": 0,
  ]

  /// What `function` frees, as pointers rooted at its parameters or at globals, through helpers
  /// it calls up to a depth of eight; `kref_put(&x->ref, release)` frees `x` when `release`
  /// frees anything.
  public func frees(_ function: Located<FunctionDefinition>, depth: Int = 8) -> [FreedObject] {
    if let cached = freeCache[function.key] { return cached }
    guard depth > 0, !inProgress.contains(function.key) else { return [] }
    inProgress.insert(function.key)
    defer { inProgress.remove(function.key) }
    var result: [FreedObject] = []
    let body = function.value
    for call in body.calls {
      if let index = Self.freeFunctions[call.callee], index < call.arguments.count {
        let freed = PathAlgebra.resolvingLocals(
          call.arguments[index], in: body, before: call.location)
        if Self.isTracked(freed) {
          result.append(
            FreedObject(
              path: freed, chain: [body.name], location: call.location,
              callee: call.callee))
        }
        continue
      }
      if call.callee == "kref_put", call.arguments.count >= 2,
        call.arguments[1].rootKind == .function,
        let release = self.function(named: call.arguments[1].root, from: function.path),
        !frees(release, depth: depth - 1).isEmpty
      {
        let reference = PathAlgebra.resolvingLocals(
          call.arguments[0], in: body, before: call.location)
        var object = reference
        object.addressOf = false
        if let container = object.parent, Self.isTracked(container) {
          result.append(
            FreedObject(
              path: container, chain: [body.name, release.value.name],
              location: call.location, callee: "kref_put"))
        }
        continue
      }
      guard let callee = self.function(named: call.callee, from: function.path) else { continue }
      for inner in frees(callee, depth: depth - 1) {
        guard
          let mapped = PathAlgebra.substituting(inner.path, arguments: call.arguments).map({
            PathAlgebra.resolvingLocals($0, in: body, before: call.location)
          }), Self.isTracked(mapped)
        else { continue }
        result.append(
          FreedObject(
            path: mapped, chain: [body.name] + inner.chain,
            location: inner.location, callee: inner.callee))
      }
    }
    freeCache[function.key] = result
    return result
  }

  /// Whether `function` (or a helper it calls) stores NULL into `of->priv`.
  public func clearsPriv(_ function: Located<FunctionDefinition>) -> Bool {
    let reachable = self.reachable(from: [function], depth: 3)
    for name in reachable {
      guard let located = functionByKey(name) else { continue }
      for store in located.value.stores where store.value.isNull {
        let target = PathAlgebra.resolvingLocals(
          store.target, in: located.value, before: store.location)
        if target.fields == ["priv"], target.recordTags.last == "kernfs_open_file" { return true }
      }
    }
    return false
  }

  /// Whether `function` or a helper calls one of `names`.
  public func calls(_ names: Set<String>, from function: Located<FunctionDefinition>) -> Bool {
    reachable(from: [function], depth: 6).contains { key in
      functionByKey(key)?.value.calls.contains { names.contains($0.callee) } ?? false
    }
  }

  func functionByKey(_ key: String) -> Located<FunctionDefinition>? {
    guard let hash = key.lastIndex(of: "#") else { return nil }
    let path = String(key[..<hash])
    let name = String(key[key.index(after: hash)...])
    return function(named: name, from: path).flatMap { $0.path == path ? $0 : nil }
  }

  /// Paths the rules can relate between functions: rooted at a parameter or a global.
  static func isTracked(_ path: AccessPath) -> Bool {
    path.rootKind == .parameter || path.rootKind == .global
  }
}
