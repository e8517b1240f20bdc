import Foundation
import SeverCore
import SeverSupport
import Synchronization

/// Facts of earlier runs, one file per translation unit under `<cache>/facts/v2/`, keyed by the
/// unit's path, its compile arguments, the hash of its contents and sever's version. An entry also
/// records the content hash of every header the unit read; it is used only if all still match,
/// so an edited header re-parses every unit that includes it. Entries are `CacheFile`s: written
/// to a unique temporary file and renamed into place, so concurrent runs never see half an
/// entry, and checked on every read, so a damaged entry is re-parsed (with a warning), never
/// used. The payload is `FactsCodec`'s binary form, not JSON: a whole tree's entries are read on
/// every re-run with one file changed, and decoding JSON was most of it.
struct FactsCache: Sendable {
  /// Bumped when the shape of `FileFacts` or of an entry changes, so old entries are ignored.
  static let formatVersion = "facts-9"

  let directory: String
  let hashes: ContentHashes

  /// A cache under `base`; files in `unsavedFiles` are hashed from those contents, so facts of
  /// patched files and of units including a patched header are keyed by what was parsed.
  init(base: String, unsavedFiles: [String: String] = [:]) {
    directory = base + "/facts/v2"
    hashes = ContentHashes(overrides: unsavedFiles)
  }

  /// The key of a unit, or nil when its file cannot be read.
  func key(path: String, arguments: [String]) -> String? {
    guard let content = hashes.hash(of: path) else { return nil }
    return StableHash.hex(
      [Self.formatVersion, SeverVersion.current, path, content] + arguments)
  }

  /// The cached facts of a unit when every file it read is unchanged.
  func load(key: String) -> [FileFacts]? { loadEntry(key: key)?.facts }

  /// Every file this cache's keys and entry checks have hashed in this run: the dependencies
  /// of every entry `loadEntry` returned are among them.
  var hashedFiles: [String] { hashes.paths }

  /// Whether the cache holds an entry under `key` (current or not: `loadEntry` decides).
  func hasEntry(_ key: String) -> Bool {
    FileManager.default.fileExists(atPath: directory + "/" + key + ".bin")
  }

  /// The cached facts of a unit with the files it read, when every one is unchanged.
  func loadEntry(key: String) -> FactsCodec.Entry? {
    let file = directory + "/" + key + ".bin"
    guard let data = CacheFile.validContents(file, describing: "facts entry") else { return nil }
    guard let entry = FactsCodec.decode(data) else {
      CacheFile.discardDamaged(
        file, what: "facts entry", reason: "it is not a facts entry of this sever")
      return nil
    }
    for (path, hash) in entry.dependencies where hashes.hash(of: path) != hash {
      return nil
    }
    return entry
  }

  /// Stores a unit's facts; a failure to write only costs the next run a parse. Returns the
  /// facts as a later run will load them: equal to `facts`, but with each distinct string held
  /// once (a parse's facts, decoded from a worker's JSON, hold a copy of every path per
  /// location), so a cold run keeps no more memory per unit than a warm one.
  @discardableResult
  func store(key: String, facts: [FileFacts], dependencies: [String]) -> [FileFacts] {
    var recorded: [String: String] = [:]
    for path in dependencies {
      guard let hash = hashes.hash(of: path) else { return facts }
      recorded[path] = hash
    }
    let payload = FactsCodec.encode(FactsCodec.Entry(dependencies: recorded, facts: facts))
    CacheFile.write(payload, to: directory + "/" + key + ".bin")
    return FactsCodec.decode(payload)?.facts ?? facts
  }
}

/// Content hashes of files, each computed once per run and shared by the extraction tasks.
final class ContentHashes: Sendable {
  private let memo = Mutex<[String: String]>([:])
  private let overrides: [String: String]

  /// Hashes files from disk, except those in `overrides` (absolute path → contents).
  init(overrides: [String: String] = [:]) {
    self.overrides = overrides
  }

  /// Every file hashed so far (those that could be read).
  var paths: [String] { memo.withLock { Array($0.keys) } }

  /// The hash of a file's bytes, or nil when it cannot be read.
  func hash(of path: String) -> String? {
    if let known = memo.withLock({ $0[path] }) { return known }
    guard
      let data = overrides[path].map({ Data($0.utf8) })
        ?? FileManager.default.contents(atPath: path)
    else { return nil }
    let hash = Checksum.hex(data)
    memo.withLock { $0[path] = hash }
    return hash
  }
}
