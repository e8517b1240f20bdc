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
  /// How many findings the configuration, suppressions and the baseline hid.
  public var hidden: HiddenFindings

  /// Creates a report; findings and diagnostics are sorted here.
  public init(
    tool: String = SeverVersion.current, root: String, findings: [Finding],
    rules: [RuleDescription], diagnostics: [ToolDiagnostic] = [], coverage: String = "",
    hidden: HiddenFindings = HiddenFindings()
  ) {
    self.tool = tool
    self.root = root
    self.findings = findings.sorted()
    self.rules = rules.sorted { $0.id < $1.id }
    self.diagnostics = diagnostics.sorted()
    self.coverage = coverage
    self.hidden = hidden
  }

  private enum CodingKeys: String, CodingKey {
    case tool, root, findings, rules, diagnostics, coverage, hidden
  }

  /// Decodes a report; one written before `hidden` existed hid nothing.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    tool = try container.decode(String.self, forKey: .tool)
    root = try container.decode(String.self, forKey: .root)
    findings = try container.decode([Finding].self, forKey: .findings)
    rules = try container.decode([RuleDescription].self, forKey: .rules)
    diagnostics = try container.decode([ToolDiagnostic].self, forKey: .diagnostics)
    coverage = try container.decode(String.self, forKey: .coverage)
    hidden = try container.decodeIfPresent(HiddenFindings.self, forKey: .hidden) ?? HiddenFindings()
  }
}

/// Findings a run found but does not report, by what hid them; the summary line says so, so a
/// run that reports nothing never reads as clean when the baseline or a suppression hid
/// something.
public struct HiddenFindings: Codable, Sendable, Hashable {
  /// Dropped by `.sever.yml` (a disabled rule, an excluded path).
  public var configuration: Int
  /// Hidden by `sever: ignore[…]` comments with a reason.
  public var suppressed: Int
  /// Hidden because the baseline knows them.
  public var baseline: Int

  /// Creates counts.
  public init(configuration: Int = 0, suppressed: Int = 0, baseline: Int = 0) {
    self.configuration = configuration
    self.suppressed = suppressed
    self.baseline = baseline
  }

  /// Whether nothing was hidden.
  public var isEmpty: Bool { configuration == 0 && suppressed == 0 && baseline == 0 }

  /// `2 hidden by the baseline, 1 suppressed`, or empty when nothing was hidden.
  public var description: String {
    var parts: [String] = []
    if baseline > 0 { parts.append("\(baseline) hidden by the baseline") }
    if suppressed > 0 { parts.append("\(suppressed) suppressed") }
    if configuration > 0 { parts.append("\(configuration) dropped by the configuration") }
    return parts.joined(separator: ", ")
  }
}
