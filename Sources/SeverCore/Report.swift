/// Everything a reporter renders: findings, the rules that ran, the tool diagnostics, and run
/// metadata. Reporters read this and nothing else.
public struct Report: Codable, Sendable, Hashable {
  /// sever's version.
  public var tool: String
  /// The tree root every path is relative to (absolute).
  public var root: String
  /// Findings, sorted.
  public var findings: [Finding]
  /// The rules that ran.
  public var rules: [RuleDescription]
  /// What sever could not do.
  public var diagnostics: [ToolDiagnostic]
  /// The coverage line (`sever: coverage: …`).
  public var coverage: String

  /// Creates a report; findings and diagnostics are sorted here.
  public init(
    tool: String = SeverVersion.current, root: String, findings: [Finding],
    rules: [RuleDescription], diagnostics: [ToolDiagnostic] = [], coverage: String = ""
  ) {
    self.tool = tool
    self.root = root
    self.findings = findings.sorted()
    self.rules = rules.sorted { $0.id < $1.id }
    self.diagnostics = diagnostics.sorted()
    self.coverage = coverage
  }
}
