import Foundation
import Scan
import SeverCore
import SeverTestSupport
import Testing

@testable import SeverKit

/// Tier 1's scan cache: a re-run takes unchanged files from the cache, equal to a fresh scan,
/// rescans an edited file, and ignores a store it cannot read whole.
@Suite struct TierOneScanCacheTests {
  static let paths = [
    "drivers/demo/demo_debugfs.c", "drivers/demo/demo_kernfs.c", "drivers/demo/demo_proc.c",
  ]

  static func scan(_ tree: String, cache: String?) async -> [ScannedFile] {
    await TierOneStage.scan(
      paths: paths, root: tree, arch: "x86_64", jobs: 2, cacheBase: cache)
  }

  @Test func cachedScansEqualFreshOnesAndFollowEdits() async throws {
    let tree = try FixturePaths.copyOfTree()
    let cache = FixturePaths.temporary("scan-cache")
    let fresh = await Self.scan(tree, cache: nil)
    #expect(await Self.scan(tree, cache: cache) == fresh)
    let store = TierOneScanCache(cacheBase: cache, root: tree, arch: "x86_64")
    #expect(FileManager.default.fileExists(atPath: store.file))
    // The second run reads every file from the store.
    #expect(await Self.scan(tree, cache: cache) == fresh)

    // An edited file is scanned again; the others still come from the store.
    let edited = tree + "/" + Self.paths[0]
    try
      (try String(contentsOfFile: edited, encoding: .utf8)
      + "\nint demo_added(void) { return 0; }\n")
      .write(toFile: edited, atomically: true, encoding: .utf8)
    let after = await Self.scan(tree, cache: cache)
    #expect(after == (await Self.scan(tree, cache: nil)))
    #expect(after[0].functions.contains { $0.name == "demo_added" })

    // A torn store is ignored, not half read.
    let data = try Data(contentsOf: URL(fileURLWithPath: store.file))
    try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: store.file))
    let (macros, fingerprint) = store.headerMacros(root: tree, archs: ["x86"], paths: Self.paths)
    // The table is the one read from every header, and the header store answers the next run.
    #expect(
      macros.definitions.keys.sorted()
        == TierOneStage.headerMacros(root: tree, archs: ["x86"], paths: Self.paths).definitions.keys
        .sorted())
    #expect(FileManager.default.fileExists(atPath: store.headersFile))
    #expect(store.headerMacros(root: tree, archs: ["x86"], paths: Self.paths).1 == fingerprint)
    #expect(store.entries(macros: fingerprint).load().entries.isEmpty)
    #expect(await Self.scan(tree, cache: cache) == after)
    #expect(store.entries(macros: fingerprint).load().entries.count == Self.paths.count)
    // Another macro table does not match the stored scans.
    #expect(store.entries(macros: "other").load().entries.isEmpty)
  }

  /// The helper files the selection's reach scans (files the prefilter left out, like
  /// `demo_core.c`, which defines what `demo_stats.c` calls) are stored with the candidates, so
  /// a re-run does not lex them again (a whole tree's are hundreds).
  @Test func helperFilesScansAreStoredWithTheCandidates() async throws {
    let tree = try FixturePaths.copyOfTree()
    let cache = FixturePaths.temporary("scan-cache-helpers")
    defer {
      try? FileManager.default.removeItem(atPath: tree)
      try? FileManager.default.removeItem(atPath: cache)
    }
    var request = Pipeline.Request(
      options: CheckOptions(paths: [tree + "/drivers/demo"], jobs: 1, cacheBase: cache))
    request.useMemo = false
    let run = try await Pipeline.check(request)
    #expect(run.check.files.contains { $0.path == "drivers/demo/demo_core.c" })
    let stored = try #require(
      TierOneStage.tableMacros(
        root: tree, arch: "x86_64", paths: ["drivers/demo/demo_stats.c"], cacheBase: cache
      ).cache)
    let entries = stored.store.entries(macros: stored.fingerprint).load().entries
    #expect(entries["drivers/demo/demo_stats.c"] != nil)
    #expect(entries["drivers/demo/demo_core.c"] != nil)
  }
}
