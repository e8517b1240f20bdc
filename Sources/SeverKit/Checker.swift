import Extraction
import Foundation
import Kbuild
import Rules
import SeverConfiguration
import SeverCore
import SeverSupport

/// What `check` and `facts` are asked to do.
public struct CheckOptions: Sendable {
  /// Files or directories, as given.
  public var paths: [String]
  /// The architecture (`x86_64`).
  public var arch: String
  /// A `.config` to use instead of the default configuration.
  public var configPath: String?
  /// A `compile_commands.json` to take arguments from.
  public var compileCommands: String?
  /// Parallel translation units.
  public var jobs: Int
  /// Where generated headers are cached.
  public var cacheBase: String
  /// Whether files found under kernel-tree directories are filtered by `InputSet.prefilterWords`.
  public var prefilter: Bool
  /// Paths (relative to the tree root) that are not parsed, from `.sever.yml`'s `exclude`.
  public var excluded: @Sendable (String) -> Bool = { _ in false }
  /// Called after each unit with (done, total); the CLI draws a progress line from it.
  public var progress: (@Sendable (Int, Int) -> Void)?
  /// Whether facts of unchanged units are taken from the facts cache (`--no-cache` turns it off).
  public var useCache = true
  /// Whether every candidate unit is parsed (`--exhaustive`), instead of only those tier 1
  /// selects.
  public var exhaustive = false
  /// Contents that replace files on disk, by absolute path (a patch applied in memory); files
  /// named here are parsed from this text and nothing on disk changes.
  public var unsavedFiles: [String: String] = [:]
  /// Seconds one unit may take to parse before it is abandoned with a diagnostic
  /// (`--unit-timeout`); nil waits for ever.
  public var unitTimeout: Double? = CheckOptions.defaultUnitTimeout
  /// With a path, each unit is parsed by a child process running this executable (a `sever`)
  /// with the hidden `__extract-unit` subcommand, so a libclang crash costs one unit
  /// (`--isolate`); nil parses in process.
  public var isolateExecutable: String?

  /// The default of `unitTimeout`, in seconds.
  public static let defaultUnitTimeout: Double = 120

  /// Creates options; `cacheBase` defaults to `$XDG_CACHE_HOME/sever` or `~/.cache/sever`.
  public init(
    paths: [String], arch: String = "x86_64", configPath: String? = nil,
    compileCommands: String? = nil, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
    cacheBase: String? = nil, prefilter: Bool = true, useCache: Bool = true
  ) {
    self.useCache = useCache
    self.prefilter = prefilter
    self.paths = paths
    self.arch = arch
    self.configPath = configPath
    self.compileCommands = compileCommands
    self.jobs = max(1, jobs)
    self.cacheBase = cacheBase ?? Self.defaultCacheBase()
  }

  /// `$XDG_CACHE_HOME/sever`, else `~/.cache/sever`, else a private temporary directory.
  public static func defaultCacheBase() -> String {
    let env = ProcessInfo.processInfo.environment
    if let xdg = env["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/sever" }
    if let home = env["HOME"], home.hasPrefix("/") { return home + "/.cache/sever" }
    // No home: a shared /tmp/.cache could hold entries planted by another user, so the cache
    // goes to a directory of this process's own, made with mode 0700 and never reused.
    var template = Array((NSTemporaryDirectory() + "/sever-cache-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.flatMap { mkdtemp($0) }
    }
    return made.map { String(cString: $0) } ?? "/nonexistent/sever-cache"
  }
}

/// The pipeline: discover inputs → make arguments → extract in a bounded task group → keep
/// each unit's facts for the files it stands for → sort → count coverage.
public enum Checker {
  /// Runs extraction over the inputs. Throws only for problems that stop the whole run.
  ///
  /// Without `--config`, a kernel tree is parsed with an allmodconfig-like configuration
  /// estimated from its Kconfig by `oracle` (loaded here when not given).
  public static func run(_ options: CheckOptions) async throws(SeverKitError) -> CheckResult {
    try await runWithKbuild(options).check
  }

