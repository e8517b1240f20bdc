import Foundation
import Kbuild
import KernfsModel
import Rules
import SeverConfiguration
import SeverCore

/// The whole analysis: extraction (`Checker`), module capability for the files that define
/// tables, the rules over the joined facts of every file, then configuration, inline
/// suppressions and the baseline.
public enum Linter {
  /// What a run is asked to do beyond extraction.
  public struct Request: Sendable {
    /// Extraction options.
    public var options: CheckOptions
    /// Only these rules, when set.
    public var rules: Set<String>?
    /// The `.sever.yml` in force.
    public var configuration: Configuration
    /// Known findings to hide.
    public var baseline: Baseline?

    /// Creates a request.
    public init(
      options: CheckOptions, rules: Set<String>? = nil,
      configuration: Configuration = Configuration(),
      baseline: Baseline? = nil
    ) {
      self.options = options
      self.rules = rules
      self.configuration = configuration
      self.baseline = baseline
    }
  }

  /// The outcome of a run.
  public struct Outcome: Sendable {
    /// Facts and coverage.
    public var check: CheckResult
    /// Reported findings, rules and diagnostics for the reporters.
    public var report: Report
    /// Every finding before configuration, suppressions and baseline.
    public var allFindings: [Finding]
    /// What the filter hid, and why.
    public var filtered: FindingFilter.Outcome
  }

  /// Runs extraction, the rules and the filters.
  public static func run(_ request: Request) async throws(SeverKitError) -> Outcome {
    // The Kbuild oracle reads the tree's Makefiles and Kconfig while extraction parses.
    // The oracle reads the tree's Makefiles and Kconfig once: it answers module capability and
    // estimates the configuration extraction parses with.
    let (root, mode) = InputSet.locate(paths: request.options.paths)
    let loading = await ModuleCapabilities.oracle(root: root, mode: mode, options: request.options)
    let loaded = try? loading?.get()
    let check = try await Checker.run(request.options, oracle: loaded)
    var oracleDiagnostics: [ToolDiagnostic] = []
    let oracle: KbuildOracle?
    switch loading {
    case .success(let loaded): oracle = loaded
    case .failure(let error):
      oracle = nil
      oracleDiagnostics.append(
        ToolDiagnostic(
          kind: .moduleCapability, path: check.root,
          message: "module capability unknown, every file is treated as built in: \(error)"))
    case nil: oracle = nil
    }
    let capabilities = ModuleCapabilities.answers(for: check, oracle: oracle)
    let context = RuleContext(files: check.files, capabilities: capabilities)
    let findings = runRules(context, only: request.rules)
    let filtered = FindingFilter(
      configuration: request.configuration, root: check.root, baseline: request.baseline
    ).apply(to: findings)
    let problems = filtered.problems.map { $0.toolDiagnostic(kind: .invalidSuppression) }
    let report = Report(
      root: check.root, findings: filtered.reported,
      rules: allRuleDescriptions.filter { request.rules?.contains($0.id) ?? true },
      diagnostics: check.diagnostics + check.files.flatMap(\.diagnostics) + problems
        + oracleDiagnostics,
      coverage: check.coverage.line)
    return Outcome(check: check, report: report, allFindings: findings, filtered: filtered)
  }
}
