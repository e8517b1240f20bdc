import ArgumentParser
import Foundation
import SeverCore
import SeverKit

/// `sever check PATH…`: extract every callback table, handler, registration and dispatch site
/// under the paths, run the rules, print the findings and one coverage line.
struct CheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check C files, directories or a kernel tree.",
    discussion: """
      A kernel tree root is detected by walking up from the paths; paths in the output are \
      relative to it. Exit status: 0 clean, 1 findings, 2 usage or input error, 3 internal error.
      """)

  @OptionGroup var input: InputOptions

  @Option(help: "Output format: text or json.")
  var format: OutputFormat = .text

  @Flag(help: "List every tool diagnostic (parse errors included).")
  var verbose = false

  @Flag(help: "Also list every callback table found.")
  var tables = false

  @Option(name: .customLong("rule"), help: "Run only this rule (repeatable).")
  var onlyRules: [String] = []

  @Argument(help: "C files, directories, or a kernel tree root.")
  var paths: [String]

  func run() async throws {
    let options = input.checkOptions(paths: paths)
    let only = onlyRules.isEmpty ? nil : Set(onlyRules)
    let outcome = try await runReportingErrors { () async throws(SeverKitError) in
      try await Linter.run(options, rules: only)
    }
    switch format {
    case .text:
      var text = FindingText.render(outcome.report.findings)
      if tables { text += FactsRenderer.tableLines(outcome.check) }
      text += FactsRenderer.text(outcome.check, verbose: verbose)
      print(text, terminator: "")
    case .json:
      print(FactsRenderer.json(CheckJSON(check: outcome.check, findings: outcome.report.findings)),
        terminator: "")
    }
    if outcome.report.findings.contains(where: { $0.severity >= .warning }) {
      throw ExitCode(1)
    }
  }
}

/// The JSON of `check`: the facts result with the findings beside it.
struct CheckJSON: Encodable {
  var check: CheckResult
  var findings: [Finding]
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
    let options = input.checkOptions(paths: paths)
    let result = try await runReportingErrors { () async throws(SeverKitError) in
      try await Checker.run(options)
    }
    print(FactsRenderer.json(result.files), terminator: "")
  }
}
