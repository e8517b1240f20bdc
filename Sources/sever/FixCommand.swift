import ArgumentParser
import Fix
import Foundation
import Reporters
import Review
import Rules
import SeverConfiguration
import SeverCore
import SeverKit

/// `sever fix [PATH…]`: check the paths as `sever check` does, then write a patch for each
/// finding whose rule knows a fix that needs no judgement, and say which findings are left and
/// why. The tree changes only with `--in-place`.
struct FixCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fix",
    abstract: "Write patches for the findings that have a mechanical fix.",
    discussion: """
      Patches go to standard output (or --output-directory), one per file; what is fixed and \
      what is left, with the reason, goes to standard error. The tree is written only with \
      --in-place. Exit status: 0 every selected finding fixed, 1 findings left, 2 usage or input \
      error, 3 internal error.
      """)

  /// The output of `sever fix`.
  enum Format: String, ExpressibleByArgument, CaseIterable {
    /// Unified diffs, as `git diff` writes them.
    case diff
    /// Mails in `git format-patch` form, for `git am` and `git send-email`.
    case mbox
  }

  @OptionGroup var input: InputOptions

  @Option(
    name: .customLong("finding"),
    help: "Fix only this finding: its fingerprint from `sever check --format json` (repeatable).")
  var findingIDs: [String] = []

  @Option(name: .customLong("rule"), help: "Fix only findings of this rule (repeatable).")
  var onlyRules: [String] = []

  @Option(help: "diff (default) or mbox (git format-patch mails).")
  var format: Format = .diff

  @Option(
    name: .customLong("output-directory"),
    help: "Write one file per patch here instead of printing the patches.")
  var outputDirectory: String?

  @Flag(
    name: .customLong("in-place"),
    help: "Apply the patches to the tree (refused when the checkout has uncommitted changes).")
  var inPlace = false

  @Flag(help: "With --in-place: write even into a tree with uncommitted changes or without git.")
  var force = false

  @Option(help: "The From: of the mails (default: git's author identity).")
  var from: String?

  @Option(
    help: "The tree to fix (default: the kernel tree or checkout holding the current directory).")
  var tree: String?

  @Flag(name: .customLong("no-config-file"), help: "Ignore any .sever.yml.")
  var noConfigFile = false

  @Argument(help: "C files or directories of the tree (default: the whole tree).")
  var paths: [String] = []

  func validate() throws {
    try RuleSelection.validate(onlyRules)
    if force && !inPlace { throw ValidationError("--force only applies to --in-place") }
  }

  func run() async throws {
    let root = Self.absolute(tree ?? PatchInput.defaultTree())
    for path in paths {
      let absolute = Self.absolute(path)
      guard absolute == root || absolute.hasPrefix(root + "/") else {
        throw CommandFailure.usage(
          "'\(path)' is outside the tree \(root); sever fix edits one tree (--tree names it)")
      }
    }
    let history = GitHistory(directory: root)
    if inPlace && !force { try Self.refuseUnsafeWrites(history: history, root: root) }
    let configuration = try loadConfiguration(root: root)
    var options = input.checkOptions(
      paths: paths.isEmpty ? [root] : paths, configuration: configuration)
    let configRoot = configuration.directory ?? ""
    options.excluded = { configuration.isExcluded($0, root: configRoot) }
    var request = Pipeline.Request(
      options: options, rules: onlyRules.isEmpty ? nil : Set(onlyRules),
      configuration: configuration)
    // The fixes read facts, which a memo of the findings does not keep.
    request.useMemo = false
    let started = Int(Date().timeIntervalSince1970 * 1_000_000_000)
    let outcome = try await runPipeline { () async throws(SeverKitError) in
      try await Pipeline.check(request)
    }
    let findings: [Finding]
    do {
      findings = try FindingSelection.select(findingIDs, from: outcome.report.findings)
    } catch {
      throw CommandFailure.usage(error.description)
    }
    let sourceTree = SourceTree(root: outcome.report.root)
    let plan = FixPlanner.plan(
      findings, files: outcome.check.files, tree: sourceTree, checkStarted: started)
    let mails = PatchSeries.mails(
      plan, tree: sourceTree, history: GitHistory(directory: outcome.report.root), from: from,
      date: ReviewCommand.replyDate())
    try emit(mails)
    var failures: [PatchSeries.WriteFailure] = []
    if inPlace {
      for patch in plan.patches {
        failures += PatchSeries.writeInPlace(patch, tree: sourceTree)
      }
    }
    FileHandle.standardError.write(Data(summary(plan, mails: mails, failures: failures).utf8))
    FileHandle.standardError.write(
      Data(
        Reporters.diagnosticLines(
          Report(
            root: outcome.report.root, findings: [], rules: [],
            diagnostics: outcome.report.diagnostics.filter { $0.kind != .parseError })
        ).utf8))
    if !failures.isEmpty {
      throw CommandFailure.usage("\(failures.count) file(s) were not written; see above")
    }
    // Status 1 while a selected warning or error has no patch.
    try CommandFailure.check(
      Report(
        root: outcome.report.root, findings: plan.left.map(\.finding), rules: [],
        diagnostics: outcome.report.diagnostics))
  }

  /// `--in-place` writes only where the change can be told apart and undone: a git checkout
  /// without uncommitted changes.
  static func refuseUnsafeWrites(history: GitHistory?, root: String) throws(CommandFailure) {
    guard let history else {
      throw .usage(
        "\(root) is not a git checkout, so sever cannot tell its own edits from yours; "
          + "use --output-directory and apply the patches, or pass --force to write anyway")
    }
    if history.hasChanges() {
      throw .usage(
        "the checkout \(history.top) has uncommitted changes; commit or stash them first so the "
          + "fixes can be reviewed and undone on their own, or pass --force")
    }
  }

  /// Prints the patches, or writes one file per patch into `--output-directory`.
  private func emit(_ mails: [FixMail]) throws(CommandFailure) {
    let texts = mails.map { format == .mbox ? $0.text : $0.patch.diff }
    guard let outputDirectory else {
      if !inPlace { print(texts.joined(), terminator: "") }
      return
    }
    do {
      try FileManager.default.createDirectory(
        atPath: outputDirectory, withIntermediateDirectories: true)
      for (number, mail) in mails.enumerated() {
        var name = mail.fileName(number: number + 1)
        if format == .diff { name = String(name.dropLast(".patch".count)) + ".diff" }
        try texts[number].write(
          toFile: outputDirectory + "/" + name, atomically: true, encoding: .utf8)
      }
    } catch {
      throw .usage("cannot write into '\(outputDirectory)': \(error.localizedDescription)")
    }
  }

  /// What was fixed and what was left, for standard error.
  private func summary(
    _ plan: FixPlan, mails: [FixMail], failures: [PatchSeries.WriteFailure]
  ) -> String {
    var lines: [String] = []
    for mail in mails {
      for fix in mail.patch.fixes {
        lines.append(
          "sever: fix: fixed: \(fix.finding.location): \(fix.proposal.action) "
            + "\(fix.proposal.target) [\(fix.finding.fingerprint)]")
      }
    }
    for left in plan.left {
      lines.append(
        "sever: fix: left: \(left.finding.location): \(left.reason) [\(left.finding.fingerprint)]")
    }
    for failure in failures { lines.append("sever: fix: not written: \(failure)") }
    let fixed = plan.patches.map(\.fixes.count).reduce(0, +)
    lines.append(
      "sever: fix: \(fixed) finding\(fixed == 1 ? "" : "s") fixed in \(plan.patches.count) "
        + "patch\(plan.patches.count == 1 ? "" : "es"), \(plan.left.count) left; "
        + (inPlace ? "applied to the tree" : "the tree is unchanged (--in-place applies them)"))
    if format == .mbox && !mails.isEmpty {
      lines.append(
        "sever: fix: the mails carry no Signed-off-by: certify them yourself (`git am -s`, or "
          + "`git commit --amend -s`) before sending")
      if mails.contains(where: { $0.from == PatchSeries.placeholderIdentity }) {
        lines.append("sever: fix: From: is a placeholder; pass --from 'Name <address>'")
      }
    }
    return lines.map { $0 + "\n" }.joined()
  }

  private func loadConfiguration(root: String) throws(CommandFailure) -> Configuration {
    if noConfigFile { return Configuration() }
    do {
      let configuration = try Configuration.load(from: paths.first.map(Self.absolute) ?? root)
      try configuration.validate(knownRules: Set(allRuleDescriptions.map(\.id)))
      return configuration
    } catch {
      throw .usage("\(error)")
    }
  }

  /// A path made absolute from the current directory and standardised.
  static func absolute(_ path: String) -> String {
    let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    return URL(fileURLWithPath: joined).standardizedFileURL.resolvingSymlinksInPath().path
  }
}
