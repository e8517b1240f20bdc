import Foundation
import Scan
import SeverConfiguration
import SeverCore
import SeverSupport

/// The findings of a whole run, kept for a re-run in which nothing changed.
///
/// The facts cache spares the parse of an unchanged unit but still decodes its facts; with
/// nothing changed a re-run needs none of them. The memo is valid while the options are the
/// same and every file under the checked paths, the tree's shared headers, every Kconfig or
/// Kbuild file the oracle read and every other file the parsed units read (a header of a
/// sibling folder) keep their size, modification time and inode (what `git status` trusts).
/// Anything else falls back to the per-unit facts cache.
struct RunMemo: Codable, Sendable {
  /// What stages 1 to 5 produced: findings before configuration, suppressions and baseline,
  /// the suppression comments, the diagnostics and the coverage line.
  var analysis: Analysis
  /// Statuses of files the run depended on outside the walked paths (the oracle's inputs, and
  /// the headers the units read from elsewhere).
  var inputs: [String: FileStatus]
  /// The hash of the statuses of every file under the walked paths.
  var walk: String

  /// Where the memo of a run with these options lives; nil when the run cannot use one.
  static func file(for request: Pipeline.Request, root: String) -> String? {
    let options = request.options
    guard options.useCache, options.unsavedFiles.isEmpty, options.unitArguments.isEmpty,
      request.configuration.exclude.isEmpty
    else { return nil }
    func status(_ path: String?) -> String? {
      guard let path else { return "-" }
      guard let status = FileStatus(path: path), status.kind == .regular else { return nil }
      return "\(path) \(status.size) \(status.modified) \(status.inode)"
    }
    // A --config or compilation database that cannot be read is an error the run must report.
    guard let config = status(options.configPath),
      let database = status(options.compileCommands)
    else { return nil }
    let key = StableHash.hex(
      [
        SeverBuild.identity, root, options.arch, config, database, "\(options.prefilter)",
        "\(options.exhaustive)", "\(options.unitTimeout ?? 0)",
        (request.rules?.sorted() ?? ["*"]).joined(separator: ","),
      ] + options.paths.map(InputSet.absolutePath).sorted())
    return options.cacheBase + "/runs/v1/" + key + ".json"
  }

  /// The hash of the statuses of every regular file under the paths, the tree's `include` and
  /// the architecture's `include` (walked without following links).
  static func walkHash(paths: [String], root: String, arch: String) -> String {
    walk(paths: paths, root: root, arch: arch).hash
  }

  /// `walkHash`, and what the walk saw: discovery takes its units from it instead of walking
  /// the tree a second time when the memo cannot answer.
  static func walk(paths: [String], root: String, arch: String)
    -> (hash: String, walked: TreeWalk.Walked)
  {
    let walked = TreeWalk.walk(
      under: walkRoots(paths: paths, root: root, arch: arch),
      enter: { !unwalked.contains(InputSet.relative($0, to: root)) })
    let lines = walked.entries.map {
      "\($0.path) \($0.status.size) \($0.status.modified) \($0.status.inode)"
    }
    // A file given as a path and met again in a walked folder counts once.
    var unique: [String] = []
    for line in lines.sorted() where line != unique.last { unique.append(line) }
    return (StableHash.hex(unique), walked)
  }

  /// Where the walk starts: the paths, the tree's `include` and the architecture's `include`.
  static func walkRoots(paths: [String], root: String, arch: String) -> [String] {
    paths.map(InputSet.absolutePath) + [
      root + "/include", root + "/arch/" + ArchitectureTable.sourceArch(for: arch) + "/include",
    ]
  }

  /// The tree's folders the walk does not enter (no unit reads them).
  static let unwalked: Set<String> = ["tools", "scripts", "Documentation", ".git"]

