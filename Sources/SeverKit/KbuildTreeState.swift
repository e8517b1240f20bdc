import Foundation
import Kbuild
import SeverCore
import SeverSupport

/// The Kbuild answers of a tree, kept under
/// `$XDG_CACHE_HOME/sever/kbuild/tree-v2/<tree, architecture and build>/`: what `make C=1` needs,
/// where each object is its own sever run and reading the tree's Kconfig and Kbuild files
/// (seconds) for each would cost more than the object's parse. `make C=1` computes it for the
/// whole tree at once; a check or a review keeps the directories it asks about, and later runs
/// add theirs (`Scope`).
///
/// An index holds the estimated configuration, the status (size, time, inode) of every
/// Kconfig and Kbuild file the oracle read, and a generation; one shard per directory holds
/// the answers for its `.c` files with each file's status and the wrappers its answers go
/// through, under the generation it was computed in, so a run reads the index and the shards
/// of the files it asks about. The state is valid while the index's files are unchanged, and a
/// shard while its generation is the index's and its wrappers are unchanged. A `.c` file whose
/// status changed keeps its answer when it still exists, still does (or does not) hold an
/// `#ifdef MODULE`, and includes no `.c` file (the only ways a C file decides its own answer);
/// else, or when a wrapper some answer goes through (`kernel/sched/build_utility.c`) changed, or
/// for a file the state does not know, the answers are computed again. A file that starts
/// including another directory's `.c` file is noticed when that file or a Kbuild file changes.
///
/// Every file is checksummed and written to a unique temporary name and renamed into place
/// (`CacheFile`), the shards before the index, so a concurrent run reads whole files, and a
/// shard of another generation or a damaged file is a miss.
public struct KbuildTreeState: Sendable {
  /// Which files a run that computes the state answers and keeps.
  public enum Scope: Sendable {
    /// Every `.c` file of the tree.
    case wholeTree
    /// The `.c` files of the directories of the files asked about; a later run asking about
    /// another directory adds that directory's shard to the same state.
    case directories

    /// The files of `all` (tree-relative) this scope keeps, for a run asking about `asked`.
    func files(_ all: [String], around asked: [String]) -> [String] {
      guard self == .directories else { return all }
      let directories = Set(asked.map(KbuildTreeState.directory(of:)))
      return all.filter { directories.contains(KbuildTreeState.directory(of: $0)) }
    }
  }

  /// The directory of the tree's state.
  let directory: String
  let root: String

  /// The state of `root` for `arch` under the cache base, with the flags of the configuration
  /// `given` (nil: the estimate).
  init(cacheBase: String, root: String, arch: String, given: KernelConfig? = nil) {
    directory =
      cacheBase + "/kbuild/tree-v2/"
      + StableHash.hex([
        root, arch, SeverBuild.identity, given.map { $0.autoconfHeader() } ?? "estimate",
      ])
    self.root = root
    self.arch = arch
  }

  let arch: String

  /// What the state was computed from. Stored in `StringTableWriter`'s binary form, as the
  /// shards are: every `make C=1` object reads it, and decoding it as JSON (700 KB on a whole
  /// tree) was a sixth of a small object's run (issue 18).
  struct Index: Equatable {
    /// Names the layout; changed with any field.
    static let tag = "kbuild-index-1"

    var config: KernelConfig
    var skippedFiles: [String]
    /// Every Kconfig and Kbuild file the oracle read, with its status.
    var inputs: [String: FileStatus]
    /// Names this computation of the state: shards written under another generation (before
    /// a Kbuild file changed) are not read.
    var generation: String

    /// The bytes of the index (sorted, so equal indexes are equal bytes).
    func encoded() -> Data {
      var writer = StringTableWriter()
      writer.string(generation)
      writer.count(config.values.count)
      for (name, value) in config.values.sorted(by: { $0.key < $1.key }) {
        writer.string(name)
        writer.string(value)
      }
      writer.strings(skippedFiles)
      writer.statuses(inputs)
      return writer.finish(tag: Self.tag)
    }
  }

