import Extraction
import Foundation
import SeverConfiguration
import SeverCore
import SeverSupport
import Synchronization

/// Stage 4 of the pipeline: compile arguments for every unit tier 1 kept, facts from libclang
/// in a bounded task group (or from the facts cache), each unit's facts kept for the files it
/// stands for, and the coverage counts.
enum ExtractStage {
  /// Extracts the units of `inputs` (already narrowed by tier 1). Throws only for what stops the
  /// whole run: an unreadable `--config` or compilation database, an unknown architecture, an
  /// unwritable cache, or no unit parsed at all.
  /// `preload`: the facts an earlier run's units had, being read since the run began.
  static func run(
    _ inputs: InputSet, kbuild: KbuildStage, tierOne: TierOneStage, options: CheckOptions,
    preload: FactsPreload? = nil
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
    let (outcomes, counts) = await extractAll(
      inputs: inputs, builder: builder, options: options, preload: preload)

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
    coverage.fromCache = counts.fromCache
    coverage.precompiled = counts.precompiled
    coverage.parsedAgain = counts.parsedAgain
    coverage.precompiledFailures = counts.precompiledFailures
    coverage.causes = causes
    coverage.unbuilt = kbuild.unbuilt.count
    if options.arch != "auto" { coverage.unbuiltArch = options.arch }
    var result = CheckResult(
      root: inputs.root, mode: inputs.mode, arch: options.arch, files: files,
      diagnostics: diagnostics.sorted(), coverage: coverage)
    result.dependencies = counts.dependencies.sorted()
    result.factKeys = counts.keys
    return result
  }

