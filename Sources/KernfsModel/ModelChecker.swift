import SeverCore

/// Explores every interleaving of the model's events for one summary, breadth-first within a
/// bounded scope, and returns the shortest trace that breaks a clause (contract.md §1.10).
///
/// Deterministic: the same summary and scope always give the same verdict, state count and
/// trace, because successors are generated in a fixed order and states are hashed exactly.
public struct ModelChecker: Sendable {
  /// The bounds of every exploration.
  public var scope: ModelScope

  /// Creates a checker; the default scope is the contract's (2 files, 2 pollers).
  public init(scope: ModelScope = .standard) {
    self.scope = scope
  }

  /// Explores `summary`.
  /// - Throws: `ModelInputError.inconsistent` when `summary.problems()` is not empty.
  public func check(_ summary: BehaviourSummary) throws(ModelInputError) -> ModelVerdict {
    let problems = summary.problems()
    guard problems.isEmpty else {
      throw .inconsistent(summary: summary.name, problems: problems)
    }
    let relation = ModelTransitions(summary: summary, scope: scope)
    var search = Search(relation: relation, limit: scope.maxStates)
    let found = search.run()
    return ModelVerdict(
      summary: summary.name, scope: scope, statesExplored: search.states.count,
      transitionsExplored: search.transitions, complete: found != nil || !search.truncated,
      violation: found.map { search.trace(to: $0.parent, via: $0.event, breaking: $0.violation) })
  }

  /// Visits every state reachable from the initial one (or until the first violation) and hands
  /// each to `body`; for tests and diagrams that check invariants over the whole space.
  func forEachReachableState(
    of summary: BehaviourSummary,
    _ body: (ModelState, [(ModelEvent, ModelTransitions.Outcome)])
      -> Void
  ) {
    let relation = ModelTransitions(summary: summary, scope: scope)
    var search = Search(relation: relation, limit: scope.maxStates)
    _ = search.run(visit: body)
  }
}

/// The breadth-first search itself: states in discovery order (which is also the queue), each
/// with the index of its parent and the event that reached it.
private struct Search {
  /// A violation found while expanding `parent` through `event`.
  struct Found {
    var parent: Int
    var event: ModelEvent
    var violation: Violation
  }

  let relation: ModelTransitions
  let limit: Int
  var states: [ModelState] = []
  var parents: [Int32] = []
  var reachedBy: [ModelEvent?] = []
  var index: [ModelState: Int32] = [:]
  var transitions = 0
  var truncated = false

  init(relation: ModelTransitions, limit: Int) {
    self.relation = relation
    self.limit = limit
    let initial = relation.initial
    states = [initial]
    parents = [-1]
    reachedBy = [nil]
    index = [initial: 0]
  }

  /// Runs to the first violation (returned) or until the space is exhausted (nil).
  mutating func run(
    visit: (ModelState, [(ModelEvent, ModelTransitions.Outcome)]) -> Void = { _, _ in }
  ) -> Found? {
    var cursor = 0
    var successors: [(ModelEvent, ModelTransitions.Outcome)] = []
    successors.reserveCapacity(32)
    while cursor < states.count {
      let state = states[cursor]
      successors.removeAll(keepingCapacity: true)
      relation.successors(of: state, into: &successors)
      visit(state, successors)
      for (event, outcome) in successors {
        transitions += 1
        switch outcome {
        case .violation(let violation):
          // States are expanded in order of depth, so the first violation is a shortest one.
          return Found(parent: cursor, event: event, violation: violation)
        case .next(let next):
          guard index[next] == nil else { continue }
          guard states.count < limit else {
            truncated = true
            return nil
          }
          index[next] = Int32(states.count)
          states.append(next)
          parents.append(Int32(cursor))
          reachedBy.append(event)
        }
      }
      cursor += 1
    }
    return nil
  }

  /// The trace from the initial state to `parent`, then the violating `event`.
  func trace(to parent: Int, via event: ModelEvent, breaking violation: Violation) -> Trace {
    var chain: [Int] = []
    var at = parent
    while at > 0 {
      chain.append(at)
      at = Int(parents[at])
    }
    let summary = relation.summary
    let framework = summary.framework
    let lock = relation.breakLock.kernelName
    var steps: [Trace.Step] = chain.reversed().compactMap { stateIndex in
      guard let event = reachedBy[stateIndex] else { return nil }
      return Trace.Step(
        event: event.label(lockName: lock), mirrors: event.mirrors(in: framework),
        state: states[stateIndex].describe(for: summary))
    }
    steps.append(
      Trace.Step(
        event: event.label(lockName: lock), mirrors: event.mirrors(in: framework),
        state: "✗ " + violation.summary))
    return Trace(violated: violation.rule, steps: steps, summary: violation.summary)
  }
}
