import Foundation
import Scan
import SeverCore
import SeverSupport

/// What a run will parse: the tree root, how the tree is set up, and the translation units,
/// each with the files whose facts it provides.
public struct InputSet: Sendable, Equatable {
  /// How compile arguments are made for this input.
  public enum Mode: String, Sendable, Equatable, Codable {
    /// A Linux source tree (it has `include/linux/kconfig.h` and `arch/`): Kbuild-like flags.
    case kernelTree = "kernel-tree"
    /// A small tree with its own `include/linux` headers, such as sever's fixtures.
    case headerTree = "header-tree"
    /// Files with no tree around them: built-in defaults.
    case loneFiles = "lone-files"
  }

  /// One file handed to libclang, and the files whose facts are kept from it.
  public struct Unit: Sendable, Equatable {
    /// Absolute path of the file to parse.
    public var path: String
    /// Paths, relative to the root, whose facts come from this unit (itself, or the `.c`
    /// files it includes when it is a wrapper such as `kernel/sched/build_utility.c`).
    public var keep: [String]
  }

  /// Files larger than this are not read (bounded before anything is read whole).
  public static let maximumFileSize = 16 << 20

  /// Absolute path of the tree root; every reported path is relative to it.
  public var root: String
  /// How the tree is set up.
  public var mode: Mode
  /// The units to parse, sorted by path.
  public var units: [Unit]
  /// Inputs that will not be parsed, or that are odd, with the reason.
  public var diagnostics: [ToolDiagnostic]
  /// Files found under directories of a kernel tree that the text prefilter left out.
  public var prefiltered: Int = 0
  /// Files named on the command line (relative paths): always parsed, whatever the filters say.
  public var named: Set<String> = []
  /// Whether the prefilter applied (a kernel tree, not `--no-prefilter`); tier 1 selects only then.
  public var filtered = false
  /// The functions the prefiltered files define, read from their kernel-style bodies: where
  /// tier 1 finds a helper a handler calls when no candidate defines it (`xe_pm_runtime_get`
  /// in `drivers/gpu/drm/xe/xe_pm.c`).
  public var helperDefinitions = HelperDefinitions()
  /// The prefiltered files that define a function (relative paths, sorted): the files of
  /// `helperDefinitions`, each once.
  public var helperDefiners: [String] { helperDefinitions.definers.map(\.path).sorted() }
  /// The `.c` files each file's `#include "…"` lines name (absolute path → targets as
  /// spelled), for every file discovery read or knew from the prefilter's cache: wrappers are
  /// found from these without reading the files again (`supportUnits`).
  public var sourceIncludes: [String: [String]] = [:]
  /// How many of the prefiltered files tier 1 added as units, for the helpers they define.
  public var helpers = 0

  /// Words one of which every file that defines, registers or dispatches a table some rule
  /// reads spells: the struct tags, `bin_attribute`, and `_ATTRIBUTE(` for the macros that make
  /// file_operations (`DEFINE_SHOW_ATTRIBUTE`, `DEFINE_DEBUGFS_ATTRIBUTE`). Files under a kernel
  /// tree's directories that spell none are not parsed: plain sysfs attributes
  /// (`DEVICE_ATTR`, `struct device_attribute`) have no release, poll or mmap, and no rule reads
  /// them. `--no-prefilter` parses them all; files named on the command line always are. The
  /// premise, shared with tier 1: a file that dispatches through a table names its type (the
  /// kernel's own do: `kernfs_ops(kn)`, `struct cftype *cft`, `pde->proc_ops`); one that reaches
  /// the table only through a header's fields, spelling none of these words, is not parsed.
  public static let prefilterWords: [String] = [
    "kernfs_ops", "cftype", "proc_ops", "file_operations", "vm_operations_struct",
    "seq_operations", "miscdevice", "bin_attribute", "_ATTRIBUTE(",
  ]