  /// Runs extraction and also returns what the tree's Kbuild files answered (nil outside a
  /// kernel tree), for module capability.
  static func runWithKbuild(_ options: CheckOptions)
    async
    throws(SeverKitError) -> (check: CheckResult, kbuild: Result<KbuildAnswers, KbuildError>?)
  {
    var inputs = try InputSet.discover(
      paths: options.paths, arch: options.arch, prefilter: options.prefilter,
      excluded: options.excluded, unsavedFiles: options.unsavedFiles)
    var kbuild: Result<KbuildAnswers, KbuildError>?
    if inputs.mode == .kernelTree {
      do {
        kbuild = .success(
          try await KbuildAnswers.load(
            root: inputs.root, arch: options.arch, paths: inputs.units.flatMap(\.keep),
            cacheBase: options.cacheBase, useCache: options.useCache))
      } catch {
        kbuild = .failure(error)
      }
    }
    let answers = try? kbuild?.get()
    var leftToTierOne = 0
    if inputs.filtered, !options.exhaustive {
      let tierOne = await TierOne.run(
        paths: inputs.units.flatMap(\.keep), root: inputs.root, arch: options.arch,
        jobs: options.jobs, unsavedFiles: options.unsavedFiles,
        capabilities: answers?.capabilities ?? [:])
      let selected = tierOne.selection.files.union(inputs.named)
      let before = inputs.units.count
      inputs.units = inputs.units.filter { unit in unit.keep.contains(where: selected.contains) }
      leftToTierOne = before - inputs.units.count
    }
    var config: KernelConfig?
    if let path = options.configPath {
      guard let data = try? BoundedFile.read(path, limit: InputSet.maximumFileSize) else {
        throw .unreadableOption(option: "--config", path: path)
      }
      config = KernelConfig(parsing: String(decoding: data, as: UTF8.self))
    } else if inputs.mode == .kernelTree, options.compileCommands == nil {
      config = answers?.config
    }
    let builder = try ArgumentBuilder(
      inputs: inputs, arch: options.arch, config: config,
      compileCommands: options.compileCommands.map(InputSet.absolutePath),
      cacheBase: options.cacheBase)
    let (outcomes, fromCache) = await extractAll(inputs: inputs, builder: builder, options: options)

    var files: [FileFacts] = []
    var unitFacts: [FileFacts] = []
    var diagnostics = inputs.diagnostics
    for (unit, outcome) in zip(inputs.units, outcomes) {
      switch outcome {
      case .success(let facts):
        let main = inputs.relativePath(unit.path)
        let keep = Set(unit.keep + [main])
        files += facts.filter { keep.contains($0.path) }
        if let mainFacts = facts.first(where: { $0.path == main }) { unitFacts.append(mainFacts) }
      case .failure(let error):
        diagnostics.append(
          ToolDiagnostic(
            kind: .parseFailure,
            path: inputs.relativePath(unit.path), message: error.description))
      }
    }
    if unitFacts.isEmpty {
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
      - inputs.diagnostics.filter {
        $0.message.hasPrefix("not valid UTF-8")
      }.count
    var coverage = Coverage(
      units: unitFacts.count, files: files, unitFacts: unitFacts, notParsed: failures + skipped)
    coverage.prefiltered = inputs.prefiltered
    coverage.leftToTierOne = leftToTierOne
    coverage.fromCache = fromCache
    let check = CheckResult(
      root: inputs.root, mode: inputs.mode, arch: options.arch, files: files,
      diagnostics: diagnostics.sorted(), coverage: coverage)
    return (check, kbuild)
  }

  /// Extracts every unit with at most `jobs` in flight; each parse owns its own libclang index
  /// and translation unit, on a thread or in a child process of its own (`UnitExtraction`), so a
  /// unit that hangs past `unitTimeout` or crashes under `--isolate` becomes a failure of that
  /// unit only.
  private static func extractAll(inputs: InputSet, builder: ArgumentBuilder, options: CheckOptions)
    async -> (results: [Result<[FileFacts], ExtractionError>], fromCache: Int)
  {
    let root = inputs.root
    let units = inputs.units
    let unsavedFiles = options.unsavedFiles
    let cache =
      options.useCache ? FactsCache(base: options.cacheBase, unsavedFiles: unsavedFiles) : nil
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
            timeout: options.unitTimeout, isolateExecutable: options.isolateExecutable)
          if let cache, let key, case .success(let parsed) = result {
            cache.store(key: key, facts: parsed.facts, dependencies: parsed.dependencies)
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
