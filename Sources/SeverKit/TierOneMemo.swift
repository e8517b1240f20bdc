import Foundation
import Rules
import Scan
import SeverCore
import SeverSupport
import Synchronization

/// Tier 1's last selection of a tree and architecture, with everything the selection read, under
/// `<cache>/tierone/v1/`. `TierOneSelection.select` is a function of the candidates' scans (in
/// their order), the helper files' scans and definitions it looked up, and the module
/// capability of the paths it asked about; the memo records each of them as the selection read
/// it (a scan by the status of its file: equal statuses under equal table-making macros give
/// equal scans), and the selection stands for a later run whose every recorded read answers the
/// same. A whole-tree re-run with one file changed then pays for that file's scan, not for the
/// selection over ten thousand files. A file whose status changed still answers the same when
/// its new scan equals the scan it had (a change inside a function body that names nothing new).
struct TierOneMemo {
  /// Bumped when the shape of the memo changes.
  static let formatVersion: UInt32 = 1
  static let magic = Array("sever-tierone".utf8)

  let file: String

  init(cacheBase: String, root: String, arch: String) {
    file = SeverBuild.treeFile(cacheBase: cacheBase, folder: "tierone/v1", root: root, arch: arch)
  }

  /// What one selection read, and what it selected.
  struct Record: Equatable {
    /// The fingerprint of the table-making macros the scans were made with.
    var macros: String
    /// The candidates in the order the selection saw them, with their files' statuses.
    var candidates: [Candidate]
    /// The helper files the reach scanned, with their statuses.
    var helpers: [String: [Int]]
    /// The names looked up among the helper files' definitions, with what was found.
    var definitions: [String: [String]?]
    /// The paths whose module capability was asked, with the answer.
    var modules: [String: Bool?]
    /// The selection.
    var files: [String]
    /// Why each file was selected.
    var reasons: [String: String]
  }

  /// A candidate file with its status when the selection read its scan.
  struct Candidate: Equatable {
    var path: String
    var status: [Int]

    init(_ path: String, _ status: [Int]) {
      self.path = path
      self.status = status
    }
  }

  /// Collects what a selection reads while it runs (the reach calls back from the selection's
  /// thread; the lock makes the recorder safe to share with the `@Sendable` callbacks).
  final class Recorder: Sendable {
    private struct Reads {
      var helpers: [String: [Int]?] = [:]
      var definitions: [String: [String]?] = [:]
      var modules: [String: Bool?] = [:]
    }
    private let reads = Mutex(Reads())

    /// A helper file the reach scanned, with its status.
    func scanned(_ path: String, _ status: [Int]?) {
      reads.withLock { $0.helpers[path] = .some(status) }
    }

    /// A name looked up among the helper files' definitions, with what was found.
    func looked(_ name: String, _ paths: [String]?) {
      reads.withLock { $0.definitions[name] = .some(paths) }
    }

    /// A path whose module capability was asked, with the answer.
    func asked(_ path: String, _ answer: Bool?) {
      reads.withLock { $0.modules[path] = .some(answer) }
    }

    /// The record of a selection made over `candidates` (scanned at `statuses`), or nil when
    /// a file it read had no status: such a file cannot be told unchanged later.
    func record(
      macros: String, candidates: [String], statuses: [[Int]?], selection: TierOneSelection
    ) -> Record? {
      let reads = reads.withLock { $0 }
      guard statuses.allSatisfy({ $0 != nil }), reads.helpers.values.allSatisfy({ $0 != nil })
      else { return nil }
      return Record(
        macros: macros, candidates: zip(candidates, statuses).map { Candidate($0, $1 ?? []) },
        helpers: reads.helpers.compactMapValues { $0 }, definitions: reads.definitions,
        modules: reads.modules, files: selection.files.sorted(), reasons: selection.reasons)
    }
  }

  /// The recorded selection, or nil when there is none or it cannot be read.
  func load() -> Record? {
    guard let data = CacheFile.validContents(file, describing: "tier-1 selection memo") else {
      return nil
    }
    var reader = BinaryReader(data)
    guard let record = Self.decode(&reader) else {
      CacheFile.discardDamaged(
        file, what: "tier-1 selection memo", reason: "it is not a memo of this sever")
      return nil
    }
    return record
  }

  /// Stores a selection; a failure to write only costs the next run the selection.
  func store(_ record: Record) {
    CacheFile.write(Self.encode(record), to: file)
  }

