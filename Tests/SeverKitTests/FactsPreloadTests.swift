import Foundation
import SeverCore
import SeverSupport
import SeverTestSupport
import Testing

@testable import SeverKit

/// A run the memo cannot answer reads the facts the last run with the same options used while
/// its first stages run (`FactsPreload`): only current entries, and the run's findings are
/// those of a run without the cache.
@Suite struct FactsPreloadTests {
  func findings(_ tree: String, cache: String?) async throws -> [String] {
    var options = CheckOptions(paths: [tree], jobs: 2, cacheBase: cache ?? "")
    options.useCache = cache != nil
    return try await Pipeline.check(Pipeline.Request(options: options)).analysis.findings
      .map { "\($0.ruleID) \($0.location.path):\($0.location.line)" }.sorted()
  }

  /// The list beside the only memo of `cache`.
  func list(_ cache: String) throws -> String {
    let directory = cache + "/runs/v1"
    let memo = try #require(
      try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".json") }
    )
    return FactsPreload.list(forMemo: directory + "/" + memo)
  }

  @Test func theLastRunsCurrentFactsArePreloaded() async throws {
    let tree = try FixturePaths.copyOfTree()
    let cache = FixturePaths.temporary("preload")
    let first = try await findings(tree, cache: cache)
    let keys = try String(
      decoding: #require(CacheFile.validContents(list(cache), describing: "list")), as: UTF8.self
    ).split(separator: "\n").map(String.init)
    #expect(!keys.isEmpty)
    let all = await FactsPreload(cache: FactsCache(base: cache), list: try list(cache)).facts()
    #expect(Set(all.keys) == Set(keys))

    // A header some units read changes: their entries are stale and not preloaded.
    let header = tree + "/include/linux/debugfs.h"
    try (String(contentsOfFile: header, encoding: .utf8) + "\n/* edited */\n").write(
      toFile: header, atomically: true, encoding: .utf8)
    let current = await FactsPreload(cache: FactsCache(base: cache), list: try list(cache))
      .facts()
    #expect(current.count < all.count)
    #expect(!current.isEmpty)
    let debugfs = all.filter { $0.value.contains { $0.path == "drivers/demo/demo_debugfs.c" } }
    #expect(debugfs.count == 1)
    #expect(debugfs.keys.allSatisfy { current[$0] == nil })

    // The re-run (preloaded, the stale units parsed again) finds what a run without the cache
    // finds.
    let again = try await findings(tree, cache: cache)
    #expect(again == (try await findings(tree, cache: nil)))
    #expect(again == first)
  }

  @Test func aDamagedListPreloadsNothing() async throws {
    let tree = try FixturePaths.copyOfTree()
    let cache = FixturePaths.temporary("preload-damaged")
    let first = try await findings(tree, cache: cache)
    let path = try list(cache)
    // Whole, but naming no key: nothing outside the cache's folder is read.
    #expect(CacheFile.write(Data("../../etc/passwd\nnot a key".utf8), to: path))
    #expect(await FactsPreload(cache: FactsCache(base: cache), list: path).facts().isEmpty)
    // Not whole: discarded.
    try Data("../../etc/passwd\nnot a key\n".utf8).write(to: URL(fileURLWithPath: path))
    #expect(await FactsPreload(cache: FactsCache(base: cache), list: path).facts().isEmpty)
    #expect(!FileManager.default.fileExists(atPath: path))
    // A run with the damaged list (the memo out of the way) is not disturbed by it.
    try FileManager.default.removeItem(atPath: String(path.dropLast(".units".count)) + ".json")
    #expect(try await findings(tree, cache: cache) == first)
  }
}