  /// Finds the tree root and the C files under `paths` (files or directories).
  public static func discover(
    paths: [String], arch: String = "x86_64", prefilter: Bool = true,
    excluded: (String) -> Bool = { _ in false }, unsavedFiles: [String: String] = [:],
    cacheBase: String? = nil, walked: TreeWalk.Walked? = nil
  ) throws(SeverKitError) -> InputSet {
    let fm = FileManager.default
    let absolute = paths.map { absolutePath($0) }
    for (given, path) in zip(paths, absolute)
    where !fm.fileExists(atPath: path) && unsavedFiles[path] == nil {
      throw .noSuchPath(given)
    }
    let (root, mode) = findRoot(for: absolute)
    var named: Set<String> = []
    var found: Set<String> = []
    // The statuses the walk read, so that the prefilter's cache is consulted without reading
    // them again.
    var statuses: [String: FileStatus] = [:]
    for path in absolute {
      var isDirectory: ObjCBool = false
      _ = fm.fileExists(atPath: path, isDirectory: &isDirectory)
      if isDirectory.boolValue {
        for entry in cFiles(under: path, root: root, mode: mode, arch: arch, walked: walked) {
          found.insert(entry.path)
          statuses[entry.path] = entry.status
        }
      } else if path.hasSuffix(".c") {
        named.insert(path)
      }
    }
    let files = named.union(found).filter { !excluded(relative($0, to: root)) }.sorted()
    guard !files.isEmpty else { throw .noCSources(paths) }

    let filtering = prefilter && mode == .kernelTree
    let needles = ByteSearch(prefilterWords)
    var diagnostics: [ToolDiagnostic] = []
    var readable: [String] = []
    var prefiltered = 0
    var definers: [(path: String, names: [String])] = []
    // A kernel tree's files are read for the prefilter only when their status changed since
    // the last run (`PrefilterCache`).
    let store =
      filtering ? cacheBase.map { PrefilterCache(cacheBase: $0, root: root).entries } : nil
    let known = store?.load() ?? EntryStore.Loaded()
    var learned: [String: PrefilterCache.Entry] = [:]
    // What the verdicts (of this run's contents) say each file includes, so that looking for
    // wrappers need not read them again.
    var sourceIncludes: [String: [String]] = [:]
    for file in files where filtering {
      let path = relative(file, to: root)
      let status =
        unsavedFiles[file] != nil
        ? nil : statuses[file].map(TierOneScanCache.fields) ?? PrefilterCache.fields(file)
      let verdict: PrefilterCache.Verdict
      if let status, let entry = known.entries[file], entry.status == status {
        verdict = entry.verdict
        sourceIncludes[file] = verdict.includedSources
      } else {
        let (data, problem) =
          unsavedFiles[file].map { inspect(Data($0.utf8), relativePath: path) }
          ?? inspect(file, relativePath: path)
        let spells = data.map { data in data.withUnsafeBytes { needles.matches($0) } } ?? false
        let includedSources = data.map(IncludedSources.targets(in:))
        verdict = PrefilterCache.Verdict(
          problem: problem?.diagnostic.message, skip: problem?.skip ?? false, spells: spells,
          includedSources: includedSources ?? [],
          definitions: data.map { data in
            spells ? [] : data.withUnsafeBytes { DefinedFunctions.names(in: $0) }
          } ?? [])
        if let status, data != nil {
          learned[file] = PrefilterCache.Entry(status: status, verdict: verdict)
        }
        if let includedSources { sourceIncludes[file] = includedSources }
      }
      if let message = verdict.problem {
        diagnostics.append(ToolDiagnostic(kind: .unreadableInput, path: path, message: message))
        if verdict.skip { continue }
      }
      if !named.contains(file), !verdict.spells {
        prefiltered += 1
        if !verdict.definitions.isEmpty { definers.append((path, verdict.definitions)) }
        continue
      }
      readable.append(file)
    }
    store?.store(learned, onto: known)
    for file in files where !filtering {
      let (_, problem) =
        unsavedFiles[file].map { inspect(Data($0.utf8), relativePath: relative(file, to: root)) }
        ?? inspect(file, relativePath: relative(file, to: root))
      if let problem {
        diagnostics.append(problem.diagnostic)
        if problem.skip { continue }
      }
      readable.append(file)
    }
    let units = group(readable, root: root, excluded: excluded, known: sourceIncludes)
    return InputSet(
      root: root, mode: mode, units: units, diagnostics: diagnostics.sorted(),
      prefiltered: prefiltered, named: Set(named.map { relative($0, to: root) }),
      filtered: filtering, helperDefinitions: HelperDefinitions(definers: definers),
      sourceIncludes: sourceIncludes)
  }

