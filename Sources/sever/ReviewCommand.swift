import ArgumentParser
import Foundation
import Reporters
import Review
import SeverConfiguration
import SeverCore

extension ReviewFormat: ExpressibleByArgument {}
extension ReviewScope.Reach: ExpressibleByArgument {}

/// `sever review PATCH`: apply a patch, a format-patch file or an mbox series to the tree in
/// memory, lint the images before and after each patch, and report only what the patch
/// introduces, as a mail reply, b4 check lines, or any `check` format.
struct ReviewCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review",
    abstract: "Review a patch, a git format-patch file or an mbox series: only what it introduces.",
    discussion: """
      The patches are applied in memory (nothing on disk changes); each is linted before and \
      after, and findings are compared by stable identity. With --git RANGE or --staged the \
      base comes from git. Exit status: 0 nothing introduced, 1 findings introduced, 2 usage or \
      input error (a patch that does not apply, a file name leaving the tree), 3 internal error.
      """)

  @OptionGroup var input: InputOptions

  @Option(help: "Output format: review (a mail reply), b4, text, json, sarif, github or gitlab.")
  var format: ReviewFormat = .review

  @Option(help: "The tree the patches apply to (default: the checkout or current directory).")
  var tree: String?

  @Option(help: "Review the commits of a git range (A..B, or A for A..HEAD) in the checkout.")
  var git: String?

  @Flag(help: "Review the staged change (git diff --cached), as the pre-commit hook does.")
  var staged = false

  @Option(
    help: ArgumentHelp(
      "What to parse around the change: affected (default: the changed files and the files "
        + "beside them whose tables reach the change), directory (every file beside them) or "
        + "changed."))
  var reach: ReviewScope.Reach = .affected

  @Option(name: .customLong("rule"), help: "Run only this rule (repeatable).")
  var onlyRules: [String] = []

  @Flag(name: .customLong("no-config-file"), help: "Ignore any .sever.yml.")
  var noConfigFile = false

  @Flag(
    help: """
      Also list on standard error the findings each patch inherits, every tool diagnostic \
      (parse errors included) and, with --format b4, the per-patch summary.
      """)
  var verbose = false

  @Option(
    help: """
      The reply's From: (review format; default: git's committer identity in the tree, else \
      none, for git send-email --from).
      """)
  var from: String?

  @Flag(
    name: .customLong("reply-when-clean"),
    help: "Also reply to patches that introduce nothing (review format).")
  var replyWhenClean = false

  @Option(
    name: .customLong("github-step-summary"),
    help: "Append a Markdown table of the introduced findings to this file ($GITHUB_STEP_SUMMARY).")
  var githubStepSummary: String?

  @Argument(help: "A unified diff, git format-patch file or mbox; '-' for standard input.")
  var patch: String?

  func validate() throws {
    let sources = [patch != nil, git != nil, staged].filter { $0 }.count
    if sources != 1 {
      throw ValidationError("give exactly one of a patch file (or '-'), --git RANGE or --staged")
    }
    // An unknown id would run no rule at all and report a clean review.
    try RuleSelection.validate(onlyRules)
  }

  func run() async throws {
    let session = ReviewSession(
      input: input,
      source: git.map { .gitRange($0) } ?? (staged ? .staged : .file(patch ?? "-")),
      tree: tree, reach: reach, onlyRules: onlyRules, noConfigFile: noConfigFile)
    let reviewed: ReviewOutcome?
    do {
      reviewed = try await session.run()
    } catch {
      // b4 shows a standard-output line with ERROR: as a failure: one line says it all.
      guard format == .b4, let message = error.message else { throw error }
      print("ERROR: sever could not review the patch: \(message)")
      throw CommandFailure(status: error.status, message: nil)
    }
    guard let outcome = reviewed else {
      if format != .b4 {
        FileHandle.standardError.write(Data("sever: review: nothing staged\n".utf8))
      }
      return
    }
    try render(outcome, treeRoot: session.treeRoot)
    try CommandFailure.check(
      Report(
        root: outcome.root, findings: outcome.reviews.flatMap(\.introduced), rules: [],
        diagnostics: outcome.report.diagnostics))
  }

  private func render(_ outcome: ReviewOutcome, treeRoot: String) throws(CommandFailure) {
    var standardError = diagnosticLines(outcome)
    let text: String
    switch format {
    case .review:
      let options = ReviewReplyRenderer.Options(
        from: from ?? PatchInput.committerIdentity(directory: treeRoot), date: Self.replyDate(),
        trace: input.trace, replyWhenClean: replyWhenClean)
      text = ReviewReplyRenderer.render(outcome, options: options)
      standardError += summaryLines(outcome)
    case .b4:
      text = B4Renderer.render(outcome)
      // b4 counts every line on standard error as a failure: only --verbose writes there.
      standardError = verbose ? standardError + summaryLines(outcome) : ""
    default:
      guard let reportFormat = format.reportFormat else { return }
      let options = ReporterOptions(
        colorize: format == .text && input.color.enabled(for: 1), trace: input.trace)
      do {
        text = try Reporters.render(outcome.report, format: reportFormat, options: options)
        if let githubStepSummary, !githubStepSummary.isEmpty {
          try GitHubStepSummary.append(outcome.report, options: options, to: githubStepSummary)
        }
      } catch {
        throw .usage("\(error)")
      }
      if format == .text {
        print(text + summaryLines(outcome), terminator: "")
        FileHandle.standardError.write(Data(standardError.utf8))
        return
      }
      standardError += summaryLines(outcome)
    }
    print(text, terminator: "")
    FileHandle.standardError.write(Data(standardError.utf8))
  }

  /// Tool diagnostics of the post-image (files not parsed, …) for standard error, as with
  /// check; parse errors only with --verbose, they are coverage, not input problems.
  private func diagnosticLines(_ outcome: ReviewOutcome) -> String {
    Reporters.diagnosticLines(
      Report(
        root: outcome.report.root, findings: [], rules: [],
        diagnostics: outcome.report.diagnostics.filter { verbose || $0.kind != .parseError }))
  }

  /// The reply's date: `SOURCE_DATE_EPOCH` when set (reproducible output), else now.
  static func replyDate() -> Date {
    if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"],
      let seconds = TimeInterval(epoch)
    {
      return Date(timeIntervalSince1970: seconds)
    }
    return Date()
  }

  /// Per patch: introduced and fixed counts, the fixed and suppressed findings (and with
  /// --verbose the inherited ones), and where the facts came from.
  private func summaryLines(_ outcome: ReviewOutcome) -> String {
    var lines: [String] = []
    for review in outcome.reviews {
      lines.append(
        "sever: review: \(review.patch.label): \(review.introduced.count) introduced, "
          + "\(review.fixed.count) fixed, \(review.inherited) inherited"
          + (review.suppressed.isEmpty ? "" : ", \(review.suppressed.count) suppressed"))
      for finding in review.fixed {
        lines.append("sever: review: fixed: \(Self.line(finding))")
      }
      for entry in review.suppressed {
        lines.append(
          "sever: review: suppressed by the patch at \(entry.suppression): "
            + "\(Self.line(entry.finding)) — \(entry.reason)")
      }
      if verbose {
        for finding in review.inheritedFindings {
          lines.append("sever: review: inherited: \(Self.line(finding))")
        }
      }
    }
    lines.append("sever: review: " + outcome.factsSource)
    return lines.map { $0 + "\n" }.joined()
  }

  private static func line(_ finding: Finding) -> String {
    "\(finding.location): \(finding.message) [\(finding.ruleID)]"
  }
}
