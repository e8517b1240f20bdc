/// One problem a rule found, with everything a reporter prints: where, why (notes on related
/// locations), the model's counterexample, and a stable identity built from symbols.
public struct Finding: Codable, Sendable, Hashable, Comparable {
  /// How sure the rule is (Coccinelle's confidence field).
  public enum Confidence: String, Codable, Sendable, Hashable, CaseIterable {
    case high, moderate, low
  }

  /// A related location with a sentence: the table, the handler, the release path, the
  /// registration, a Kbuild line of the module-capability chain.
  public struct Note: Codable, Sendable, Hashable {
    /// Where.
    public var location: SourceLocation
    /// What is there, in a sentence.
    public var message: String

    /// Creates a note.
    public init(location: SourceLocation, message: String) {
      self.location = location
      self.message = message
    }
  }

  /// The rule's id (`kernfs-poll-head-lifetime`).
  public var ruleID: String
  /// The severity after configuration.
  public var severity: Severity
  /// The rule's confidence in this finding.
  public var confidence: Confidence
  /// The message, one sentence.
  public var message: String
  /// The primary location.
  public var location: SourceLocation
  /// Related locations, in the order a reader follows them.
  public var notes: [Note]
  /// The model's counterexample for this case, when the rule is model-backed.
  public var trace: Trace?
  /// The contract clauses the finding breaks.
  public var clauses: [ContractRule]
  /// A short fix suggestion.
  public var fix: String?
  /// Symbols that identify the finding across line shifts: rule, table, field, handler, …
  /// (`["kernfs-poll-head-lifetime", "demo_pressure_files[0]", "poll", "demo_pressure_poll"]`).
  public var identity: [String]

  /// Creates a finding.
  public init(
    ruleID: String, severity: Severity, confidence: Confidence, message: String,
    location: SourceLocation, notes: [Note] = [], trace: Trace? = nil,
    clauses: [ContractRule] = [], fix: String? = nil, identity: [String]
  ) {
    self.ruleID = ruleID
    self.severity = severity
    self.confidence = confidence
    self.message = message
    self.location = location
    self.notes = notes
    self.trace = trace
    self.clauses = clauses
    self.fix = fix
    self.identity = identity
  }

  /// The identity as one string, for baselines and fingerprints: `rule|table|field|handler`.
  public var fingerprint: String { identity.joined(separator: "|") }

  /// Findings sort by path, line, column, then rule id, so output is stable.
  public static func < (lhs: Finding, rhs: Finding) -> Bool {
    (lhs.location, lhs.ruleID, lhs.fingerprint) < (rhs.location, rhs.ruleID, rhs.fingerprint)
  }
}