  /// Extracts every unit with at most `jobs` in flight; each parse owns its own libclang index
  /// and translation unit, in a worker process (`WorkerPool`, the default) or on a thread of
  /// its own (`UnitExtraction`), so a unit that hangs past `unitTimeout` or crashes a worker
  /// becomes a failure of that unit only. A unit the facts cache does not answer is parsed over
  /// a precompiled header when one serves it (`PrecompiledHeaders`).
  private static func extractAll(
    inputs: InputSet, builder: ArgumentBuilder, options: CheckOptions, preload: FactsPreload?
  ) async -> (results: [Result<[FileFacts], ExtractionError>], counts: ExtractionCounts) {
    let root = inputs.root
    let units = inputs.units
    let unsavedFiles = options.unsavedFiles
    let cache =
      options.useCache
      ? preload?.cache ?? FactsCache(base: options.cacheBase, unsavedFiles: unsavedFiles) : nil
    let pool = options.isolateExecutable.map { WorkerPool(executable: $0) }
    defer { pool?.shutDown() }
    let precompiled = precompiledHeaders(options)
    defer {
      if let precompiled, !options.useCache {
        try? FileManager.default.removeItem(atPath: precompiled.directory)
      }
    }
    var results = [Result<[FileFacts], ExtractionError>?](repeating: nil, count: units.count)
    var counts = ExtractionCounts()
    var done = 0
    // Units without a cache entry are parsed first, while the preloaded entries are awaited
    // and the others load beside them (a re-run with one file changed parses it as it loads
    // hundreds); an entry that turns out stale sends its unit to the parses.
    let (keys, stored) = cacheKeys(units, cache: cache, builder: builder, jobs: options.jobs)
    counts.keys = keys.compactMap { $0 }
    var toParse = units.indices.filter { !stored[$0] }
    await withTaskGroup(of: Extracted.self) { group in
      var next = 0
      var parsing = 0
      func submit() {
        while parsing < options.jobs, next < toParse.count {
          let index = toParse[next]
          next += 1
          parsing += 1
          let path = units[index].path
          let arguments = builder.arguments(for: path)
          let key = keys[index]
          group.addTask {
            var request = UnitRequest(
              path: path, arguments: arguments, root: root, unsavedFiles: unsavedFiles)
            let entry = await precompiledEntry(
              for: path, precompiled: precompiled, builder: builder, options: options,
              pool: pool, root: root)
            request.precompiledHeader = entry?.path
            var result = await UnitExtraction.extract(
              request, timeout: options.unitTimeout, pool: pool)
            if entry != nil, case .failure(.childCrashed) = result {
              // A worker that died over a precompiled header may not die without one.
              request.precompiledHeader = nil
              result = await UnitExtraction.extract(
                request, timeout: options.unitTimeout, pool: pool)
            }
            var source = Source.parse
            if let entry, case .success(var parsed) = result {
              if parsed.precompiled {
                // The parse read the precompiled header's files through it: they are the
                // unit's dependencies all the same.
                parsed.dependencies = Array(Set(parsed.dependencies + entry.dependencies))
                  .sorted()
                result = .success(parsed)
                source = .precompiledParse
              } else {
                source = .parsedAgain
              }
            }
            let read = (try? result.get().dependencies) ?? []
            if let cache, let key, case .success(let parsed) = result {
              let stored = cache.store(
                key: key, facts: parsed.facts, dependencies: parsed.dependencies)
              return .parsed(index, .success(stored), source, read)
            }
            return .parsed(index, result.map(\.facts), source, read)
          }
        }
      }
      submit()
      let preloaded = await preload?.facts() ?? [:]
      for (index, key) in keys.enumerated() where stored[index] {
        guard let key, let facts = preloaded[key] else { continue }
        results[index] = .success(facts)
        counts.fromCache += 1
        done += 1
      }
      let toLoad = units.indices.filter { results[$0] == nil && stored[$0] }
      if let cache, !toLoad.isEmpty {
        group.addTask { .loaded(loadEntries(toLoad, keys: keys, cache: cache, jobs: options.jobs)) }
      }
      for await extracted in group {
        switch extracted {
        case .loaded(let loaded):
          for (index, facts) in loaded {
            guard let facts else {
              toParse.append(index)
              continue
            }
            results[index] = .success(facts)
            counts.fromCache += 1
            done += 1
          }
        case .parsed(let index, let result, let source, let read):
          parsing -= 1
          results[index] = result
          counts.dependencies.formUnion(read)
          switch source {
          case .precompiledParse: counts.precompiled += 1
          case .parsedAgain: counts.parsedAgain += 1
          case .parse: break
          }
          done += 1
        }
        options.progress?(done, units.count)
        submit()
      }
    }
    // An entry is current when every file it read hashes as it did: the files the cache
    // hashed are the loaded units' dependencies (and a few more: the units themselves, the
    // files of a stale entry up to the first that changed), without a union of every unit's
    // list, which took longer than loading the entries.
    if let cache { counts.dependencies.formUnion(cache.hashedFiles) }
    counts.precompiledFailures = await precompiled?.failures ?? []
    if let precompiled, options.useCache, await precompiled.built > 0 {
      PrecompiledHeaders.prune(precompiled.directory)
    }
    return (results.map { $0 ?? .failure(.parseFailed(path: "?", code: -1)) }, counts)
  }

  /// What one task of `extractAll` hands back: a parsed unit, or the cache entries of units
  /// by index (nil for one that is stale).
  private enum Extracted: Sendable {
    case parsed(Int, Result<[FileFacts], ExtractionError>, Source, [String])
    case loaded([(Int, [FileFacts]?)])
  }

