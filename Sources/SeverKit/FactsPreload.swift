import Foundation
import SeverCore
import SeverSupport
import Synchronization

/// The facts-cache entries the last run with the same options used, read on a thread of their
/// own from the start of a run the memo could not answer, while discovery, Kbuild and tier 1
/// run on the other core (issue 18: a whole tree's re-run with one file changed spent most of
/// a second decoding entries after tier 1, with one core idle).
///
/// The list of entries (`<memo>.units`, one facts-cache key a line) is only a guess at what
/// extraction will ask for: a key names a unit's path, contents and arguments, and an entry is
/// taken only if its dependencies hash as they did (`FactsCache.loadEntry`), so an edited or
/// newly configured unit is simply not among the preloaded. Extraction asks by key and loads
/// or parses the rest as it would.
final class FactsPreload: Sendable {
  private struct State {
    var facts: [String: [FileFacts]]?
    var waiting: [CheckedContinuation<[String: [FileFacts]], Never>] = []
  }

  /// The cache the entries are read through; extraction uses the same one, so that a file is
  /// hashed once per run and the memo learns every file an entry depended on.
  let cache: FactsCache
  private let state = Mutex(State())

  /// Starts reading the entries `list` names (nothing when it cannot be read).
  init(cache: FactsCache, list: String) {
    self.cache = cache
    DispatchQueue.global().async { [self] in
      let keys =
        CacheFile.validContents(list, describing: "list of facts to preload").map {
          String(decoding: $0, as: UTF8.self).split(separator: "\n").map(String.init)
        } ?? []
      var facts: [String: [FileFacts]] = [:]
      for key in keys where Self.isKey(key) {
        // Only the facts: an entry's list of read files weighs more and is not needed.
        if let loaded = cache.loadEntry(key: key)?.facts { facts[key] = loaded }
      }
      let waiting = state.withLock { state in
        state.facts = facts
        defer { state.waiting = [] }
        return state.waiting
      }
      for continuation in waiting { continuation.resume(returning: facts) }
    }
  }

  /// The entries read, by key, once all are.
  func facts() async -> [String: [FileFacts]] {
    await withCheckedContinuation { continuation in
      let ready = state.withLock { state -> [String: [FileFacts]]? in
        if let facts = state.facts { return facts }
        state.waiting.append(continuation)
        return nil
      }
      if let ready { continuation.resume(returning: ready) }
    }
  }

  /// Writes the keys of a run's units as the list the next run preloads.
  static func record(_ keys: [String], to list: String) {
    _ = CacheFile.write(Data(keys.joined(separator: "\n").utf8), to: list)
  }

  /// The list beside a run memo.
  static func list(forMemo memo: String) -> String {
    (memo.hasSuffix(".json") ? String(memo.dropLast(5)) : memo) + ".units"
  }

  /// A key as `FactsCache.key` makes it: hexadecimal digits, nothing that leaves the folder.
  private static func isKey(_ text: String) -> Bool {
    !text.isEmpty
      && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
  }
}
