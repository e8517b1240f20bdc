import SeverCore

/// What every entry point does to a run's findings before reporting, in one call and in this
/// order:
///
/// 1. the configuration: drop disabled rules and excluded paths, override severities;
/// 2. inline suppressions, from the suppression facts of the files;
/// 3. the baseline, last, so `--write-baseline` records exactly what a run would report.
public struct FindingFilter: Sendable {
  /// The `.sever.yml` settings.
  public var configuration: Configuration
  /// The tree root that finding paths are relative to.
  public var root: String
  /// Known findings to hide, when `--baseline` is given.
  public var baseline: Baseline?
  /// The suppression comments of the run's files, by path.
  public var suppressions: [String: [Suppression]]
  /// The rule ids sever has.
  public var knownRules: Set<String>

  /// Creates a filter.
  public init(
    configuration: Configuration, root: String, baseline: Baseline? = nil,
    suppressions: [String: [Suppression]] = [:], knownRules: Set<String>
  ) {
    self.configuration = configuration
    self.root = root
    self.baseline = baseline
    self.suppressions = suppressions
    self.knownRules = knownRules
  }

  /// Everything the filter decided.
  public struct Outcome: Codable, Sendable, Hashable {
    /// The findings to report, sorted.
    public var reported: [Finding]
    /// Findings hidden by inline suppressions, with reasons (`--verbose` lists them).
    public var suppressed: [SuppressedFinding]
    /// Findings hidden because the baseline knows them.
    public var baselined: [Finding]
    /// How many findings the configuration dropped (disabled rules, excluded paths).
    public var droppedByConfiguration: Int
    /// Suppression comments that do not work; reported as tool diagnostics.
    public var problems: [SuppressionProblem]

    /// How many findings were hidden, and by what, for the summary line.
    public var hidden: HiddenFindings {
      HiddenFindings(
        configuration: droppedByConfiguration, suppressed: suppressed.count,
        baseline: baselined.count)
    }
  }

  /// Applies configuration, suppressions and baseline to `findings`.
  public func apply(to findings: [Finding]) -> Outcome {
    let configured = configuration.apply(to: findings, root: root)
    let suppression = SuppressionFilter(suppressions: suppressions, knownRules: knownRules)
      .apply(to: configured)
    let (new, known) = baseline?.filter(suppression.kept) ?? (suppression.kept, [])
    return Outcome(
      reported: new.sorted(), suppressed: suppression.suppressed, baselined: known,
      droppedByConfiguration: findings.count - configured.count,
      problems: suppression.problems)
  }
}

extension SuppressedFinding: CustomStringConvertible {
  /// A gcc-style line for `--verbose`:
  /// `fs/x.c:4:2: note: suppressed [rule-id] at fs/x.c:3:5: reason`.
  public var description: String {
    "\(finding.location): note: suppressed [\(finding.ruleID)] at \(suppression): \(reason)"
  }
}
