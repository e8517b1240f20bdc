import SeverCore

/// What the CLI does to a run's findings before reporting, in one call and in this order:
///
/// 1. the configuration: drop disabled rules and excluded paths, override severities (cheap,
///    and it spares reading sources of excluded files);
/// 2. inline suppressions, which read the source lines of the remaining findings;
/// 3. the baseline, last, so `--write-baseline` records exactly what a run would report
///    (write `outcome.reported` before filtering with a baseline).
public struct FindingFilter: Sendable {
  /// The `.sever.yml` settings.
  public var configuration: Configuration
  /// The tree root that finding paths are relative to.
  public var root: String
  /// Known findings to hide, when `--baseline` is given.
  public var baseline: Baseline?

  /// Creates a filter.
  public init(configuration: Configuration, root: String, baseline: Baseline? = nil) {
    self.configuration = configuration
    self.root = root
    self.baseline = baseline
  }

  /// Everything the filter decided.
  public struct Outcome: Sendable, Hashable {
    /// The findings to report, sorted.
    public var reported: [Finding]
    /// Findings hidden by inline suppressions, with reasons (`--verbose` lists them).
    public var suppressed: [SuppressedFinding]
    /// Findings hidden because the baseline knows them.
    public var baselined: [Finding]
    /// How many findings the configuration dropped (disabled rules, excluded paths).
    public var droppedByConfiguration: Int
    /// Suppression comments that did not work; report them as tool diagnostics.
    public var problems: [SuppressionProblem]
  }

  /// Applies configuration, suppressions and baseline to `findings`.
  public func apply(to findings: [Finding]) -> Outcome {
    let configured = configuration.apply(to: findings, root: root)
    let suppression = SuppressionFilter(root: root).apply(to: configured)
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
