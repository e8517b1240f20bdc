import Foundation
import Kbuild
import Scan
import SeverCore
import SeverSupport

/// What a run needs from the tree's Kconfig and Kbuild files for one architecture: the
/// estimated default configuration, the module capability of each candidate file, and the
/// flags Kbuild would compile each unit with. Reading them takes seconds on a whole tree, so the
/// answers for every `.c` file of the tree are kept as the tree's state (`KbuildTreeState`),
/// valid while every Kconfig and Kbuild file the oracle read keeps its size, modification time
/// and inode.
public struct KbuildAnswers: Codable, Sendable {
  /// The architecture (`x86_64`, `arm64`).
  public var arch: String
  /// The allmodconfig-like configuration estimated from the tree's Kconfig.
  public var config: KernelConfig
  /// Module capability by tree-relative path.
  public var capabilities: [String: ModuleCapability]
  /// Kbuild's per-object flags by tree-relative unit path, in the configuration the run uses
  /// (the `--config` given, else `config`).
  public var flags: [String: ObjectFlags]
  /// Files that exist but could not be read (answers depending on them may be wrong).
  public var skippedFiles: [String]
  /// What the answers were computed from: every Kconfig and Kbuild file the oracle read, with
  /// its status.
  var inputs: [String: FileStatus]

  /// The answers for `paths` (capability) and `units` (flags), from the cache when it is valid,
  /// else from the tree. `given` is the configuration the run uses when it is not the estimate.
  /// `overlay` (tree-relative path → text) replaces files on disk, as a patch under review does;
  /// answers read through a changed Kconfig or Kbuild file are neither read from nor written to
  /// the cache. (A changed C file only matters for its `#ifdef MODULE` blocks, and a new one is
  /// not in the cache, which then misses.)
  /// With the cache, `scope` says which files are answered and kept beyond those asked about:
  /// every `.c` file of the tree, or those of the asked files' directories.
  public static func load(
    root: String, arch: String, paths: [String], units: [String], given: KernelConfig?,
    cacheBase: String, useCache: Bool, scope: KbuildTreeState.Scope = .wholeTree,
    overlay: [String: String] = [:]
  ) async throws(KbuildError) -> KbuildAnswers {
    let useCache = useCache && !overlay.keys.contains(where: isKbuildFile)
    let state = KbuildTreeState(cacheBase: cacheBase, root: root, arch: arch, given: given)
    let found: (answers: KbuildAnswers?, stale: Bool) =
      useCache ? state.lookup(for: paths, units: units, overlay: overlay) : (nil, false)
    if let answers = found.answers { return answers }
    let oracle = try await KbuildOracle.load(tree: root, arch: arch, overlay: overlay)
    let config = DefaultConfig.estimate(
      from: oracle, sourceArch: ArchitectureTable.sourceArch(for: arch))
    // Every `.c` file of the scope is answered now, so that the next run (a `make C=1` object,
    // a review of a neighbour) finds its answers; the whole tree costs seconds more than
    // reading the Kbuild files, mostly in writing them.
    let answered =
      useCache
      ? Array(Set(paths).union(scope.files(oracle.allCSources(), around: paths + units))).sorted()
      : paths
    var all: [String: ModuleCapability] = [:]
    for (path, answer) in zip(answered, await oracle.answers(for: answered, jobs: 2)) {
      all[path] = answer
    }
    var capabilities: [String: ModuleCapability] = [:]
    for path in paths { capabilities[path] = all[path] }
    var allFlags: [String: ObjectFlags] = [:]
    for unit in useCache ? Array(Set(units).union(answered)).sorted() : units {
      allFlags[unit] = oracle.objectFlags(for: unit, config: given ?? config)
    }
    var flags: [String: ObjectFlags] = [:]
    for unit in units { flags[unit] = allFlags[unit] }
    var inputs: [String: FileStatus] = [:]
    for path in oracle.readFiles where !path.hasSuffix(".c") {
      inputs[path] = FileStatus(path: root + "/" + path)
    }
    if useCache {
      state.store(
        config: config, skippedFiles: oracle.skippedFiles, readFiles: oracle.readFiles,
        answers: all, flags: allFlags, overlay: overlay, join: !found.stale)
    }
    let skippedFiles = oracle.skippedFiles
    // The oracle holds every Kbuild file's and Kconfig symbol's values: freeing them is a
    // tenth of a second the run need not wait for (the last reference goes with the closure).
    DispatchQueue.global(qos: .utility).async { withExtendedLifetime(oracle) {} }
    return KbuildAnswers(
      arch: arch, config: config, capabilities: capabilities, flags: flags,
      skippedFiles: skippedFiles, inputs: inputs)
  }

  /// Whether a tree-relative path is a Kconfig or Kbuild file.
  static func isKbuildFile(_ path: String) -> Bool {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return name.hasPrefix("Kconfig") || name.hasPrefix("Makefile") || name.hasPrefix("Kbuild")
  }
}