  /// Each unit's facts-cache key (nil without a cache, or for a file that cannot be read),
  /// and whether the cache has an entry under it (which may still be stale), computed on
  /// `jobs` threads.
  private static func cacheKeys(
    _ units: [InputSet.Unit], cache: FactsCache?, builder: ArgumentBuilder, jobs: Int
  ) -> (keys: [String?], stored: [Bool]) {
    guard let cache else {
      return (
        Array(repeating: nil, count: units.count), Array(repeating: false, count: units.count)
      )
    }
    let found = Mutex<[(Int, String?, Bool)]>([])
    let workers = max(1, min(jobs, units.count))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      var mine: [(Int, String?, Bool)] = []
      for index in stride(from: worker, to: units.count, by: workers) {
        let path = units[index].path
        // Patched files are hashed from their patched contents, so their facts are keyed by
        // what was parsed.
        let key = cache.key(path: path, arguments: builder.arguments(for: path))
        mine.append((index, key, key.map(cache.hasEntry) ?? false))
      }
      found.withLock { $0 += mine }
    }
    var keys = [String?](repeating: nil, count: units.count)
    var stored = [Bool](repeating: false, count: units.count)
    for (index, key, has) in found.withLock({ $0 }) {
      keys[index] = key
      stored[index] = has
    }
    return (keys, stored)
  }

  /// The cached facts of the units at `indices`, read on `jobs` threads (a whole tree's
  /// re-run loads hundreds: one task per entry spent more time being handed the next than
  /// reading it); nil for one whose entry is stale or damaged. An entry's list of the files
  /// it read is dropped at once (a whole tree's lists weigh about 100 MB): the memo takes them
  /// from the files the cache hashed.
  private static func loadEntries(
    _ indices: [Int], keys: [String?], cache: FactsCache, jobs: Int
  ) -> [(Int, [FileFacts]?)] {
    let loaded = Mutex<[(Int, [FileFacts]?)]>([])
    let workers = max(1, min(jobs, indices.count))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      var mine: [(Int, [FileFacts]?)] = []
      for position in stride(from: worker, to: indices.count, by: workers) {
        let index = indices[position]
        mine.append((index, keys[index].flatMap { cache.loadEntry(key: $0)?.facts }))
      }
      loaded.withLock { $0 += mine }
    }
    return loaded.withLock { $0 }.sorted { $0.0 < $1.0 }
  }

  /// How a parsed unit's facts were made.
  private enum Source: Sendable {
    /// A plain parse, a parse over a precompiled header, or a plain parse after one over a
    /// precompiled header reported an error.
    case parse, precompiledParse, parsedAgain
  }

  /// How a run's units were extracted, for `Coverage`.
  struct ExtractionCounts {
    var fromCache = 0
    var precompiled = 0
    var parsedAgain = 0
    var precompiledFailures: [String] = []
    /// The files the units read, parsed or as their facts-cache entries record.
    var dependencies: Set<String> = []
    /// The units' facts-cache keys.
    var keys: [String] = []
  }

  /// The precompiled headers of a run: in the cache, or with `--no-cache` in a directory of
  /// the run's own that it removes; none when they are turned off or a header is held in
  /// memory (a patched header would not be what a precompiled header read).
  private static func precompiledHeaders(_ options: CheckOptions) -> PrecompiledHeaders? {
    guard options.precompiledHeaders,
      options.unsavedFiles.keys.allSatisfy({ $0.hasSuffix(".c") })
    else { return nil }
    let directory =
      options.useCache
      ? options.cacheBase + "/pch/v1"
      : NSTemporaryDirectory() + "/sever-pch-\(getpid())-\(UUID().uuidString)"
    return PrecompiledHeaders(directory: directory, threshold: options.precompileAfter)
  }

  /// The precompiled header a unit (absolute path) is to be parsed over, if any: read from its
  /// first bytes (`LeadingIncludes`), built in a worker like a parse when this run needs it.
  private static func precompiledEntry(
    for path: String, precompiled: PrecompiledHeaders?, builder: ArgumentBuilder,
    options: CheckOptions, pool: WorkerPool?, root: String
  ) async -> PrecompiledHeaders.Entry? {
    guard let precompiled, let head = leadingBytes(of: path, options: options),
      let spec = PrecompiledHeaders.spec(path: path, contents: head, builder: builder)
    else { return nil }
    return await precompiled.entry(for: spec) { header, output in
      let request = UnitRequest(
        path: header, arguments: spec.arguments, root: root, unsavedFiles: [:],
        precompileInto: output)
      switch await UnitExtraction.extract(request, timeout: options.unitTimeout, pool: pool) {
      case .success(let built): return .success(built.dependencies)
      case .failure(let error): return .failure(.init(reason: error.description))
      }
    }
  }

  /// The first 64 KiB of a file (from memory when the run holds it there): more than the
  /// licence comment and the `#include` lines of any kernel file.
  private static func leadingBytes(of path: String, options: CheckOptions) -> [UInt8]? {
    if let text = options.unsavedFiles[path] { return Array(text.utf8.prefix(1 << 16)) }
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    return (try? handle.read(upToCount: 1 << 16)).map { Array($0) }
  }
}