  /// The answers for the `.c` files of one directory, and Kbuild's flags for its units. Stored
  /// in `StringTableWriter`'s binary form: a whole-tree run reads hundreds of shards, and
  /// decoding them as JSON was a tenth of a one-file-changed re-run (issue 18).
  struct Shard: Equatable {
    /// Names the layout; changed with any field of the shard or of the values in it
    /// (`KbuildTreeStateTests` lists them).
    static let tag = "kbuild-shard-2"

    /// The computation of the state the shard belongs to (`Index.generation`).
    var generation: String
    var answers: [String: ModuleCapability]
    var statuses: [String: FileStatus]
    var flags: [String: ObjectFlags] = [:]
    /// The `.c` files some answer here is compiled through (`#include "….c"`), with their
    /// status.
    var wrappers: [String: FileStatus] = [:]

    /// The bytes of the shard (sorted by path, so equal shards are equal bytes).
    func encoded() -> Data {
      var writer = StringTableWriter()
      writer.string(generation)
      writer.count(answers.count)
      for (path, answer) in answers.sorted(by: { $0.key < $1.key }) {
        writer.string(path)
        writer.string(answer.path)
        writer.string(answer.arch)
        writer.string(answer.verdict.rawValue)
        writer.string(answer.configState?.rawValue)
        writer.bool(answer.hasIfdefModule)
        writer.string(answer.reason)
        writer.array(answer.evidence) {
          $0.location($1.location)
          $0.string($1.text)
          $0.string($1.note)
        }
      }
      writer.statuses(statuses)
      writer.statuses(wrappers)
      writer.count(flags.count)
      for (path, object) in flags.sorted(by: { $0.key < $1.key }) {
        writer.string(path)
        writer.string(object.object)
        writer.string(object.moduleName)
        writer.string(object.moduleFile)
        writer.string(object.baseName)
        writer.bool(object.builtAsModule)
        writer.strings(object.flags)
        writer.string(object.directory)
        writer.strings(object.enabling)
      }
      return writer.finish(tag: Self.tag)
    }
  }

  var indexFile: String { directory + "/index.bin" }

  func shardFile(for path: String) -> String {
    directory + "/" + StableHash.hex([Self.directory(of: path)]) + ".bin"
  }

  /// The directory part of a tree-relative file path (`""` for a file at the root), without
  /// bridging each of the tree's files (`Scope.files` asks for every `.c` file of the tree).
  static func directory(of path: String) -> String {
    TreeWalk.parent(of: path)
  }

  /// The index, when every file it was computed from is unchanged.
  func validIndex() -> Index? {
    guard let index = Self.index(from: indexFile),
      Self.unchanged(index.inputs, root: root)
    else { return nil }
    return index
  }

  /// The answers for `paths` when the state is valid and knows them all; nil otherwise (the
  /// caller computes the state again). `overlay` (tree-relative path → text) stands for files
  /// whose contents are in memory. Shards whose files changed without changing their answers
  /// are written back with the new statuses.
  func answers(for paths: [String], units: [String] = [], overlay: [String: String])
    -> KbuildAnswers?
  {
    lookup(for: paths, units: units, overlay: overlay).answers
  }

