import ArgumentParser
import Foundation
import Rules
import SeverConfiguration
import SeverCore
import SeverKit
import SeverSupport

/// Options shared by the commands that read C: where the tree is and how to compile it.
struct InputOptions: ParsableArguments {
  @Option(
    help: """
      The architecture to compile for (x86_64, arm64, …), or auto: each file under the first \
      architecture whose Kbuild builds it (default x86_64, or the build directory's).
      """)
  var arch: String?

  @Option(
    name: .customLong("build-dir"),
    help: "A configured O= build of the tree: its .config and generated headers are used.")
  var buildDir: String?

  @Option(help: "A kernel .config to use instead of sever's default configuration.")
  var config: String?

  @Option(
    name: .customLong("compile-commands"),
    help: "A compile_commands.json to take each file's arguments from.")
  var compileCommands: String?

  @Option(help: "Translation units parsed in parallel (default: the number of cores).")
  var jobs: Int?

  @Flag(
    name: .customLong("no-prefilter"),
    help: "In a kernel tree, also parse files that spell no table word.")
  var noPrefilter = false

  @Flag(
    help: "Parse every candidate file with libclang, not only those the fast scan selects.")
  var exhaustive = false

  @Flag(
    name: .customLong("no-cache"), help: "Parse every file; neither read nor write the facts cache."
  )
  var noCache = false

  @Flag(
    inversion: .prefixedNo,
    help: ArgumentHelp(
      "Parse over precompiled headers of the kernel's common headers, kept in the cache"
        + " (default); the facts are the same without."))
  var precompiledHeaders = true

  @Option(
    name: .customLong("unit-timeout"),
    help:
      "Seconds one file may take to parse before it is abandoned with a diagnostic (default 120)."
  )
  var unitTimeout: Double?

  @Flag(
    inversion: .prefixedNo,
    help: ArgumentHelp(
      "Parse in worker processes, so a libclang crash costs only the file it parses (default);"
        + " --no-isolate parses in sever's own process."))
  var isolate: Bool?

  @Flag(
    help: "Print every note and the model's whole counterexample (text, github, review mail).")
  var trace = false

  @Option(help: "Colour text output: auto (a terminal without NO_COLOR), always or never.")
  var color: ColorChoice = .auto

  /// The options, command line first, then `.sever.yml`, then the defaults.
  func checkOptions(paths: [String], configuration: Configuration) -> CheckOptions {
    var options = CheckOptions(
      paths: paths, arch: arch ?? configuration.arch ?? (buildDir == nil ? "x86_64" : "auto"),
      configPath: config ?? configuration.configPath, compileCommands: compileCommands,
      jobs: jobs ?? configuration.jobs ?? ProcessInfo.processInfo.activeProcessorCount,
      prefilter: !noPrefilter, useCache: !noCache)
    options.exhaustive = exhaustive
    options.precompiledHeaders = precompiledHeaders
    options.buildDirectory = buildDir
    options.unitTimeout =
      unitTimeout ?? configuration.unitTimeout ?? CheckOptions.defaultUnitTimeout
    if isolate ?? configuration.isolate ?? true {
      options.isolateExecutable = Self.executablePath()
    }
    return options
  }

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    if let unitTimeout, !(unitTimeout > 0) || !unitTimeout.isFinite {
      throw ValidationError("--unit-timeout must be a positive number of seconds")
    }
  }

  /// This executable, for the worker processes to start again: `/proc/self/exe` survives a relative
  /// argv[0] and a changed working directory.
  static func executablePath() -> String {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return path
    }
    return Bundle.main.executablePath ?? CommandLine.arguments[0]
  }
}

/// Runs the pipeline, turning what stops it into a usage failure (exit status 2).
func runPipeline<T>(_ body: () async throws(SeverKitError) -> T) async throws(CommandFailure) -> T {
  do {
    return try await body()
  } catch {
    throw .usage(error.description)
  }
}

/// Checks `--rule` values against the rules sever has.
enum RuleSelection {
  /// Throws a validation error (exit status 2) naming the first unknown id and the nearest
  /// real one.
  static func validate(_ ids: [String]) throws {
    let known = Set(allRuleDescriptions.map(\.id))
    guard let unknown = ids.first(where: { !known.contains($0) }) else { return }
    throw ValidationError(
      "no rule is called '\(unknown)'" + Spelling.suggestion(for: unknown, in: known)
        + "; `sever rules` lists them")
  }
}

extension CommandFailure {
  /// The status a finished run ends with: 3 when sever itself failed somewhere (the report is
  /// incomplete), 4 when a unit could not be parsed at all (`check`, unless `--allow-unparsed`),
  /// 1 when it reports a warning or an error, else success.
  static func check(_ report: Report, allowUnparsed: Bool = true) throws(CommandFailure) {
    let failures = report.diagnostics.filter { $0.kind == .internalError }
    if let first = failures.first {
      throw .internalError(
        "the run is incomplete: \(first.message)"
          + (failures.count > 1 ? " (and \(failures.count - 1) more)" : ""))
    }
    let unparsed = report.diagnostics.filter { $0.kind == .parseFailure }
    if !allowUnparsed, let first = unparsed.first {
      throw .unparsed(
        "\(unparsed.count) unit\(unparsed.count == 1 ? "" : "s") could not be parsed at all, so "
          + "findings may be missing (first: \(first.path): \(first.message)); "
          + "--allow-unparsed accepts that")
    }
    if report.findings.contains(where: { $0.severity >= .warning }) { throw .findings }
  }
}
