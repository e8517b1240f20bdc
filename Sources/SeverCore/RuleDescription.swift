/// What a rule is, for people and for reporters: id, name, one-line summary, rationale citing the
/// contract and the kernel history, severity, confidence, the fix pattern, and examples that are
/// also tests (SwiftLint's `RuleDescription`).
public struct RuleDescription: Codable, Sendable, Hashable {
  /// Kebab-case id with an area prefix (`kernfs-poll-head-lifetime`).
  public var id: String
  /// Title-case name.
  public var name: String
  /// One sentence: SARIF `shortDescription` and the `sever rules` line.
  public var summary: String
  /// Markdown: why, citing contract clauses and kernel commits.
  public var rationale: String
  /// The contract clauses the rule enforces.
  public var clauses: [ContractRule]
  /// Kernel commits (hash and subject) the rule would have caught or that define the contract.
  public var commits: [String]
  /// CVEs of bugs the rule would have caught.
  public var cves: [String]
  /// The severity before configuration.
  public var defaultSeverity: Severity
  /// How sure the rule usually is.
  public var confidence: Finding.Confidence
  /// The fix pattern, one or two sentences.
  public var fix: String
  /// C snippets the rule must flag; `↓` marks where.
  public var triggeringExamples: [Example]
  /// C snippets the rule must not flag.
  public var nonTriggeringExamples: [Example]

  /// Creates a description.
  public init(
    id: String, name: String, summary: String, rationale: String, clauses: [ContractRule],
    commits: [String] = [], cves: [String] = [], defaultSeverity: Severity,
    confidence: Finding.Confidence, fix: String, triggeringExamples: [Example] = [],
    nonTriggeringExamples: [Example] = []
  ) {
    self.id = id
    self.name = name
    self.summary = summary
    self.rationale = rationale
    self.clauses = clauses
    self.commits = commits
    self.cves = cves
    self.defaultSeverity = defaultSeverity
    self.confidence = confidence
    self.fix = fix
    self.triggeringExamples = triggeringExamples
    self.nonTriggeringExamples = nonTriggeringExamples
  }
}

/// A C snippet in a rule's description, remembering where it was written so a failing example
/// points at its own line.
public struct Example: Codable, Sendable, Hashable {
  /// The code; `↓` before the token where the finding must point (triggering examples).
  public var code: String
  /// The Swift file that declares the example.
  public var file: String
  /// The line in that file.
  public var line: Int
  /// The severity the finding must have, when the example pins it (a note, a warning).
  public var severity: Severity?
  /// Words the finding's message must contain, when the example pins them.
  public var message: String?

  /// Creates an example; `severity` and `message` check the finding beyond its location.
  public init(
    _ code: String, severity: Severity? = nil, message: String? = nil,
    file: String = #filePath, line: Int = #line
  ) {
    self.code = code
    self.severity = severity
    self.message = message
    self.file = file
    self.line = line
  }

  /// The code without `↓` markers, as it is handed to the parser.
  public var strippingMarkers: String { code.replacingOccurrences(of: "↓", with: "") }
}

extension String {
  fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