  /// What `answers(for:units:overlay:)` returns, and whether an answer the state held was
  /// refused because its file changed in a way that can change it (an `#ifdef MODULE`, a new
  /// `#include "….c"`, which can change another directory's answer too): the answers computed
  /// next then start a new generation instead of joining this one.
  func lookup(for paths: [String], units: [String] = [], overlay: [String: String])
    -> (answers: KbuildAnswers?, stale: Bool)
  {
    guard let index = validIndex() else { return (nil, false) }
    var shards: [String: Shard] = [:]
    var dirty: Set<String> = []
    // The shard holding a path, read once; nil when it cannot be read, belongs to another
    // computation, or a wrapper its answers go through changed.
    func shard(of path: String) -> String? {
      let file = shardFile(for: path)
      if shards[file] == nil {
        shards[file] = Self.shard(from: file).flatMap { shard in
          shard.generation == index.generation && Self.unchanged(shard.wrappers, root: root)
            ? shard : nil
        }
      }
      return shards[file] == nil ? nil : file
    }
    var capabilities: [String: ModuleCapability] = [:]
    for path in paths {
      guard let file = shard(of: path), let answer = shards[file]?.answers[path] else {
        return (nil, false)
      }
      let status = FileStatus(path: root + "/" + path)
      if let text = overlay[path] {
        guard Self.keeps(answer, contents: Data(text.utf8)) else { return (nil, true) }
      } else if status == nil || status != shards[file]?.statuses[path] {
        let contents = status == nil ? nil : TierOneStage.readBounded(root + "/" + path)
        guard Self.keeps(answer, contents: contents.map { Data($0) }) else { return (nil, true) }
        shards[file]?.statuses[path] = status
        dirty.insert(file)
      }
      capabilities[path] = answer
    }
    var flags: [String: ObjectFlags] = [:]
    for unit in units {
      guard let file = shard(of: unit), let unitFlags = shards[file]?.flags[unit] else {
        return (nil, false)
      }
      flags[unit] = unitFlags
    }
    for file in dirty.sorted() {
      if let shard = shards[file] { CacheFile.write(shard.encoded(), to: file) }
    }
    return (
      KbuildAnswers(
        arch: arch, config: index.config, capabilities: capabilities, flags: flags,
        skippedFiles: index.skippedFiles, inputs: index.inputs), false
    )
  }

  /// Whether an answer still holds for a file with these contents: it exists, its
  /// `#ifdef MODULE` is as it was, and it includes no `.c` file.
  static func keeps(_ answer: ModuleCapability, contents: Data?) -> Bool {
    let (exists, ifdefModule) = IfdefModuleScanner.scan(contents)
    guard exists, let contents, ifdefModule == answer.hasIfdefModule else { return false }
    return !contents.withUnsafeBytes { IncludedSources.includesSource.matches($0) }
  }

  /// Writes the state: the answers for every `.c` file the oracle answered, the shards first. A
  /// file read from `overlay` is stored without a status, so that its answer is checked against
  /// the file's contents (`keeps`) when it is next asked about.
  ///
  /// When the state on disk is still valid and `join` (no answer of it was found stale), the
  /// new shards join it under its generation (a run that kept only some directories adds
  /// others'); otherwise they start a new one.
  func store(
    config: KernelConfig, skippedFiles: [String], readFiles: [String],
    answers: [String: ModuleCapability], flags: [String: ObjectFlags] = [:],
    overlay: [String: String], join: Bool = true
  ) {
    let inputs = Self.statuses(readFiles.filter { !$0.hasSuffix(".c") }, root: root)
    let kept = join ? validIndex() : nil
    let generation = kept?.generation ?? UUID().uuidString
    let empty = Shard(generation: generation, answers: [:], statuses: [:])
    var shards: [String: Shard] = [:]
    for (path, answer) in answers {
      let file = shardFile(for: path)
      shards[file, default: empty].answers[path] = answer
      shards[file]?.statuses[path] =
        overlay[path] == nil ? FileStatus(path: root + "/" + path) : nil
      for evidence in answer.evidence where evidence.location.path.hasSuffix(".c") {
        shards[file]?.wrappers[evidence.location.path] = FileStatus(
          path: root + "/" + evidence.location.path)
      }
    }
    for (unit, unitFlags) in flags {
      shards[shardFile(for: unit), default: empty].flags[unit] = unitFlags
    }
    for (file, shard) in shards {
      guard CacheFile.write(shard.encoded(), to: file) else { return }
    }
    // Files another computation of the same generation read stay inputs: its shards depend
    // on them.
    let index = Index(
      config: config, skippedFiles: Array(Set(skippedFiles + (kept?.skippedFiles ?? []))).sorted(),
      inputs: inputs.merging(kept?.inputs ?? [:]) { new, _ in new }, generation: generation)
    CacheFile.write(index.encoded(), to: indexFile)
  }