  /// The units that parse `paths` (helper files tier 1's reach went into, relative to
  /// `root`): a file another `.c` file of its directory includes is parsed inside the outermost
  /// of them, as Kbuild compiles it (`kernel/sched/clock.c` inside `build_utility.c`; alone it
  /// gives hundreds of parse errors); any other file is a unit of its own.
  static func supportUnits(
    _ paths: [String], root: String, known: [String: [String]] = [:]
  ) -> [Unit] {
    let files = paths.map { root + "/" + $0 }
    let (outermost, _) = wrappers(of: files, known: known)
    var units: [String: [String]] = [:]
    for (path, file) in zip(paths, files) { units[outermost(file), default: []].append(path) }
    return units.keys.sorted().map { Unit(path: $0, keep: units[$0, default: []].sorted()) }
  }

  /// `units` with those of one path made one, keeping every file either keeps; sorted by path.
  static func joined(_ units: [Unit]) -> [Unit] {
    var keep: [String: Set<String>] = [:]
    for unit in units { keep[unit.path, default: []].formUnion(unit.keep) }
    return keep.keys.sorted().map { Unit(path: $0, keep: keep[$0, default: []].sorted()) }
  }

  /// Of `others` (files the prefilter leaves out, with their contents), the paths of those
  /// that define a function some candidate spells a call to (`name(`, the whole identifier):
  /// the helper files tier 1's reach may go into, for runs that name their files instead of
  /// giving directories (`review` parses a change's directory this way).
  public static func helperFiles(candidates: [Data], others: [(path: String, data: Data)])
    -> [String]
  {
    // The candidates' calls are collected once: searching each helper name in each candidate
    // was a tenth of a cold review in a large directory (amdgpu's 82 files).
    var called: Set<String> = []
    for candidate in candidates {
      candidate.withUnsafeBytes { DefinedFunctions.calledNames(in: $0, into: &called) }
    }
    return others.filter { other in
      other.data.withUnsafeBytes { DefinedFunctions.names(in: $0) }.contains(where: called.contains)
    }.map(\.path).sorted()
  }

  /// The path relative to the root, as reports print it.
  public func relativePath(_ absolute: String) -> String { Self.relative(absolute, to: root) }

  static func relative(_ path: String, to root: String) -> String {
    path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
  }

  static func absolutePath(_ path: String) -> String {
    let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    return URL(fileURLWithPath: joined).standardizedFileURL.path
  }

  /// The tree root for one file: the nearest directory above it with `include/linux` and a
  /// `Kconfig` or `Makefile`, else the file's directory.
  public static func treeRoot(for path: String) -> String {
    findRoot(for: [absolutePath(path)]).0
  }

  /// The tree root and mode for the inputs, without reading any file.
  public static func locate(paths: [String]) -> (root: String, mode: Mode) {
    findRoot(for: paths.map(absolutePath))
  }

