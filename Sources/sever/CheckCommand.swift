import ArgumentParser
import Foundation
import SeverKit

/// `sever check PATH…`: extract every callback table, handler, registration and dispatch site
/// under the paths, and end with a coverage line. Until rules exist it reports facts only.
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

  @Argument(help: "C files, directories, or a kernel tree root.")
  var paths: [String]

  func run() async throws {
    let options = input.checkOptions(paths: paths)
    let result = try await runReportingErrors { () async throws(SeverKitError) in
      try await Checker.run(options)
    }
    switch format {
    case .text: print(FactsRenderer.text(result, verbose: verbose), terminator: "")
    case .json: print(FactsRenderer.json(result), terminator: "")
    }
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
    let options = input.checkOptions(paths: paths)
    let result = try await runReportingErrors { () async throws(SeverKitError) in
      try await Checker.run(options)
    }
    print(FactsRenderer.json(result.files), terminator: "")
  }
}