  static func statuses(_ paths: [String], root: String) -> [String: FileStatus] {
    var result: [String: FileStatus] = [:]
    for path in paths {
      if let status = FileStatus(path: root + "/" + path) { result[path] = status }
    }
    return result
  }

  static func unchanged(_ statuses: [String: FileStatus], root: String) -> Bool {
    statuses.allSatisfy { FileStatus(path: root + "/" + $0.key) == $0.value }
  }

  /// The shard in `file`, or nil when there is none or it is not a whole shard of this layout.
  static func shard(from file: String) -> Shard? {
    guard let data = CacheFile.validContents(file, describing: "Kbuild state file") else {
      return nil
    }
    return StringTableReader.decode(data, tag: Shard.tag) { reader throws(StringTableMalformed) in
      try reader.shard()
    }
  }

  /// The index in `file`, or nil when there is none or it is not a whole index of this layout.
  static func index(from file: String) -> Index? {
    guard let data = CacheFile.validContents(file, describing: "Kbuild state file") else {
      return nil
    }
    return StringTableReader.decode(data, tag: Index.tag) { reader throws(StringTableMalformed) in
      let generation = try reader.string()
      var values: [String: String] = [:]
      for _ in 0..<(try reader.count()) {
        let name = try reader.string()
        values[name] = try reader.string()
      }
      return Index(
        config: KernelConfig(values: values), skippedFiles: try reader.strings(),
        inputs: try reader.statusTable(), generation: generation)
    }
  }
}

extension StringTableWriter {
  /// File statuses by path, sorted, as `StringTableReader.statusTable()` reads them.
  fileprivate mutating func statuses(_ table: [String: FileStatus]) {
    count(table.count)
    for (path, status) in table.sorted(by: { $0.key < $1.key }) {
      string(path)
      count(Int(status.kind.rawValue))
      int(status.size)
      int(status.modified)
      unsigned(status.inode)
    }
  }
}

extension StringTableReader {
  /// Reads what `KbuildTreeState.Shard.encoded()` wrote (after the tag and string table).
  fileprivate mutating func shard() throws(StringTableMalformed) -> KbuildTreeState.Shard {
    let generation = try string()
    var answers: [String: ModuleCapability] = [:]
    for _ in 0..<(try count()) {
      let key = try string()
      let path = try string()
      let arch = try string()
      let verdict = try enumeration(ModuleCapability.Verdict.self)
      var configState: Tristate?
      if let state = try optionalString() {
        guard let known = Tristate(rawValue: state) else { throw StringTableMalformed() }
        configState = known
      }
      answers[key] = ModuleCapability(
        path: path, arch: arch, verdict: verdict, configState: configState,
        hasIfdefModule: try bool(), reason: try optionalString(),
        evidence: try array { (reader: inout StringTableReader) throws(StringTableMalformed) in
          ModuleCapability.Evidence(
            location: try reader.location(), text: try reader.string(), note: try reader.string())
        })
    }
    let statuses = try statusTable()
    let wrappers = try statusTable()
    var flags: [String: ObjectFlags] = [:]
    for _ in 0..<(try count()) {
      let key = try string()
      var object = ObjectFlags(
        object: try string(), moduleName: try string(), moduleFile: try string(),
        baseName: try string(), builtAsModule: try bool(), flags: try strings())
      object.directory = try string()
      object.enabling = try strings()
      flags[key] = object
    }
    return KbuildTreeState.Shard(
      generation: generation, answers: answers, statuses: statuses, flags: flags,
      wrappers: wrappers)
  }

  /// File statuses by path, as `StringTableWriter.statuses(_:)` writes them.
  fileprivate mutating func statusTable() throws(StringTableMalformed) -> [String: FileStatus] {
    var statuses: [String: FileStatus] = [:]
    for _ in 0..<(try count()) {
      let key = try string()
      guard let kind = FileStatus.Kind(rawValue: UInt8(clamping: try count())) else {
        throw StringTableMalformed()
      }
      statuses[key] = FileStatus(
        kind: kind, size: try int(), modified: try int(), inode: try unsigned())
    }
    return statuses
  }
}
