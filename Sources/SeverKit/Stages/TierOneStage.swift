import Foundation
import Rules
import Scan
import SeverCore
import SeverSupport
import Synchronization

/// Stage 3 of the pipeline, tier 1: every candidate file lexed and scanned without
/// preprocessing, the tree's table-making macros expanded, and the selection of the units tier 2
/// (libclang) must parse. Runs in a kernel tree with the prefilter on; `--exhaustive` keeps every
/// candidate.
public struct TierOneStage: Sendable {
  /// One summary per scanned file, sorted by path (empty when tier 1 did not run).
  public var files: [ScannedFile]
  /// What tier 2 parses, when tier 1 ran.
  public var selection: TierOneSelection?
  /// The inputs, with only the units tier 2 must parse.
  public var inputs: InputSet
  /// Candidate units tier 1 found no rule could need.
  public var leftToTierOne: Int

  /// Scans the candidates of `inputs` and keeps the units some rule may need (and the files
  /// named on the command line). With `scanOnly`, the selection is made but every unit is kept.
  static func run(
    _ inputs: InputSet, kbuild: KbuildStage, options: CheckOptions, scanOnly: Bool = false
  ) async -> TierOneStage {
    guard inputs.filtered else {
      return TierOneStage(files: [], selection: nil, inputs: inputs, leftToTierOne: 0)
    }
    let outcome = await select(
      paths: inputs.units.flatMap(\.keep), root: inputs.root, arch: options.arch,
      jobs: options.jobs, unsavedFiles: options.unsavedFiles,
      capabilities: kbuild.answers?.capabilities ?? [:],
      supportDefinitions: inputs.helperDefinitions,
      cacheBase: options.useCache ? options.cacheBase : nil)
    var selected = inputs
    let candidates = Set(inputs.units.flatMap(\.keep))
    // Helpers' files the reach went into although the prefilter left them out: parsed too,
    // in `--exhaustive` runs as well, so that both modes see the same helpers; a helper file
    // another file includes is parsed inside it (the unit may be a candidate already).
    let supportFiles = outcome.selection.files.subtracting(candidates).sorted()
    let support = InputSet.supportUnits(
      supportFiles, root: inputs.root, known: inputs.sourceIncludes)
    if !scanOnly {
      selected.prefiltered -= supportFiles.count
      selected.helpers = supportFiles.count
    }
    if options.exhaustive && !scanOnly {
      selected.units = InputSet.joined(inputs.units + support)
      return TierOneStage(files: [], selection: nil, inputs: selected, leftToTierOne: 0)
    }
    var keptCandidates = inputs.units.count
    if !scanOnly {
      // A file whose own macros make tables or files tier 1 may not have expanded is parsed,
      // as `--exhaustive` would.
      let unexpanded =
        outcome.files.filter(\.ownMacrosMakeTables).map(\.path)
        + otherDirectoryMacroUsers(
          outcome.files, root: inputs.root, unsavedFiles: options.unsavedFiles)
      let keep = outcome.selection.files.union(inputs.named).union(unexpanded)
      let kept = inputs.units.filter { unit in unit.keep.contains(where: keep.contains) }
      keptCandidates = kept.count
      selected.units = InputSet.joined(kept + support)
    }
    return TierOneStage(
      files: outcome.files, selection: outcome.selection, inputs: selected,
      leftToTierOne: inputs.units.count - keptCandidates)
  }

  /// Scans the files (relative paths under `root`) with `jobs` threads. Contents in
  /// `unsavedFiles` (absolute paths) replace the files on disk. With `cacheBase`, a file whose
  /// status and macros are those of an earlier scan is taken from `TierOneScanCache`.
  public static func scan(
    paths: [String], root: String, arch: String, jobs: Int,
    unsavedFiles: [String: String] = [:], cacheBase: String? = nil
  ) async -> [ScannedFile] {
    let (macros, cache) = tableMacros(root: root, arch: arch, paths: paths, cacheBase: cacheBase)
    return await scan(
      paths: paths, root: root, macros: macros, jobs: jobs, unsavedFiles: unsavedFiles,
      cache: cache)
  }

