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
    /// Whether a memo of an earlier run with nothing changed may stand in for this one (the
    /// outcome's facts are then empty: `--tables` turns it off).
    public var useMemo = true

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
    let (root, mode) = InputSet.locate(paths: request.options.paths)
    let memoFile = request.useMemo ? RunMemo.file(for: request, root: root) : nil
    let walk = memoFile.map { _ in
      RunMemo.walkHash(paths: request.options.paths, root: root, arch: request.options.arch)
    }
    if let memoFile, let walk, let memo = RunMemo.load(memoFile, walk: walk) {
      return outcome(request, memo: memo, mode: mode)
    }
    // The tree's Kconfig and Kbuild files answer module capability and estimate the
    // configuration extraction parses with (cached between runs).
    let (check, kbuild) = try await Checker.runWithKbuild(request.options)
    var oracleDiagnostics: [ToolDiagnostic] = []
    var answers: KbuildAnswers?
    switch kbuild {
    case .success(let loaded):
      answers = loaded
      if !loaded.skippedFiles.isEmpty {
        oracleDiagnostics.append(
          ToolDiagnostic(
            kind: .moduleCapability, path: check.root,
            message: "\(loaded.skippedFiles.count) Kconfig or Kbuild files could not be read "
              + "(first: \(loaded.skippedFiles[0])); module capability may be wrong"))
      }
    case .failure(let error):
      oracleDiagnostics.append(
        ToolDiagnostic(
          kind: .moduleCapability, path: check.root,
          message: "module capability unknown, every file is treated as built in: \(error)"))
    case nil: break
    }
    let capabilities = ModuleCapabilities.answers(for: check, kbuild: answers)
    let context = RuleContext(files: check.files, capabilities: capabilities)
    let findings = runRules(context, only: request.rules)
    let memo = RunMemo(
      findings: findings,
      diagnostics: check.diagnostics + check.files.flatMap(\.diagnostics),
      oracleDiagnostics: oracleDiagnostics,
      coverage: check.coverage.line, root: check.root,
      inputs: Dictionary(
        uniqueKeysWithValues: (answers?.inputs ?? [:]).map { (check.root + "/" + $0.key, $0.value) }
      ), walk: walk ?? "")
    // Parse failures and crashes are not remembered: the next run tries again.
    if let memoFile, !check.diagnostics.contains(where: { $0.kind == .parseFailure }) {
      memo.store(memoFile)
    }
    var result = outcome(request, memo: memo, mode: check.mode)
    result.check = check
    return result
  }

  /// The outcome from the findings before filtering: configuration, suppressions and the
  /// baseline are applied on every run.
  private static func outcome(_ request: Request, memo: RunMemo, mode: InputSet.Mode) -> Outcome {
    let filtered = FindingFilter(
      configuration: request.configuration, root: memo.root, baseline: request.baseline
    ).apply(to: memo.findings)
    let problems = filtered.problems.map { $0.toolDiagnostic(kind: .invalidSuppression) }
    let report = Report(
      root: memo.root, findings: filtered.reported,
      rules: allRuleDescriptions.filter { request.rules?.contains($0.id) ?? true },
      diagnostics: memo.diagnostics + problems + memo.oracleDiagnostics, coverage: memo.coverage)
    let check = CheckResult(
      root: memo.root, mode: mode, arch: request.options.arch, files: [],
      diagnostics: memo.diagnostics,
      coverage: Coverage(units: 0, files: [], unitFacts: [], notParsed: 0))
    return Outcome(check: check, report: report, allFindings: memo.findings, filtered: filtered)
  }
}
