import Foundation
import KernfsModel
import Rules
import SeverCore

/// The whole analysis: extraction (`Checker`), module capability for the files that define
/// tables, then the rules over the joined facts of every file.
public enum Linter {
  /// The outcome of a run: the facts and coverage, and the report with findings.
  public struct Outcome: Sendable {
    /// Facts and coverage.
    public var check: CheckResult
    /// Findings, rules and diagnostics for the reporters.
    public var report: Report
  }

  /// Runs extraction and every rule (or those in `rules`).
  public static func run(_ options: CheckOptions, rules: Set<String>? = nil) async throws(SeverKitError)
    -> Outcome
  {
    let check = try await Checker.run(options)
    let capabilities = ModuleCapabilities.answers(for: check, options: options)
    let context = RuleContext(files: check.files, capabilities: capabilities)
    let findings = runRules(context, only: rules)
    let report = Report(
      root: check.root, findings: findings,
      rules: allRuleDescriptions.filter { rules?.contains($0.id) ?? true },
      diagnostics: check.diagnostics + check.files.flatMap(\.diagnostics),
      coverage: check.coverage.line)
    return Outcome(check: check, report: report)
  }
}