  /// The table-making macros tier 1 expands, for the architecture (every one sever prepares,
  /// with --arch auto, since a unit may be parsed under any of them).
  static func tableMacros(root: String, arch: String, paths: [String]) -> MacroTable {
    tableMacros(root: root, arch: arch, paths: paths, cacheBase: nil).macros
  }

  /// The table-making macros, and with `cacheBase` the scan cache with the fingerprint of the
  /// macros (read through the cache's header answers: only the headers that changed are read).
  static func tableMacros(root: String, arch: String, paths: [String], cacheBase: String?)
    -> (macros: MacroTable, cache: (store: TierOneScanCache, fingerprint: String)?)
  {
    let archs = Array(
      Set((arch == "auto" ? ArchitectureTable.automatic : [arch]).map(ArchitectureTable.sourceArch))
    ).sorted()
    guard let cacheBase else {
      return (headerMacros(root: root, archs: archs, paths: paths), nil)
    }
    let store = TierOneScanCache(cacheBase: cacheBase, root: root, arch: arch)
    let (macros, fingerprint) = store.headerMacros(root: root, archs: archs, paths: paths)
    return (macros, (store, fingerprint))
  }

  static func scan(
    paths: [String], root: String, macros: MacroTable, jobs: Int, unsavedFiles: [String: String],
    cache: (store: TierOneScanCache, fingerprint: String)? = nil
  ) async -> [ScannedFile] {
    let session = ScanSession(
      root: root, macros: macros, unsavedFiles: unsavedFiles, cache: cache)
    let files = await session.scan(paths, jobs: jobs)
    session.save()
    return files
  }

  /// One run's scans: each file's from the scan cache while its status is the one it was
  /// scanned at, else lexed now; the candidates in parallel, then the helper files the
  /// selection's reach asks for one at a time, all stored together at the end.
  final class ScanSession: Sendable {
    let root: String
    let macros: MacroTable
    let unsavedFiles: [String: String]
    let store: EntryStore<TierOneScanCache.Entry>?
    let loaded: EntryStore<TierOneScanCache.Entry>.Loaded
    /// The scans made in this run that can be cached, by path.
    private let fresh = Mutex<[String: TierOneScanCache.Entry]>([:])

    init(
      root: String, macros: MacroTable, unsavedFiles: [String: String],
      cache: (store: TierOneScanCache, fingerprint: String)?
    ) {
      self.root = root
      self.macros = macros
      self.unsavedFiles = unsavedFiles
      store = cache.map { $0.store.entries(macros: $0.fingerprint) }
      loaded = store?.load() ?? EntryStore.Loaded()
    }

    /// The file's scan, from the cache when its status matches.
    func scanned(_ path: String) -> ScannedFile { scannedWithStatus(path).scanned }

    /// The file's scan with the status it was taken at (nil without a cache, for contents
    /// given in memory, or when the file has no status).
    func scannedWithStatus(_ path: String) -> (scanned: ScannedFile, status: [Int]?) {
      let absolute = root + "/" + path
      let status =
        store == nil || unsavedFiles[absolute] != nil
        ? nil : FileStatus(path: absolute).map(TierOneScanCache.fields)
      if let status, let entry = loaded.entries[path], entry.status == status {
        return (entry.scanned, status)
      }
      let scanned = scanOne(path, root: root, macros: macros, unsavedFiles: unsavedFiles)
      if let status {
        fresh.withLock { $0[path] = TierOneScanCache.Entry(status: status, scanned: scanned) }
      }
      return (scanned, status)
    }

    /// Whether `scanned`, taken at `status`, is the scan the file had at `recorded`: the same
    /// status under the same macros, or a scan equal to the one cached at that status.
    func isUnchanged(_ path: String, scanned: ScannedFile, status: [Int]?, recorded: [Int])
      -> Bool
    {
      guard let status else { return false }
      if status == recorded { return true }
      guard let entry = loaded.entries[path], entry.status == recorded else { return false }
      return entry.scanned == scanned
    }

