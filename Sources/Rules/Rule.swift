import Dispatch
import KernfsModel
import SeverCore
import Synchronization

/// A rule: a value with a description (id, rationale citing the contract, examples that are also
/// tests) and one pure method from linked facts to findings (SwiftLint's `Rule`).
public protocol Rule: Sendable {
  /// What the rule is, for `sever rules`, `sever explain` and the reporters.
  static var description: RuleDescription { get }
  /// The historic scenario the rule is about, as the model's input; `sever explain` prints the
  /// model's trace for it.
  static var scenario: BehaviourSummary { get }
  /// What tier 1 must keep for this rule (no default: a rule without one would lose its
  /// findings in a two-tier run).
  static var tierOne: TierOneRequirement { get }
  /// Creates the rule.
  init()
  /// The findings for the facts of a whole run. Pure: no I/O, deterministic order.
  func check(_ context: RuleContext) -> [Finding]
  /// The mechanical fix of one of the rule's findings, computed from the facts, or why there is
  /// none (`sever fix`). Defaults to none: a rule states its fix where it needs no judgement.
  static func fix(_ finding: Finding, in context: FixContext) -> FixOutcome
}

/// The rules sever runs, in the order `sever rules` lists them. Adding a rule: its file, one
/// line here, one fixture folder under `Fixtures/rules/<id>/`.
public let allRules: [any Rule.Type] = [
  PollHeadLifetimeRule.self,
  CallAfterReleaseRule.self,
  StalePrivRule.self,
  MissingOwnerRule.self,
  DebugfsReleasePrivateRule.self,
  DebugfsPollHeadRule.self,
  OpenReleasePairingRule.self,
  MmapVmOpsRule.self,
  ProcPollExitRule.self,
]

/// The rule with this id.
public func rule(withID id: String) -> (any Rule.Type)? {
  allRules.first { $0.description.id == id }
}

/// The descriptions of every rule.
public var allRuleDescriptions: [RuleDescription] { allRules.map { $0.description } }

/// Runs every enabled rule and returns the findings sorted. The rules run on as many threads
/// as there are cores: each is pure over the shared, read-only context (its summaries are
/// computed once behind locks), and the findings are sorted, so the result does not depend on
/// which rule finished first.
public func runRules(_ context: RuleContext, only ids: Set<String>? = nil) -> [Finding] {
  let rules = allRules.filter { rule in ids?.contains(rule.description.id) ?? true }
  let found = Mutex([[Finding]](repeating: [], count: rules.count))
  DispatchQueue.concurrentPerform(iterations: rules.count) { position in
    let findings = rules[position].init().check(context)
    found.withLock { $0[position] = findings }
  }
  return found.withLock { $0 }.flatMap { $0 }.sorted()
}