  /// Walks up from the inputs to a directory with `include/linux` and a `Kconfig` or `Makefile`.
  private static func findRoot(for paths: [String]) -> (String, Mode) {
    let fm = FileManager.default
    let directories = paths.map { path -> String in
      var isDirectory: ObjCBool = false
      _ = fm.fileExists(atPath: path, isDirectory: &isDirectory)
      return isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
    }
    let common = commonAncestor(directories)
    var candidate = common
    while true {
      let hasHeaders = fm.fileExists(atPath: candidate + "/include/linux")
      let hasBuild =
        fm.fileExists(atPath: candidate + "/Kconfig")
        || fm.fileExists(atPath: candidate + "/Makefile")
      if hasHeaders && hasBuild {
        let isKernel =
          fm.fileExists(atPath: candidate + "/include/linux/kconfig.h")
          && fm.fileExists(atPath: candidate + "/arch")
        return (candidate, isKernel ? .kernelTree : .headerTree)
      }
      if candidate == "/" || candidate.isEmpty { break }
      candidate = (candidate as NSString).deletingLastPathComponent
    }
    return (common, .loneFiles)
  }

  private static func commonAncestor(_ paths: [String]) -> String {
    guard var prefix = paths.first?.split(separator: "/").map(String.init) else { return "/" }
    for path in paths.dropFirst() {
      let parts = path.split(separator: "/").map(String.init)
      prefix = Array(zip(prefix, parts).prefix { $0 == $1 }.map(\.0))
    }
    return "/" + prefix.joined(separator: "/")
  }

  /// Directories a kernel-tree walk skips: user-space code (and other architectures, unless
  /// `--arch auto`).
  private static let skippedTopLevel: Set<String> = ["tools", "scripts", "Documentation", "usr"]

  /// The `.c` files under `directory` (with their statuses), taken from `walked` when that walk
  /// covers the folders this one enters, else read from disk.
  private static func cFiles(
    under directory: String, root: String, mode: Mode, arch: String,
    walked: TreeWalk.Walked? = nil
  ) -> [TreeWalk.Entry] {
    let archDirectory = ArchitectureTable.sourceArch(for: arch)
    let enter: @Sendable (String) -> Bool = { path in
      guard path != directory else { return true }
      guard !(path as NSString).lastPathComponent.hasPrefix(".") else { return false }
      guard mode == .kernelTree else { return true }
      let rel = relative(path, to: root)
      if skippedTopLevel.contains(rel) { return false }
      // With --arch auto every architecture's own code is a candidate: Kbuild decides which
      // architecture parses it, or that none sever prepares builds it.
      return arch == "auto" || !rel.hasPrefix("arch/") || rel.split(separator: "/").count != 2
        || rel == "arch/" + archDirectory
    }
    let keep: @Sendable (String, FileStatus) -> Bool = { path, status in
      status.kind == .regular && isVisibleCFile(path)
    }
    if let known = walked?.entries(under: directory, enter: enter, keep: keep) { return known }
    // A folder given by a symbolic link is walked as the folder it names.
    return TreeWalk.entries(
      under: [directory], followingRootLinks: true, enter: enter, keep: keep)
  }

  /// Whether a path names a `.c` file whose name does not start with a dot, read from its
  /// bytes: a whole tree's walk asks it of every file.
  static func isVisibleCFile(_ path: String) -> Bool {
    let bytes = path.utf8
    guard bytes.count >= 2, bytes.last == UInt8(ascii: "c"),
      bytes[bytes.index(bytes.endIndex, offsetBy: -2)] == UInt8(ascii: ".")
    else { return false }
    let name =
      bytes.lastIndex(of: UInt8(ascii: "/")).map { bytes.index(after: $0) } ?? bytes.startIndex
    return bytes[name] != UInt8(ascii: ".")
  }

  private struct Problem {
    var diagnostic: ToolDiagnostic
    var skip: Bool
  }