    /// The scans of `paths`, in their order, on `jobs` threads.
    func scan(_ paths: [String], jobs: Int) async -> [ScannedFile] {
      await scanWithStatuses(paths, jobs: jobs).map(\.scanned)
    }

    /// The scans of `paths` with their statuses, in their order, on `jobs` threads.
    func scanWithStatuses(_ paths: [String], jobs: Int) async -> [(
      scanned: ScannedFile, status: [Int]?
    )] {
      typealias Scan = (scanned: ScannedFile, status: [Int]?)
      let results = await withTaskGroup(of: [(Int, Scan)].self) { group in
        let workers = max(1, jobs)
        for worker in 0..<workers {
          group.addTask {
            stride(from: worker, to: paths.count, by: workers).map {
              ($0, self.scannedWithStatus(paths[$0]))
            }
          }
        }
        var all: [(Int, Scan)] = []
        for await part in group { all += part }
        return all
      }
      return results.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Stores what this run scanned anew.
    func save() {
      store?.store(fresh.withLock { $0 }, onto: loaded)
    }
  }

  static func scanOne(
    _ path: String, root: String, macros: MacroTable, unsavedFiles: [String: String]
  ) -> ScannedFile {
    let absolute = root + "/" + path
    let bytes = unsavedFiles[absolute].map { Array($0.utf8) } ?? readBounded(absolute) ?? []
    return FileScanner.scan(path: path, bytes: bytes, macros: macros)
  }

  /// Scans and selects; `supportDefinitions` names the files outside `paths` that define
  /// functions, scanned when the reach needs one of them.
  static func select(
    paths: [String], root: String, arch: String, jobs: Int, unsavedFiles: [String: String] = [:],
    capabilities: [String: ModuleCapability] = [:],
    supportDefinitions: HelperDefinitions = HelperDefinitions(), cacheBase: String? = nil
  ) async -> (files: [ScannedFile], selection: TierOneSelection) {
    let (macros, cache) = tableMacros(root: root, arch: arch, paths: paths, cacheBase: cacheBase)
    let session = ScanSession(
      root: root, macros: macros, unsavedFiles: unsavedFiles, cache: cache)
    let scans = await session.scanWithStatuses(paths, jobs: jobs)
    let files = scans.map(\.scanned)
    defer { session.save() }
    let context = RuleContext(files: [], capabilities: capabilities)
    // Contents in memory have no status to record: a review's images select afresh.
    let memo =
      unsavedFiles.isEmpty
      ? cache.flatMap { cache in
        cacheBase.map { (TierOneMemo(cacheBase: $0, root: root, arch: arch), cache.fingerprint) }
      } : nil
    if let (memo, fingerprint) = memo, let record = memo.load() {
      let current = Dictionary(zip(paths, scans).map { ($0, $1) }) { first, _ in first }
      let remembered = TierOneMemo.selection(
        of: record, macros: fingerprint, candidates: paths,
        now: { path, recorded in
          let now = current[path] ?? session.scannedWithStatus(path)
          return session.isUnchanged(
            path, scanned: now.scanned, status: now.status, recorded: recorded)
            ? now.status : nil
        }, definitions: supportDefinitions.paths(defining:), canBeModule: context.canBeModule)
      if let remembered {
        if let moved = remembered.moved { memo.store(moved) }
        return (files, remembered.selection)
      }
    }
    let recorder = TierOneMemo.Recorder()
    // The helper files the reach scans come from the cache too (a whole tree's are hundreds).
    let support = TierOneSelection.SupportFiles(
      definitions: supportDefinitions.byName,
      scan: { path in
        let (scanned, status) = session.scannedWithStatus(path)
        recorder.scanned(path, status)
        return scanned
      }, looked: recorder.looked)
    let selection = TierOneSelection.select(
      files,
      canBeModule: { path in
        let answer = context.canBeModule(path)
        recorder.asked(path, answer)
        return answer
      }, support: support)
    if let (memo, fingerprint) = memo {
      // A file without a status cannot be told unchanged later: nothing is remembered.
      if let record = recorder.record(
        macros: fingerprint, candidates: paths, statuses: scans.map(\.status),
        selection: selection)
      {
        memo.store(record)
      }
    }
    return (files, selection)
  }

