import Foundation
import SeverCore
import Testing

@testable import SeverKit

/// The facts cache: a second run reuses facts, and an edited source or header invalidates them.
@Suite struct FactsCacheTests {
  /// A private copy of the fixture tree, so edits never touch the repository.
  func copyOfFixtureTree() throws -> String {
    let source =
      URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().path + "/Fixtures/tree"
    let copy = NSTemporaryDirectory() + "sever-cache-tree-\(UUID().uuidString)"
    try FileManager.default.copyItem(atPath: source, toPath: copy)
    return copy
  }

  func run(_ tree: String, cache: String, useCache: Bool = true) async throws -> CheckResult {
    try await Pipeline.facts(
      CheckOptions(paths: [tree], jobs: 2, cacheBase: cache, useCache: useCache))
  }

  @Test func cachedFactsEqualParsedFactsAndFollowEdits() async throws {
    let tree = try copyOfFixtureTree()
    let cache = NSTemporaryDirectory() + "sever-cache-\(UUID().uuidString)"
    let cold = try await run(tree, cache: cache)
    let entries = try FileManager.default.contentsOfDirectory(atPath: cache + "/facts/v2")
    #expect(entries.count == cold.coverage.unitsParsed)
    let warm = try await run(tree, cache: cache)
    #expect(warm.files == cold.files)

    // An edited header changes the facts of every unit that includes it.
    let header = tree + "/include/linux/kernfs.h"
    let text = try String(contentsOfFile: header, encoding: .utf8)
    try text.replacingOccurrences(
      of: "#endif", with: "#define demo_show demo_show_v2\n#endif"
    ).write(toFile: header, atomically: true, encoding: .utf8)
    let edited = try await run(tree, cache: cache)
    let uncached = try await run(tree, cache: cache, useCache: false)
    #expect(edited.files == uncached.files)
    let handler = edited.files.first { $0.path == "drivers/demo/demo_kernfs.c" }?.tables.first?
      .field("seq_show")?.handler
    #expect(handler == "demo_show_v2")

    // An edited source is parsed again.
    let source = tree + "/drivers/demo/demo_kernfs.c"
    let code = try String(contentsOfFile: source, encoding: .utf8)
    try code.replacingOccurrences(of: ".poll\t\t= demo_poll,", with: "")
      .write(toFile: source, atomically: true, encoding: .utf8)
    let changed = try await run(tree, cache: cache)
    let table = changed.files.first { $0.path == "drivers/demo/demo_kernfs.c" }?.tables.first
    #expect(table?.field("poll") == nil)
    #expect(table?.field("release") != nil)
  }
}
