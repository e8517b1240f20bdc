import Foundation
import SeverCore
import SeverSupport
import Synchronization

/// Facts of earlier runs, one file per translation unit under `<cache>/facts/v1/`, keyed by the
/// unit's path, its compile arguments, the hash of its contents and sever's version. An entry also
/// records the content hash of every header the unit read; it is used only if all still match,
/// so an edited header re-parses every unit that includes it. Entries are `CacheFile`s: written
/// to a unique temporary file and renamed into place, so concurrent runs never see half an
/// entry, and checked on every read, so a damaged entry is re-parsed (with a warning), never
/// used.
struct FactsCache: Sendable {
  /// Bumped when the shape of `FileFacts` or of an entry changes, so old entries are ignored.
  static let formatVersion = "facts-6"

  /// What is stored for one unit.
  struct Entry: Codable {
    /// Absolute path → content hash of every file the unit read.
    var dependencies: [String: String]
    /// The facts.
    var facts: [FileFacts]
  }

  let directory: String
  let hashes: ContentHashes

  /// A cache under `base`; files in `unsavedFiles` are hashed from those contents, so facts of
  /// patched files and of units including a patched header are keyed by what was parsed.
  init(base: String, unsavedFiles: [String: String] = [:]) {
    directory = base + "/facts/v1"
    hashes = ContentHashes(overrides: unsavedFiles)
  }

  /// The key of a unit, or nil when its file cannot be read.
  func key(path: String, arguments: [String]) -> String? {
    guard let content = hashes.hash(of: path) else { return nil }
    return StableHash.hex(
      [Self.formatVersion, SeverVersion.current, path, content] + arguments)
  }

  /// The cached facts of a unit when every file it read is unchanged.
  func load(key: String) -> [FileFacts]? {
    let file = directory + "/" + key + ".json"
    guard let data = CacheFile.validContents(file, describing: "facts entry") else { return nil }
    guard let entry = try? JSONDecoder().decode(Entry.self, from: data) else {
      CacheFile.discardDamaged(
        file, what: "facts entry", reason: "it is not a facts entry of this sever")
      return nil
    }
    for (path, hash) in entry.dependencies where hashes.hash(of: path) != hash {
      return nil
    }
    return entry.facts
  }

  /// Stores a unit's facts; a failure to write only costs the next run a parse.
  func store(key: String, facts: [FileFacts], dependencies: [String]) {
    var recorded: [String: String] = [:]
    for path in dependencies {
      guard let hash = hashes.hash(of: path) else { return }
      recorded[path] = hash
    }
    guard let data = try? JSONEncoder().encode(Entry(dependencies: recorded, facts: facts)) else {
      return
    }
    CacheFile.write(data, to: directory + "/" + key + ".json")
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
