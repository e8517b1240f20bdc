import Foundation
import SeverCore
import SeverSupport
import SeverTestSupport
import Testing

@testable import SeverKit

/// Discovery's prefilter verdicts kept by file status (issue 18): a run with the cache finds the
/// same input set as one without, a changed file is read again, and a damaged store is rebuilt.
@Suite struct PrefilterCacheTests {
  /// A private copy of the fixture tree, so edits never touch the repository.
  func copyOfFixtureTree() throws -> String {
    let copy = FixturePaths.temporary("prefilter-tree")
    try FileManager.default.copyItem(atPath: FixturePaths.tree, toPath: copy)
    return copy
  }

  func discover(_ tree: String, cache: String?) throws -> InputSet {
    try InputSet.discover(paths: [tree], cacheBase: cache)
  }

  @Test func cachedVerdictsGiveTheSameInputSetAndFollowEdits() throws {
    let tree = try copyOfFixtureTree()
    let cache = FixturePaths.temporary("prefilter-cache")
    defer {
      try? FileManager.default.removeItem(atPath: tree)
      try? FileManager.default.removeItem(atPath: cache)
    }
    let uncached = try discover(tree, cache: nil)
    #expect(uncached.filtered && uncached.prefiltered > 0, "the fixture tree is prefiltered")
    #expect(try discover(tree, cache: cache) == uncached)
    let stores = try FileManager.default.contentsOfDirectory(atPath: cache + "/prefilter/v1")
    #expect(stores.count == 1)
    #expect(try discover(tree, cache: cache) == uncached, "from the store")

    // A file that left the prefilter's way (it now spells a table word) is read again, and one
    // that became empty is reported.
    let prefiltered = try #require(uncached.helperDefinitions.definers.first?.path)
    let file = tree + "/" + prefiltered
    let text = try String(contentsOfFile: file, encoding: .utf8)
    try (text + "\nstatic const struct kernfs_ops late_ops = {};\n")
      .write(toFile: file, atomically: false, encoding: .utf8)
    let edited = try discover(tree, cache: nil)
    #expect(edited.prefiltered == uncached.prefiltered - 1)
    #expect(try discover(tree, cache: cache) == edited)
    try Data().write(to: URL(fileURLWithPath: file))
    let emptied = try discover(tree, cache: nil)
    #expect(emptied.diagnostics.contains { $0.path == prefiltered })
    #expect(try discover(tree, cache: cache) == emptied)

    // A damaged store is rebuilt, not trusted.
    let store = cache + "/prefilter/v1/" + (try #require(stores.first))
    var bytes = try #require(FileManager.default.contents(atPath: store))
    bytes[bytes.count - 1] ^= 0x40
    try bytes.write(to: URL(fileURLWithPath: store))
    #expect(try discover(tree, cache: cache) == emptied)
    if case .valid = CacheFile.read(store) {} else { Issue.record("the store was not rewritten") }
  }
}
