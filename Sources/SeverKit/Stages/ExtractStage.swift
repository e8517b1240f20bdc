import Extraction
import Foundation
import SeverConfiguration
import SeverCore
import SeverSupport

/// Stage 4 of the pipeline: compile arguments for every unit tier 1 kept, facts from libclang
/// in a bounded task group (or from the facts cache), each unit's facts kept for the files it
/// stands for, and the coverage counts.
enum ExtractStage {
  /// Extracts the units of `inputs` (already narrowed by tier 1). Throws only for what stops the
  /// whole run: an unreadable `--config` or compilation database, an unknown architecture, an
  /// unwritable cache, or no unit parsed at all.
  static func run(
    _ inputs: InputSet, kbuild: KbuildStage, tierOne: TierOneStage, options: CheckOptions
  ) async throws(SeverKitError) -> CheckResult {
    var config: KernelConfig?
    if let path = options.configPath {
      guard let data = try? BoundedFile.read(path, limit: InputSet.maximumFileSize) else {
        throw .unreadableOption(option: "--config", path: path)
      }
      config = KernelConfig(parsing: String(decoding: data, as: UTF8.self))
    } else if let directory = options.buildDirectory {
      config = try BuildDirectory.open(InputSet.absolutePath(directory)).config
    }
    let builder = try ArgumentBuilder(
      inputs: inputs, options: options, kbuild: kbuild, config: config)
    let (outcomes, fromCache) = await extractAll(inputs: inputs, builder: builder, options: options)

    var files: [FileFacts] = []
    var unitFacts: [FileFacts] = []
    var causes: [String: Int] = [:]
    var diagnostics = inputs.diagnostics
    for (unit, outcome) in zip(inputs.units, outcomes) {
      switch outcome {
      case .success(let facts):
        let main = inputs.relativePath(unit.path)
        let keep = Set(unit.keep + [main])
        files += facts.filter { keep.contains($0.path) }
        if let mainFacts = facts.first(where: { $0.path == main }) {
          unitFacts.append(mainFacts)
          if mainFacts.parseErrorCount > 0 {
            let arch = builder.architecture(of: unit.path)
            let cause = ParseErrorCause.classify(
              messages: mainFacts.diagnostics.filter { $0.kind == .parseError }.map(\.message),
              otherArchitecture: kbuild.perArch[arch]?.capabilities[main]?.verdict == .notBuilt)
            causes[cause.rawValue, default: 0] += 1
          }
        }
      case .failure(let error):
        diagnostics.append(
          ToolDiagnostic(
            kind: .parseFailure,
            path: inputs.relativePath(unit.path), message: error.description))
      }
    }
    // Nothing parsed is an error only when something was meant to be: tier 1 may well find that
    // no rule needs any of the candidates.
    if unitFacts.isEmpty, !(inputs.units.isEmpty && tierOne.leftToTierOne > 0) {
      var reasons = diagnostics.map { "\($0.path): \($0.message)" }
      if inputs.units.isEmpty, inputs.prefiltered > 0 {
        reasons.append(
          "every one of the \(inputs.prefiltered) C files was skipped by the prefilter (none "
            + "spells a table word); use --no-prefilter to parse them")
      }
      throw .nothingParsed(reasons: reasons)
    }
    files.sort { $0.path < $1.path }
    let failures = diagnostics.filter { $0.kind == .parseFailure }.count
    let skipped =
      inputs.diagnostics.count
      - inputs.diagnostics.filter { $0.message.hasPrefix("not valid UTF-8") }.count
    var coverage = Coverage(
      units: unitFacts.count, files: files, unitFacts: unitFacts, notParsed: failures + skipped)
    coverage.prefiltered = inputs.prefiltered
    coverage.helpers = inputs.helpers
    coverage.leftToTierOne = tierOne.leftToTierOne
    coverage.fromCache = fromCache
    coverage.causes = causes
    coverage.unbuilt = kbuild.unbuilt.count
    if options.arch != "auto" { coverage.unbuiltArch = options.arch }
    return CheckResult(
      root: inputs.root, mode: inputs.mode, arch: options.arch, files: files,
      diagnostics: diagnostics.sorted(), coverage: coverage)
  }

  /// Extracts every unit with at most `jobs` in flight; each parse owns its own libclang index
  /// and translation unit, in a worker process (`WorkerPool`, the default) or on a thread of
  /// its own (`UnitExtraction`), so a unit that hangs past `unitTimeout` or crashes a worker
  /// becomes a failure of that unit only.
  private static func extractAll(inputs: InputSet, builder: ArgumentBuilder, options: CheckOptions)
    async -> (results: [Result<[FileFacts], ExtractionError>], fromCache: Int)
  {
    let root = inputs.root
    let units = inputs.units
    let unsavedFiles = options.unsavedFiles
    let cache =
      options.useCache ? FactsCache(base: options.cacheBase, unsavedFiles: unsavedFiles) : nil
    let pool = options.isolateExecutable.map { WorkerPool(executable: $0) }
    defer { pool?.shutDown() }
    var results = [Result<[FileFacts], ExtractionError>?](repeating: nil, count: units.count)
    var fromCache = 0
    var done = 0
    await withTaskGroup(of: (Int, Result<[FileFacts], ExtractionError>, Bool).self) { group in
      var next = 0
      func submit() {
        guard next < units.count else { return }
        let index = next
        let path = units[index].path
        let arguments = builder.arguments(for: path)
        group.addTask {
          // Patched files are hashed from their patched contents, so their facts are keyed by
          // what was parsed.
          let key = cache?.key(path: path, arguments: arguments)
          if let cache, let key, let cached = cache.load(key: key) {
            return (index, .success(cached), true)
          }
          let result = await UnitExtraction.extract(
            UnitRequest(path: path, arguments: arguments, root: root, unsavedFiles: unsavedFiles),
            timeout: options.unitTimeout, pool: pool)
          if let cache, let key, case .success(let parsed) = result {
            let stored = cache.store(
              key: key, facts: parsed.facts, dependencies: parsed.dependencies)
            return (index, .success(stored), false)
          }
          return (index, result.map(\.facts), false)
        }
        next += 1
      }
      for _ in 0..<options.jobs { submit() }
      for await (index, result, cached) in group {
        results[index] = result
        if cached { fromCache += 1 }
        done += 1
        options.progress?(done, units.count)
        submit()
      }
    }
    return (results.map { $0 ?? .failure(.parseFailed(path: "?", code: -1)) }, fromCache)
  }
}