  /// The files of `read` (absolute paths) the walk from `roots` does not see, with their
  /// status: a unit of `drivers/net/wireless/ti/wl18xx` reads `../wlcore/debugfs.h`, and a run
  /// of that folder alone must not be remembered past a change to it. Nil when one of `read`
  /// has no status now (the run is then not remembered); one of `looked` (files a run looked
  /// for, which may not exist) without a status is left out.
  static func unwalkedInputs(
    _ read: [String], looked: [String] = [], roots: [String], root: String
  ) -> [String: FileStatus]? {
    let prefixes = roots.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
    let skipped = unwalked.map { root + "/" + $0 + "/" }
    var result: [String: FileStatus] = [:]
    for (path, required) in read.map({ ($0, true) }) + looked.map({ ($0, false) }) {
      // clang names a header as the include spelled it (`wl18xx/../wlcore/debugfs.h`).
      let normal = InputSet.absolutePath(path)
      let walked =
        (roots.contains(normal) || prefixes.contains(where: normal.hasPrefix))
        && !skipped.contains(where: normal.hasPrefix)
      guard !walked else { continue }
      guard let status = FileStatus(path: path) else {
        if required { return nil }
        continue
      }
      result[path] = status
    }
    return result
  }

  /// The memo, when it is valid.
  static func load(_ file: String, walk: String) -> RunMemo? {
    guard let data = CacheFile.validContents(file, describing: "run memo"),
      let memo = try? JSONDecoder().decode(RunMemo.self, from: data), memo.walk == walk
    else { return nil }
    for (path, status) in memo.inputs where FileStatus(path: path) != status { return nil }
    // The memo's time says when it was last used, for `prune`.
    utime(file, nil)
    return memo
  }

  /// How many memos a cache keeps (`prune`): one per set of options a user runs, about 2 MB
  /// each on a whole tree.
  static let keptMemos = 32

  /// Removes all but the `keeping` memos of `directory` used last (by their time, which every
  /// use sets) with the lists of facts beside them (`FactsPreload`), and a list without a memo
  /// a day old (a run whose memo was not stored, or was removed).
  static func prune(_ directory: String, keeping: Int = keptMemos) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return
    }
    func time(_ name: String) -> Int { FileStatus(path: directory + "/" + name)?.modified ?? 0 }
    let memos = names.filter { $0.hasSuffix(".json") }.map { (String($0.dropLast(5)), time($0)) }
      .sorted { ($0.1, $0.0) > ($1.1, $1.0) }
    let kept = Set(memos.prefix(keeping).map(\.0))
    let listed = Set(memos.map(\.0))
    let dayAgo = (Int(Date().timeIntervalSince1970) - 86_400) * 1_000_000_000
    for name in names where !name.hasPrefix(".") {
      let key = String(name.prefix { $0 != "." })
      let orphan = !listed.contains(key) && name.hasSuffix(".units") && time(name) < dayAgo
      if listed.contains(key) && !kept.contains(key) || orphan { unlink(directory + "/" + name) }
    }
  }

  /// Stores the memo (atomically and checksummed: a concurrent run never reads half of it, and
  /// a damaged one is never used).
  func store(_ file: String) {
    guard let data = try? JSONEncoder().encode(self) else { return }
    CacheFile.write(data, to: file)
    Self.prune((file as NSString).deletingLastPathComponent)
  }
}

/// This build of sever, for the keys of caches that hold results of sever's own logic (the
/// Kbuild answers, the run memo): a rebuilt binary must not trust a previous one's answers,
/// even with the same version string.
enum SeverBuild {
  /// The version and the executable's size, time and inode.
  static let identity: String = {
    let executable =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments.first ?? ""
    let status = FileStatus(path: executable)
    return "\(SeverVersion.current) \(executable) \(status?.size ?? 0) "
      + "\(status?.modified ?? 0) \(status?.inode ?? 0)"
  }()

  /// A cache file of one tree and architecture that only this build of sever reads:
  /// `<cacheBase>/<folder>/<hash>.bin`.
  static func treeFile(cacheBase: String, folder: String, root: String, arch: String) -> String {
    cacheBase + "/" + folder + "/" + StableHash.hex([root, arch, identity]) + ".bin"
  }
}
