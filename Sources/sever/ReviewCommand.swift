import ArgumentParser
import Foundation
import Reporters
import Review
import Rules
import SeverConfiguration
import SeverCore
import SeverKit

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

  @Option(help: "What to parse around the change: directory (default) or changed.")
  var reach: ReviewScope.Reach = .directory

  @Option(name: .customLong("rule"), help: "Run only this rule (repeatable).")
  var onlyRules: [String] = []

  @Flag(name: .customLong("no-config-file"), help: "Ignore any .sever.yml.")
  var noConfigFile = false

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
    guard let outcome = try await review() else {
      FileHandle.standardError.write(Data("sever: review: nothing staged\n".utf8))
      return
    }
    try render(outcome)
    try CommandFailure.check(
      Report(
        root: outcome.root, findings: outcome.reviews.flatMap(\.introduced), rules: [],
        diagnostics: outcome.report.diagnostics))
  }

  /// Reads the input and reviews it; nil when nothing is staged.
  private func review() async throws(CommandFailure) -> ReviewOutcome? {
    let treeRoot = InputSet.absolutePathForReview(tree ?? PatchInput.defaultTree())
    let source: PatchInput
    do {
      guard let read = try readInput(treeRoot: treeRoot) else { return nil }
      source = read
    } catch {
      throw fail(error.description)
    }
    let configuration = try loadConfiguration(root: source.base.root)
    var options = input.checkOptions(paths: [], configuration: configuration)
    let configRoot = configuration.directory ?? ""
    options.excluded = { configuration.isExcluded($0, root: configRoot) }
    let linter = Pipeline.Request(
      options: options, rules: onlyRules.isEmpty ? nil : Set(onlyRules),
      configuration: configuration)
    let request = Reviewer.Request(
      patches: source.patches, base: source.base, linter: linter, reach: reach)
    do {
      return try await Reviewer.run(request)
    } catch {
      throw fail(error.description)
    }
  }

  private func loadConfiguration(root: String) throws(CommandFailure) -> Configuration {
    if noConfigFile { return Configuration() }
    do {
      let configuration = try Configuration.load(from: root)
      try configuration.validate(knownRules: Set(allRuleDescriptions.map(\.id)))
      return configuration
    } catch {
      throw fail("\(error)")
    }
  }

  private func readInput(treeRoot: String) throws(ReviewError) -> PatchInput? {
    if let git {
      return try PatchInput.gitRange(git, directory: tree.map { _ in treeRoot } ?? treeRoot)
    }
    if staged { return try PatchInput.staged(directory: treeRoot) }
    return try PatchInput.file(patch ?? "-", tree: treeRoot)
  }

  private func render(_ outcome: ReviewOutcome) throws(CommandFailure) {
    // Tool diagnostics of the post-image (files not parsed, …) go to standard error, as with
    // check; parse errors are left out, they are coverage, not input problems.
    let diagnostics = Reporters.diagnosticLines(
      Report(
        root: outcome.report.root, findings: [], rules: [],
        diagnostics: outcome.report.diagnostics.filter { $0.kind != .parseError }))
    FileHandle.standardError.write(Data(diagnostics.utf8))
    var standardError = ""
    let text: String
    switch format {
    case .review:
      text = ReviewReplyRenderer.render(outcome)
    case .b4:
      text = B4Renderer.render(outcome)
      standardError = summaryLines(outcome)
    default:
      guard let reportFormat = format.reportFormat else { return }
      do {
        text = try Reporters.render(outcome.report, format: reportFormat)
      } catch {
        throw fail("\(error)")
      }
      if format == .text {
        print(text + summaryLines(outcome), terminator: "")
        return
      }
      standardError = summaryLines(outcome)
    }
    print(text, terminator: "")
    FileHandle.standardError.write(Data(standardError.utf8))
  }

  /// Per patch: introduced and fixed counts, the fixed findings, and where the facts came from.
  private func summaryLines(_ outcome: ReviewOutcome) -> String {
    var lines: [String] = []
    for review in outcome.reviews {
      lines.append(
        "sever: review: \(review.patch.label): \(review.introduced.count) introduced, "
          + "\(review.fixed.count) fixed, \(review.inherited) inherited"
          + (review.suppressed.isEmpty ? "" : ", \(review.suppressed.count) suppressed"))
      for finding in review.fixed {
        lines.append(
          "sever: review: fixed: \(finding.location): \(finding.message) [\(finding.ruleID)]")
      }
      for entry in review.suppressed {
        lines.append(
          "sever: review: suppressed by the patch at \(entry.suppression): "
            + "\(entry.finding.location): \(entry.finding.message) [\(entry.finding.ruleID)] "
            + "— \(entry.reason)")
      }
    }
    lines.append("sever: review: " + outcome.factsSource)
    return lines.map { $0 + "\n" }.joined()
  }

  /// A usage failure; b4 reads only standard output, so in its format the error is also a
  /// line there.
  private func fail(_ message: String) -> CommandFailure {
    if format == .b4 { print("ERROR: sever: \(message)") }
    return .usage(message)
  }
}

extension InputSet {
  /// An absolute, standardised path for `--tree`.
  fileprivate static func absolutePathForReview(_ path: String) -> String {
    let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    return URL(fileURLWithPath: joined).standardizedFileURL.path
  }
}