  /// The recorded selection when every read it made answers the same now: the same macros and
  /// candidates, and for each file it scanned and each question it asked, the same answer
  /// (`definitions(names)` gives the helper definitions of `names`, asked last: it reads every
  /// helper file's names).
  /// `now(path, status)` gives a file's status now when its scan is the one it had at `status`
  /// (nil when the scan differs). With the selection comes the record to keep when a file's
  /// status moved but its scan did not (nil when nothing moved), so that the next run compares
  /// with this run's statuses.
  static func selection(
    of record: Record, macros: String, candidates: [String],
    now: (String, [Int]) -> [Int]?, definitions: (Set<String>) -> [String: [String]],
    canBeModule: (String) -> Bool?
  ) -> (selection: TierOneSelection, moved: Record?)? {
    guard record.macros == macros, record.candidates.count == candidates.count,
      zip(record.candidates, candidates).allSatisfy({ $0.path == $1 })
    else { return nil }
    var moved = record
    for (index, candidate) in record.candidates.enumerated() {
      guard let current = now(candidate.path, candidate.status) else { return nil }
      moved.candidates[index].status = current
    }
    for (path, status) in record.helpers {
      guard let current = now(path, status) else { return nil }
      moved.helpers[path] = current
    }
    for (path, answer) in record.modules where canBeModule(path) != answer { return nil }
    let found = definitions(Set(record.definitions.keys))
    for (name, paths) in record.definitions where found[name] != paths { return nil }
    return (
      TierOneSelection(files: Set(record.files), reasons: record.reasons),
      moved == record ? nil : moved
    )
  }

  static func encode(_ record: Record) -> Data {
    var writer = BinaryWriter()
    writer.bytes(magic)
    writer.uint32(formatVersion)
    writer.string(record.macros)
    writer.count(record.candidates.count)
    for candidate in record.candidates {
      writer.string(candidate.path)
      writer.ints(candidate.status)
    }
    writer.count(record.helpers.count)
    for path in record.helpers.keys.sorted() {
      writer.string(path)
      writer.ints(record.helpers[path] ?? [])
    }
    writer.count(record.definitions.count)
    for name in record.definitions.keys.sorted() {
      writer.string(name)
      let paths = record.definitions[name] ?? nil
      writer.bool(paths != nil)
      if let paths { writer.strings(paths) }
    }
    writer.count(record.modules.count)
    for path in record.modules.keys.sorted() {
      writer.string(path)
      writer.bytes([(record.modules[path] ?? nil).map { $0 ? 1 : 0 } ?? 2])
    }
    writer.strings(record.files)
    writer.count(record.reasons.count)
    for path in record.reasons.keys.sorted() {
      writer.string(path)
      writer.string(record.reasons[path] ?? "")
    }
    return writer.data
  }

  static func decode(_ reader: inout BinaryReader) -> Record? {
    guard reader.bytes(magic.count) == magic, reader.uint32() == formatVersion,
      let macros = reader.string(), let candidateCount = reader.count()
    else { return nil }
    var candidates: [Candidate] = []
    for _ in 0..<candidateCount {
      guard let path = reader.string(), let status = reader.ints() else { return nil }
      candidates.append(Candidate(path, status))
    }
    guard let helperCount = reader.count() else { return nil }
    var helpers: [String: [Int]] = [:]
    for _ in 0..<helperCount {
      guard let path = reader.string(), let status = reader.ints() else { return nil }
      helpers[path] = status
    }
    guard let definitionCount = reader.count() else { return nil }
    var definitions: [String: [String]?] = [:]
    for _ in 0..<definitionCount {
      guard let name = reader.string(), let present = reader.bool() else { return nil }
      if present {
        guard let paths = reader.strings() else { return nil }
        definitions[name] = .some(paths)
      } else {
        definitions[name] = .some(nil)
      }
    }
    guard let moduleCount = reader.count() else { return nil }
    var modules: [String: Bool?] = [:]
    for _ in 0..<moduleCount {
      guard let path = reader.string(), let code = reader.bytes(1)?.first, code <= 2 else {
        return nil
      }
      modules[path] = .some(code == 2 ? nil : code == 1)
    }
    guard let files = reader.strings(), let reasonCount = reader.count() else { return nil }
    var reasons: [String: String] = [:]
    for _ in 0..<reasonCount {
      guard let path = reader.string(), let reason = reader.string() else { return nil }
      reasons[path] = reason
    }
    guard reader.atEnd else { return nil }
    return Record(
      macros: macros, candidates: candidates, helpers: helpers, definitions: definitions,
      modules: modules, files: files, reasons: reasons)
  }
}
