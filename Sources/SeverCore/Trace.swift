/// A counterexample from the reference model: the sequence of events that breaks a contract
/// clause, with the state after each step. Findings carry one to explain themselves.
public struct Trace: Codable, Sendable, Hashable {
  /// One event of the trace.
  public struct Step: Codable, Sendable, Hashable {
    /// The event, as the model names it (`sever(node)`, `poll_freewait(P1)`).
    public var event: String
    /// The kernel function the transition mirrors (`kernfs_drain_open_files`).
    public var mirrors: String?
    /// The relevant state after the event, in words.
    public var state: String

    /// Creates a step.
    public init(event: String, mirrors: String? = nil, state: String) {
      self.event = event
      self.mirrors = mirrors
      self.state = state
    }
  }

  /// The clause the last step breaks.
  public var violated: ContractRule
  /// The events, in order.
  public var steps: [Step]
  /// What goes wrong at the last step, in a sentence.
  public var summary: String

  /// Creates a trace.
  public init(violated: ContractRule, steps: [Step], summary: String) {
    self.violated = violated
    self.steps = steps
    self.summary = summary
  }
}
