import SeverCore

/// An object a function frees, directly or through the helpers it calls.
public struct FreedObject: Sendable, Hashable, SummaryEntry {
  /// The pointer to the freed object, in the analysed function's terms.
  public var path: AccessPath
  /// The functions from the analysed one down to the free, outermost first.
  public var chain: [String]
  /// Where the free is (`kfree(t)` in `psi_trigger_destroy`).
  public var location: SourceLocation
  /// The freeing call (`kfree`, `kvfree`, `kfree_rcu`, `kref_put`).
  public var callee: String
  /// Functions from the analysed one down to the free; for `kref_put`, down to the free in the
  /// release function it names.
  public var depth: Int

  /// The same object freed by the same call, reached by another chain.
  struct Key: Hashable {
    var path: AccessPath
    var location: SourceLocation
    var callee: String
  }

  var key: Key { Key(path: path, location: location, callee: callee) }

  static func order(_ lhs: FreedObject, _ rhs: FreedObject) -> Bool {
    (lhs.location, lhs.path.description, lhs.callee, lhs.depth, lhs.chain.joined(separator: ","))
      < (
        rhs.location, rhs.path.description, rhs.callee, rhs.depth, rhs.chain.joined(separator: ",")
      )
  }

  static func shorter(_ lhs: FreedObject, than rhs: FreedObject) -> Bool {
    (lhs.depth, lhs.chain.joined(separator: ",")) < (rhs.depth, rhs.chain.joined(separator: ","))
  }
}

extension FunctionSummaries {
  /// Functions that free their argument at the given position.
  static let freeFunctions: [String: Int] = [
    "kfree": 0, "kvfree": 0, "kfree_sensitive": 0, "kzfree": 0, "vfree": 0,
    "kmem_cache_free": 1, "kvfree_call_rcu": 1, "kfree_rcu": 0, "kvfree_rcu": 0,
    "kfree_rcu_mightsleep": 0, "kvfree_rcu_mightsleep": 0,
  ]

  /// The release functions `kref_put(&x->ref, release)` calls name: edges of the call graph for
  /// this analysis.
  static func krefReleases(of function: Located<FunctionDefinition>, index: FactIndex)
    -> [Located<FunctionDefinition>]
  {
    function.value.calls.compactMap { call in
      guard call.callee == "kref_put", call.arguments.count >= 2,
        call.arguments[1].rootKind == .function
      else { return nil }
      return index.function(named: call.arguments[1].root, from: function.path)
    }
  }

  /// One function's frees from the finished results of its callees (`known`).
  static func frees(
    _ function: Located<FunctionDefinition>, index: FactIndex, known: [String: [FreedObject]]
  ) -> [FreedObject] {
    var result: [FreedObject] = []
    let body = function.value
    for call in body.calls {
      if let position = freeFunctions[call.callee], position < call.arguments.count {
        let freed = PathAlgebra.resolvingLocals(
          call.arguments[position], in: body, before: call.location)
        if isTracked(freed) {
          result.append(
            FreedObject(
              path: freed, chain: [body.name], location: call.location, callee: call.callee,
              depth: 1))
        }
        continue
      }
      if call.callee == "kref_put", call.arguments.count >= 2,
        call.arguments[1].rootKind == .function,
        let release = index.function(named: call.arguments[1].root, from: function.path),
        let shortest = known[release.key]?.map(\.depth).min()
      {
        var object = PathAlgebra.resolvingLocals(
          call.arguments[0], in: body, before: call.location)
        object.addressOf = false
        if let container = object.parent, isTracked(container) {
          result.append(
            FreedObject(
              path: container, chain: [body.name, release.value.name],
              location: call.location, callee: "kref_put", depth: 1 + shortest))
        }
        continue
      }
      guard let callee = index.function(named: call.callee, from: function.path) else { continue }
      for inner in known[callee.key] ?? [] {
        guard
          let mapped = PathAlgebra.substituting(inner.path, arguments: call.arguments).map({
            PathAlgebra.resolvingLocals($0, in: body, before: call.location)
          }), isTracked(mapped)
        else { continue }
        result.append(
          FreedObject(
            path: mapped, chain: [body.name] + inner.chain, location: inner.location,
            callee: inner.callee, depth: inner.depth + 1))
      }
    }
    return result
  }

  /// Paths the rules can relate between functions: rooted at a parameter or a global.
  static func isTracked(_ path: AccessPath) -> Bool {
    path.rootKind == .parameter || path.rootKind == .global
  }
}
