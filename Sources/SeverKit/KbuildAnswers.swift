import Foundation
import Kbuild
import Scan
import SeverCore
import SeverSupport

/// What a run needs from the tree's Kconfig and Kbuild files for one architecture: the
/// estimated default configuration, the module capability of each candidate file, and the
/// flags Kbuild would compile each unit with. Reading them takes seconds on a whole tree, so the
/// answers are cached under `$XDG_CACHE_HOME/sever/kbuild/v2`, valid while every file the oracle
/// read keeps its size, modification time and inode.
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
  /// What the answers were computed from: every file the oracle read, with its status.
  var inputs: [String: FileStatus]

  /// The answers for `paths` (capability) and `units` (flags), from the cache when it is valid,
  /// else from the tree. `given` is the configuration the run uses when it is not the estimate.
  /// `overlay` (tree-relative path → text) replaces files on disk, as a patch under review does;
  /// answers read through a changed Kconfig or Kbuild file are neither read from nor written to
  /// the cache. (A changed C file only matters for its `#ifdef MODULE` blocks, and a new one is
  /// not in the cache, which then misses.)
  public static func load(
    root: String, arch: String, paths: [String], units: [String], given: KernelConfig?,
    cacheBase: String, useCache: Bool, overlay: [String: String] = [:]
  ) async throws(KbuildError) -> KbuildAnswers {
    let useCache = useCache && !overlay.keys.contains(where: isKbuildFile)
    let file =
      cacheBase + "/kbuild/v2/"
      + StableHash.hex([
        root, arch, SeverBuild.identity, given.map { $0.autoconfHeader() } ?? "estimate",
      ]) + ".json"
    let cached = useCache ? read(file, root: root) : nil
    if let cached, paths.allSatisfy({ cached.capabilities[$0] != nil }),
      units.allSatisfy({ cached.flags[$0] != nil })
    {
      return cached
    }
    let oracle = try await KbuildOracle.load(tree: root, arch: arch, overlay: overlay)
    let config = DefaultConfig.estimate(
      from: oracle, sourceArch: ArchitectureTable.sourceArch(for: arch))
    var capabilities: [String: ModuleCapability] = [:]
    for (path, answer) in zip(paths, await oracle.answers(for: paths, jobs: 2)) {
      capabilities[path] = answer
    }
    var flags: [String: ObjectFlags] = [:]
    for unit in units { flags[unit] = oracle.objectFlags(for: unit, config: given ?? config) }
    var inputs: [String: FileStatus] = [:]
    for path in oracle.readFiles {
      inputs[path] = FileStatus(path: root + "/" + path)
    }
    let answers = KbuildAnswers(
      arch: arch, config: config, capabilities: capabilities, flags: flags,
      skippedFiles: oracle.skippedFiles, inputs: inputs)
    if useCache {
      // The cached answers are still true (every file they were read from is unchanged), so
      // they are kept beside the new ones: a `make C=1` object's run does not replace a whole
      // tree's answers with its own few, and objects answered before stay answered.
      var stored = answers
      if let cached {
        stored.capabilities.merge(cached.capabilities) { new, _ in new }
        stored.flags.merge(cached.flags) { new, _ in new }
        stored.inputs.merge(cached.inputs) { new, _ in new }
        stored.skippedFiles = Array(Set(stored.skippedFiles + cached.skippedFiles)).sorted()
      }
      write(stored, to: file)
    }
    return answers
  }

  /// Whether a tree-relative path is a Kconfig or Kbuild file.
  static func isKbuildFile(_ path: String) -> Bool {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return name.hasPrefix("Kconfig") || name.hasPrefix("Makefile") || name.hasPrefix("Kbuild")
  }

  private static func read(_ file: String, root: String) -> KbuildAnswers? {
    guard let data = CacheFile.validContents(file, describing: "Kbuild answers"),
      let answers = try? JSONDecoder().decode(KbuildAnswers.self, from: data)
    else { return nil }
    for (path, status) in answers.inputs where FileStatus(path: root + "/" + path) != status {
      return nil
    }
    return answers
  }

  private static func write(_ answers: KbuildAnswers, to file: String) {
    guard let data = try? JSONEncoder().encode(answers) else { return }
    CacheFile.write(data, to: file)
  }
}