  /// Checks a file before libclang sees it: size, binary data, encoding, emptiness. Returns the
  /// contents when they could be read.
  private static func inspect(_ path: String, relativePath: String) -> (Data?, Problem?) {
    func problem(_ message: String, skip: Bool = true) -> Problem {
      Problem(
        diagnostic: ToolDiagnostic(kind: .unreadableInput, path: relativePath, message: message),
        skip: skip)
    }
    let fm = FileManager.default
    guard let size = FileStatus(path: path)?.size else {
      return (nil, problem("cannot read this file; check its permissions"))
    }
    if size > maximumFileSize {
      return (nil, problem("file is larger than \(maximumFileSize >> 20) MiB and was not read"))
    }
    guard let data = fm.contents(atPath: path) else {
      return (nil, problem("cannot read this file; check its permissions"))
    }
    return inspect(data, relativePath: relativePath)
  }

  /// Checks contents already read (from disk or from a patch held in memory).
  private static func inspect(_ data: Data, relativePath: String) -> (Data?, Problem?) {
    func problem(_ message: String, skip: Bool = true) -> Problem {
      Problem(
        diagnostic: ToolDiagnostic(kind: .unreadableInput, path: relativePath, message: message),
        skip: skip)
    }
    if data.count > maximumFileSize {
      return (nil, problem("file is larger than \(maximumFileSize >> 20) MiB and was not read"))
    }
    if data.isEmpty { return (data, problem("empty file: nothing to check")) }
    // On the contiguous bytes: Data's own iterator, byte by byte, cost a whole-tree run seconds.
    let (binary, valid) = data.withUnsafeBytes { raw -> (Bool, Bool) in
      let bytes = raw.bindMemory(to: UInt8.self)
      guard let base = raw.baseAddress, memchr(base, 0, raw.count) == nil else {
        return (raw.baseAddress != nil, false)
      }
      return (false, String(validating: bytes, as: UTF8.self) != nil)
    }
    if binary {
      return (data, problem("binary data (NUL bytes), not C source: not parsed"))
    }
    if !valid {
      // Some kernel files carry Latin-1 in comments; clang reads them, so parse anyway.
      let note = "not valid UTF-8; parsed as bytes, so text in messages may be garbled"
      return (data, problem(note, skip: false))
    }
    return (data, nil)
  }

  /// Files included as `#include "x.c"` by a sibling are parsed through that wrapper.
  private static func group(
    _ files: [String], root: String, excluded: (String) -> Bool, known: [String: [String]] = [:]
  ) -> [Unit] {
    let (outermost, includes) = wrappers(of: files, known: known)
    var units: [String: Set<String>] = [:]
    for file in files {
      let unit = outermost(file)
      units[unit, default: []].insert(relative(file, to: root))
      // A wrapper given alone (as `make C=1` gives each object) still stands for the files
      // it includes.
      if unit == file, let included = includes[file] {
        units[unit, default: []].formUnion(
          included.map { relative($0, to: root) }.filter { !excluded($0) })
      }
    }
    return units.keys.sorted().map { Unit(path: $0, keep: units[$0, default: []].sorted()) }
  }

  /// For files (absolute paths): the file each is parsed through — the outermost of the `.c`
  /// files of its directory that include it, or itself — and what each wrapper includes.
  private static func wrappers(of files: [String], known: [String: [String]] = [:]) -> (
    outermost: (String) -> String, includes: [String: [String]]
  ) {
    var wrapperOf: [String: String] = [:]
    var includes: [String: [String]] = [:]
    let directories = Set(files.map { ($0 as NSString).deletingLastPathComponent })
    for directory in directories.sorted() {
      for (wrapper, included) in IncludedSources.scan(directory: directory, known: known) {
        includes[wrapper] = included
        for file in included where wrapperOf[file] == nil { wrapperOf[file] = wrapper }
      }
    }
    // Chains: hostap_cs.c includes hostap_hw.c, which includes hostap_download.c; the
    // outermost file is the one compiled, the inner ones parse only inside it.
    let outermost = { [wrapperOf] (file: String) -> String in
      var unit = file
      var seen: Set<String> = []
      while let outer = wrapperOf[unit], seen.insert(unit).inserted { unit = outer }
      return unit
    }
    return (outermost, includes)
  }

}
