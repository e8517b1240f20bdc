import KernfsModel
import SeverCore

/// Traces for clauses the reference model does not explore (RuleCatalog: K11 is enforced by
/// construction, K14 and K16 are not modelled): the kernel's sequence of events written as the
/// model writes its steps, so findings of every rule explain themselves the same way. The
/// summary says that the trace is static, not a model counterexample.
enum StaticTrace {
  /// One step: the event, the kernel function it mirrors, the state after it.
  typealias Step = (event: String, mirrors: String?, state: String)

  /// A trace breaking `clause`, whose last step states what goes wrong.
  static func make(_ clause: ContractRule, steps: [Step], summary: String) -> Trace {
    var built = steps.map { Trace.Step(event: $0.event, mirrors: $0.mirrors, state: $0.state) }
    if var last = built.popLast() {
      last.state = "✗ " + last.state
      built.append(last)
    }
    let coverage = RuleCatalog.coverage(of: clause).rawValue
    return Trace(
      violated: clause, steps: built,
      summary: summary + " (static trace: the model's coverage of \(clause.rawValue) is "
        + "\(coverage))")
  }
}