  /// The files that name a macro making a table or a file (`FileScanner.makesTablesOrFiles`)
  /// of a header they include from another directory (`ScannedFile.otherDirectoryIncludes`,
  /// resolved against the file's own directory): parsed, as a file whose own macros do.
  static func otherDirectoryMacroUsers(
    _ files: [ScannedFile], root: String, unsavedFiles: [String: String]
  ) -> [String] {
    var macrosOf: [String: Set<String>] = [:]
    var users: [String] = []
    for file in files where !file.otherDirectoryIncludes.isEmpty {
      for header in otherDirectoryHeaders(of: file, root: root) {
        let names =
          macrosOf[header]
          ?? {
            let bytes = unsavedFiles[header].map { Array($0.utf8) } ?? readBounded(header) ?? []
            guard tableMacroWords.matches(bytes) else { return [] }
            return Set(Lexer.lex(bytes).macros.filter(FileScanner.makesTablesOrFiles).map(\.name))
          }()
        macrosOf[header] = names
        if names.contains(where: file.spells) {
          users.append(file.path)
          break
        }
      }
    }
    return users
  }

  /// The headers a file includes from another directory, resolved against its own (absolute,
  /// `..` resolved without following links; a path the include names through `-I` may not
  /// exist).
  static func otherDirectoryHeaders(of file: ScannedFile, root: String) -> [String] {
    let directory = (file.path as NSString).deletingLastPathComponent
    return file.otherDirectoryIncludes.map {
      InputSet.absolutePath(root + "/" + directory + "/" + $0)
    }
  }

  /// The words `FileScanner.makesTablesOrFiles` looks for, to skip lexing the headers that
  /// spell none.
  static let tableMacroWords = ByteSearch(FileScanner.tableMacroWords.sorted())

  static func readBounded(_ path: String) -> [UInt8]? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    guard let data = try? handle.read(upToCount: InputSet.maximumFileSize) else { return nil }
    return [UInt8](data)
  }

  /// Words a header must spell for its macros to be read: the table tags and `_ATTRIBUTE(`.
  static let headerWords = ByteSearch(InputSet.prefilterWords)

  /// Table-making macros of the tree's shared headers (`include/`, the architectures'
  /// `include/`) and of the headers next to the scanned files.
  static func headerMacros(root: String, archs: [String], paths: [String]) -> MacroTable {
    var macros: [MacroDefinition] = []
    for header in headerCandidates(root: root, archs: archs, paths: paths) {
      guard let bytes = readBounded(header), headerWords.matches(bytes) else { continue }
      macros += Lexer.lex(bytes).macros
    }
    return MacroTable.tableMaking(from: macros)
  }

  /// The headers whose table-making macros tier 1 reads when they spell a table word: the
  /// tree's shared headers and those next to the scanned files, absolute, sorted.
  static func headerCandidates(root: String, archs: [String], paths: [String]) -> [String] {
    var headers: [String] = []
    for directory in ["include"] + archs.map({ "arch/\($0)/include" }) {
      headers += headerFiles(under: root + "/" + directory, recursive: true)
    }
    let directories = Set(paths.map { ($0 as NSString).deletingLastPathComponent })
    for directory in directories.sorted() {
      headers += headerFiles(under: root + "/" + directory, recursive: false)
    }
    return Set(headers).sorted()
  }

  static func headerFiles(under directory: String, recursive: Bool) -> [String] {
    let fm = FileManager.default
    var result: [String] = []
    var pending = [directory]
    while let current = pending.popLast() {
      guard let names = try? fm.contentsOfDirectory(atPath: current) else { continue }
      for name in names where !name.hasPrefix(".") {
        let path = current + "/" + name
        if name.hasSuffix(".h") {
          result.append(path)
        } else if recursive, !name.contains("."),
          // lstat: a symbolic link loop cannot trap the walk.
          FileStatus(path: path)?.kind == .directory
        {
          pending.append(path)
        }
      }
    }
    return result
  }
}
