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

  /// What makes a finding the same finding across edits: the symbols it is about, never a line
  /// number. Two findings with one identity in one file are one finding (another table sharing
  /// the handler adds a note to it).
  public struct Identity: Codable, Sendable, Hashable, Comparable {
    /// The rule's id.
    public var rule: String
    /// The table (qualified name, `demo_files[0]`), or the table kind for framework findings.
    public var table: String?
    /// The function the finding is about: a handler, or the framework function that dispatches.
    public var handler: String?
    /// The table field (`poll`, `free`).
    public var field: String?
    /// What inside that function: the polled head, the stale copy, `last-fput`, …
    public var detail: String?

    /// Creates an identity.
    public init(
      rule: String, table: String? = nil, handler: String? = nil, field: String? = nil,
      detail: String? = nil
    ) {
      self.rule = rule
      self.table = table
      self.handler = handler
      self.field = field
      self.detail = detail
    }

    /// The parts that are set, in a fixed order: rule, table, handler, field, detail.
    public var components: [String] {
      [rule] + [table, handler, field, detail].compactMap { $0 }
    }

    /// The identity as one string, for baselines and fingerprints: `rule|table|handler|…`.
    public var fingerprint: String { components.joined(separator: "|") }

    public static func < (lhs: Identity, rhs: Identity) -> Bool {
      lhs.fingerprint < rhs.fingerprint
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
  /// The symbols that identify the finding across line shifts.
  public var identity: Identity

  /// Creates a finding.
  public init(
    ruleID: String, severity: Severity, confidence: Confidence, message: String,
    location: SourceLocation, notes: [Note] = [], trace: Trace? = nil,
    clauses: [ContractRule] = [], fix: String? = nil, identity: Identity
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

  /// The identity as one string, for baselines and fingerprints.
  public var fingerprint: String { identity.fingerprint }

  /// Findings sort by path, line, column, then rule id, so output is stable.
  public static func < (lhs: Finding, rhs: Finding) -> Bool {
    (lhs.location, lhs.ruleID, lhs.fingerprint) < (rhs.location, rhs.ruleID, rhs.fingerprint)
  }
}
