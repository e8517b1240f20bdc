import ArgumentParser
import Foundation
import Reporters
import Rules
import SeverConfiguration
import SeverCore
import SeverKit
import SeverSupport

extension ReportFormat: ExpressibleByArgument {}

/// `sever check PATH…`: extract every callback table, handler, registration and dispatch site
/// under the paths, run the rules, and report the findings in the chosen format, ending with
/// one coverage line.
struct CheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check C files, directories or a kernel tree.",
    discussion: """
      A kernel tree root is detected by walking up from the paths; paths in the output are \
      relative to it. Exit status: 0 clean, 1 findings, 2 usage or input error, 3 internal \
      error, 4 a unit could not be parsed at all (see --allow-unparsed).
      """)

  @OptionGroup var input: InputOptions

  @Option(help: "Output format: text, json, sarif, github or gitlab.")
  var format: ReportFormat = .text

  @Flag(help: "List every tool diagnostic (parse errors included) and suppressed findings.")
  var verbose = false

  @Flag(help: "Also list every callback table found (text format).")
  var tables = false

  @Option(name: .customLong("rule"), help: "Run only this rule (repeatable).")
  var onlyRules: [String] = []

  @Option(name: .customLong("config-file"), help: "The .sever.yml to use (default: the nearest).")
  var configFile: String?

  @Flag(name: .customLong("no-config-file"), help: "Ignore any .sever.yml.")
  var noConfigFile = false

  @Flag(
    name: .customLong("allow-unparsed"),
    help: "Exit 0 or 1 even when a unit could not be parsed at all (the coverage line says so).")
  var allowUnparsed = false

  @Option(help: "Hide the findings recorded in this baseline file.")
  var baseline: String?

  @Option(name: .customLong("write-baseline"), help: "Record the findings in this baseline file.")
  var writeBaseline: String?

  @Option(
    name: .customLong("changed-lines"),
    help: "A unified diff (git diff -U0): GitHub annotations go to changed lines first.")
  var changedLines: String?

  @Option(
    name: .customLong("github-step-summary"),
    help: "Append a Markdown table of every finding to this file ($GITHUB_STEP_SUMMARY).")
  var githubStepSummary: String?

  @Argument(help: "C files, directories, or a kernel tree root.")
  var paths: [String]

  func validate() throws {
    try RuleSelection.validate(onlyRules)
  }

  func run() async throws {
    let progress = ProgressLine.make()
    let configuration = try loadConfiguration()
    var options = input.checkOptions(paths: paths, configuration: configuration)
    options.endsProcess = true
    if let progress {
      options.progress = { @Sendable done, total in progress.update(done, total) }
    }
    let root = configuration.directory ?? ""
    options.excluded = { configuration.isExcluded($0, root: root) }
    let baseline = try baseline.map { path throws(CommandFailure) in
      do { return try Baseline.load(path) } catch { throw .usage("\(error)") }
    }
    var request = Pipeline.Request(
      options: options, rules: onlyRules.isEmpty ? nil : Set(onlyRules),
      configuration: configuration, baseline: baseline)
    // --tables lists facts, which a memo of the findings does not keep.
    request.useMemo = !tables
    let outcome = try await runPipeline { () async throws(SeverKitError) in
      try await Pipeline.check(request)
    }
    progress?.finish()
    if let writeBaseline {
      do {
        try Baseline(findings: outcome.filtered.reported + outcome.filtered.baselined)
          .write(to: writeBaseline)
      } catch {
        throw CommandFailure.usage("\(error)")
      }
    }
    try render(outcome)
    ProcessLifetime.keep(outcome)
    try CommandFailure.check(outcome.report, allowUnparsed: allowUnparsed)
  }

  private func loadConfiguration() throws(CommandFailure) -> Configuration {
    if noConfigFile { return Configuration() }
    do {
      let configuration =
        try configFile.map { path throws(ConfigurationError) in try Configuration.load(file: path) }
        ?? Configuration.load(from: paths.first ?? ".")
      try configuration.validate(knownRules: Set(allRuleDescriptions.map(\.id)))
      return configuration
    } catch {
      throw .usage("\(error)")
    }
  }

  private func render(_ outcome: Pipeline.Outcome) throws(CommandFailure) {
    var options = ReporterOptions(
      colorize: format == .text && input.color.enabled(for: 1), trace: input.trace)
    if let changedLines {
      let diff: String
      do {
        diff = String(
          decoding: try BoundedFile.read(changedLines, limit: 64 << 20), as: UTF8.self)
      } catch {
        throw .usage("cannot read the file given to --changed-lines: '\(changedLines)': \(error)")
      }
      options.changedLines = ChangedLines(unifiedDiff: diff)
    }
    var text: String
    do {
      text = try Reporters.render(outcome.report, format: format, options: options)
      if let githubStepSummary, !githubStepSummary.isEmpty {
        try GitHubStepSummary.append(outcome.report, options: options, to: githubStepSummary)
      }
    } catch {
      throw .usage("\(error)")
    }
    if format == .text && tables {
      text = FactsRenderer.tableLines(outcome.check) + text
    }
    print(text, terminator: text.hasSuffix("\n") || text.isEmpty ? "" : "\n")
    var diagnostics =
      verbose
      ? Reporters.diagnosticLines(outcome.report)
      : Reporters.diagnosticLines(
        Report(
          root: outcome.report.root, findings: [], rules: [],
          diagnostics: outcome.report.diagnostics.filter { !$0.isListedOnlyWhenVerbose }))
    if verbose {
      diagnostics += outcome.filtered.suppressed.map { $0.description + "\n" }.joined()
      let coverage = outcome.check.coverage
      if coverage.precompiled + coverage.parsedAgain > 0
        || !coverage.precompiledFailures.isEmpty
      {
        diagnostics +=
          "sever: \(coverage.precompiled) units parsed over a precompiled header, "
          + "\(coverage.parsedAgain) parsed again without (clang reported an error over it)\n"
          + coverage.precompiledFailures.map { "sever: not precompiled: \($0)\n" }.joined()
      }
    }
    FileHandle.standardError.write(Data(diagnostics.utf8))
  }
}

/// `sever facts FILE…`: the extracted facts as JSON, one object per file.
struct FactsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "facts",
    abstract: "Print the facts extracted from C files as JSON.")

  @OptionGroup var input: InputOptions

  @Argument(help: "C files (or directories).")
  var paths: [String]

  func run() async throws {
    let options = input.checkOptions(paths: paths, configuration: Configuration())
    let result = try await runPipeline { () async throws(SeverKitError) in
      try await Pipeline.facts(options)
    }
    print(FactsRenderer.json(result.files), terminator: "")
  }
}
