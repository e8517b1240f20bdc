import SeverCore

/// A waitqueue head a poll handler hands to `poll_wait`, with the conditions under which it
/// does so.
public struct PolledHead: Sendable, Hashable, SummaryEntry {
  /// The head, in the analysed function's terms (`&of->priv->psi.trigger->event_wait`).
  public var path: AccessPath
  /// Pointers that must be NULL (`true`) or non-NULL (`false`) for the call to happen.
  public var requirements: [NullRequirement]
  /// The functions from the analysed one down to `poll_wait`, outermost first.
  public var chain: [String]
  /// Where `poll_wait` is.
  public var location: SourceLocation
  /// Functions from the analysed one down to `poll_wait`.
  public var depth: Int

  /// The same head at the same `poll_wait` under the same conditions.
  struct Key: Hashable {
    var path: AccessPath
    var location: SourceLocation
    var requirements: [NullRequirement]
  }

  var key: Key { Key(path: path, location: location, requirements: requirements) }

  static func order(_ lhs: PolledHead, _ rhs: PolledHead) -> Bool {
    (lhs.location, lhs.path.description, lhs.requirements.map(\.text).joined(separator: ","))
      < (rhs.location, rhs.path.description, rhs.requirements.map(\.text).joined(separator: ","))
  }

  static func shorter(_ lhs: PolledHead, than rhs: PolledHead) -> Bool {
    (lhs.depth, lhs.chain.joined(separator: ",")) < (rhs.depth, rhs.chain.joined(separator: ","))
  }
}

/// A condition on a pointer, from the `if` statements around a call.
public struct NullRequirement: Sendable, Hashable {
  /// The pointer tested.
  public var path: AccessPath
  /// Whether it must be NULL for the guarded call to run.
  public var mustBeNull: Bool
  /// The condition as written.
  public var text: String
}

extension FunctionSummaries {
  /// One function's polled heads from the finished results of its callees (`known`).
  static func heads(
    _ function: Located<FunctionDefinition>, index: FactIndex, known: [String: [PolledHead]]
  ) -> [PolledHead] {
    let body = function.value
    var result: [PolledHead] = []
    for call in body.calls {
      let requirements = requirements(of: call, in: body)
      if call.callee == "poll_wait", call.arguments.count >= 2 {
        let head = PathAlgebra.resolvingLocals(call.arguments[1], in: body, before: call.location)
        result.append(
          PolledHead(
            path: head, requirements: requirements, chain: [body.name], location: call.location,
            depth: 1))
        continue
      }
      guard call.callee != "kernfs_generic_poll",
        let callee = index.function(named: call.callee, from: function.path)
      else { continue }
      for inner in known[callee.key] ?? [] {
        guard let mapped = PathAlgebra.substituting(inner.path, arguments: call.arguments) else {
          continue
        }
        let innerRequirements = inner.requirements.compactMap { requirement -> NullRequirement? in
          guard let path = PathAlgebra.substituting(requirement.path, arguments: call.arguments)
          else { return nil }
          var copy = requirement
          copy.path = PathAlgebra.resolvingLocals(path, in: body, before: call.location)
          return copy
        }
        result.append(
          PolledHead(
            path: PathAlgebra.resolvingLocals(mapped, in: body, before: call.location),
            requirements: requirements + innerRequirements, chain: [body.name] + inner.chain,
            location: inner.location, depth: inner.depth + 1))
      }
    }
    return result
  }

  /// The NULL tests among the `if` conditions around a call, in the function's terms.
  static func requirements(of call: CallFact, in body: FunctionDefinition) -> [NullRequirement] {
    var result: [NullRequirement] = []
    for guardText in call.guards {
      let negated = guardText.hasPrefix("!(") && guardText.hasSuffix(")")
      let text = negated ? String(guardText.dropFirst(2).dropLast()) : guardText
      for condition in body.conditions where condition.text == text {
        guard let tested = condition.tested else { continue }
        let path = PathAlgebra.resolvingLocals(tested, in: body, before: condition.location)
        result.append(
          NullRequirement(
            path: path,
            mustBeNull: condition.takenWhenNull != negated, text: guardText))
      }
    }
    return result
  }
}
