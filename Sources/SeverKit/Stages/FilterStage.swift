import Rules
import SeverConfiguration
import SeverCore

/// Stages 6 and 7 of the pipeline: the configuration, the suppression comments and the
/// baseline, applied to what the analysis found, in one place for every entry point; then the
/// report the reporters render.
enum FilterStage {
  /// Filters `analysis` and builds the report.
  static func run(
    _ analysis: Analysis, configuration: Configuration, baseline: Baseline?,
    rules: Set<String>?
  ) -> (report: Report, filtered: FindingFilter.Outcome) {
    let known = Set(allRuleDescriptions.map(\.id))
    let filtered = FindingFilter(
      configuration: configuration, root: analysis.root, baseline: baseline,
      suppressions: analysis.suppressions, knownRules: known
    ).apply(to: analysis.findings)
    let report = Report(
      root: analysis.root, findings: filtered.reported,
      rules: allRuleDescriptions.filter { rules?.contains($0.id) ?? true },
      diagnostics: analysis.diagnostics + filtered.problems.map(\.toolDiagnostic),
      coverage: analysis.coverage, hidden: filtered.hidden)
    return (report, filtered)
  }
}
