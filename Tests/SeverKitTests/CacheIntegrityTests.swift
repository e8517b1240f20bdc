import Foundation
import SeverCore
import SeverTestSupport
import Testing

@testable import SeverKit

/// Cache entries are checked on every use (issue 16): a facts entry that fails its checksum is
/// dropped, and the generated-header folder is compared with its manifest and repaired.
@Suite struct CacheIntegrityTests {
  @Test func aDamagedFactsEntryIsDroppedNotUsed() throws {
    let base = FixturePaths.temporary("facts-integrity")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let cache = FactsCache(base: base)
    let facts = [FileFacts(path: "drivers/demo/x.c", parseErrorCount: 2)]
    cache.store(key: "k", facts: facts, dependencies: [])
    #expect(cache.load(key: "k") == facts)

    let file = base + "/facts/v2/k.bin"
    var bytes = try #require(FileManager.default.contents(atPath: file))
    // A changed letter in the string table (`demo` → `dem0`) keeps every length and index
    // right, so the payload still decodes: only the checksum sees it.
    let letter = try #require(bytes.range(of: Data("drivers/demo".utf8))).upperBound - 1
    bytes[letter] = UInt8(ascii: "0")
    try bytes.write(to: URL(fileURLWithPath: file))
    #expect(cache.load(key: "k") == nil)
    #expect(!FileManager.default.fileExists(atPath: file), "a damaged entry is removed")

    cache.store(key: "k", facts: facts, dependencies: [])
    try Data("{\"facts\":[],\"dependencies\":{}}".utf8).write(to: URL(fileURLWithPath: file))
    #expect(cache.load(key: "k") == nil, "an entry without its header is not trusted either")
  }

  func prepare(_ base: String) throws -> ShimDirectory {
    try ShimDirectory.prepare(
      root: FixturePaths.tree, sourceArch: "x86", config: KernelConfig(), cacheBase: base)
  }

  @Test func theHeaderFolderIsCheckedAgainstItsManifestAndRepaired() throws {
    let base = FixturePaths.temporary("shim-integrity")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let fm = FileManager.default
    let shims = try prepare(base)
    #expect(ShimDirectory.check(shims.path) == .whole)
    let autoconf = shims.path + "/include/generated/autoconf.h"
    let original = try #require(fm.contents(atPath: autoconf))

    try fm.removeItem(atPath: autoconf)
    #expect(ShimDirectory.check(shims.path) == .damaged("include/generated/autoconf.h is missing"))
    #expect(try prepare(base).path == shims.path)
    #expect(fm.contents(atPath: autoconf) == original)

    try Data("#define CONFIG_X 1\n".utf8).write(to: URL(fileURLWithPath: autoconf))
    #expect(ShimDirectory.check(shims.path) == .damaged("include/generated/autoconf.h was changed"))
    _ = try prepare(base)
    #expect(fm.contents(atPath: autoconf) == original)

    let planted = shims.path + "/include/generated/planted.h"
    try Data("#error planted\n".utf8).write(to: URL(fileURLWithPath: planted))
    #expect(
      ShimDirectory.check(shims.path)
        == .damaged("include/generated/planted.h is not in its manifest"))
    _ = try prepare(base)
    #expect(!fm.fileExists(atPath: planted))

    try fm.removeItem(atPath: shims.path + "/" + ShimDirectory.manifestName)
    #expect(ShimDirectory.check(shims.path) == .damaged("its manifest is missing"))
    _ = try prepare(base)
    #expect(ShimDirectory.check(shims.path) == .whole)
  }

  /// A review prepares the folder for two images at once in one process; many at once must
  /// all get the same, whole folder.
  @Test func concurrentPreparationsShareOneWholeFolder() async throws {
    let base = FixturePaths.temporary("shim-concurrent")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let paths = try await withThrowingTaskGroup(of: String.self) { group in
      for _ in 0..<16 {
        group.addTask { try self.prepare(base).path }
      }
      return try await group.reduce(into: Set<String>()) { $0.insert($1) }
    }
    #expect(paths.count == 1)
    let path = try #require(paths.first)
    #expect(ShimDirectory.check(path) == .whole)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: base + "/shims")
    #expect(leftovers == [(path as NSString).lastPathComponent], "no temporary folder is left")
  }
}
