import Foundation
import SeverConfiguration
import SeverCore
import SeverSupport
import SeverTestSupport
import Testing

@testable import SeverKit

/// Precompiled headers (issue 18): a unit parsed over one has the facts, and the dependencies,
/// of a plain parse; an entry whose header changed or whose file is damaged is built again.
@Suite struct PrecompiledHeaderTests {
  /// Extracts the tree with the facts cache under `cache`; `after` is `precompileAfter` (0
  /// builds an entry for the first unit that needs it), nil turns precompiled headers off.
  func run(_ tree: String, cache: String, after: Int?) async throws -> CheckResult {
    var options = CheckOptions(paths: [tree], jobs: 2, cacheBase: cache)
    options.precompiledHeaders = after != nil
    options.precompileAfter = after ?? 0
    // No facts from an earlier run: every unit is parsed.
    try? FileManager.default.removeItem(atPath: cache + "/facts")
    return try await Pipeline.facts(options)
  }

  /// The facts cache's entries by the unit's path: the facts and every file read with its
  /// hash, the cache's own folder (where the generated headers are) spelled `<cache>`.
  func entries(_ cache: String) throws -> [String: FactsCodec.Entry] {
    let directory = cache + "/facts/v2"
    var result: [String: FactsCodec.Entry] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
      let data = try #require(FileManager.default.contents(atPath: directory + "/" + name))
      guard case .valid(let payload) = CacheFile.open(data) else {
        Issue.record("damaged entry \(name)")
        continue
      }
      var entry = try #require(FactsCodec.decode(payload))
      entry.dependencies = Dictionary(
        uniqueKeysWithValues: entry.dependencies.map {
          ($0.key.replacingOccurrences(of: cache, with: "<cache>"), $0.value)
        })
      result[try #require(entry.facts.first?.path)] = entry
    }
    return result
  }

  func pchFiles(_ cache: String) -> [String] {
    let directory = cache + "/pch/v1"
    return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
      .filter { $0.hasSuffix(".pch") }.sorted().map { directory + "/" + $0 }
  }

  @Test func factsOverPrecompiledHeadersAreThoseOfAPlainParse() async throws {
    let tree = try FixturePaths.copyOfTree()
    let plainCache = FixturePaths.temporary("pch-plain")
    let pchCache = FixturePaths.temporary("pch-cache")
    let plain = try await run(tree, cache: plainCache, after: nil)
    #expect(plain.coverage.precompiled == 0)
    #expect(pchFiles(plainCache).isEmpty)

    let built = try await run(tree, cache: pchCache, after: 0)
    #expect(built.files == plain.files)
    #expect(built.coverage.precompiledFailures == [])
    // Every unit that starts with an anchor's #include is parsed over its entry.
    #expect(built.coverage.precompiled >= 4)
    #expect(!pchFiles(pchCache).isEmpty)
    // The cache entries, dependencies included, are byte for byte those of the plain run.
    let plainEntries = try entries(plainCache)
    #expect(plainEntries.count == plain.coverage.unitsParsed)
    #expect(try entries(pchCache) == plainEntries)

    // A later run uses the entries it finds, without building them again.
    let stamps = pchFiles(pchCache).map { FileStatus(path: $0) }
    let reused = try await run(tree, cache: pchCache, after: PrecompiledHeaders.buildAfter)
    #expect(reused.files == plain.files)
    // (Units parsed while their entry was being built went without it.)
    #expect(reused.coverage.precompiled >= built.coverage.precompiled)
    #expect(pchFiles(pchCache).map { FileStatus(path: $0) } == stamps)
  }

  @Test func aChangedHeaderOrADamagedEntryIsBuiltAgain() async throws {
    let tree = try FixturePaths.copyOfTree()
    let cache = FixturePaths.temporary("pch-stale")
    let first = try await run(tree, cache: cache, after: 0)
    #expect(first.coverage.precompiled > 0)

    // An edited header every entry read (each unit's `-include`): the entries are stale, so a
    // run that would build only after many units parses its units without them, with the
    // edited header's meaning.
    let header = tree + "/include/linux/compiler_types.h"
    let text = try String(contentsOfFile: header, encoding: .utf8)
    try (text + "\n#define DEMO_EDITED 1\n").write(
      toFile: header, atomically: true, encoding: .utf8)
    let plain = try await run(tree, cache: FixturePaths.temporary("pch-stale-plain"), after: nil)
    let stale = try await run(tree, cache: cache, after: 1_000)
    #expect(stale.coverage.precompiled == 0)
    // Not handed out at all (clang would refuse it too, but only after a wasted parse).
    #expect(stale.coverage.parsedAgain == 0)
    #expect(stale.files == plain.files)
    let rebuilt = try await run(tree, cache: cache, after: 0)
    #expect(rebuilt.coverage.precompiled > 0)
    #expect(rebuilt.files == plain.files)

    // A damaged precompiled header fails its checksum and is not used.
    for path in pchFiles(cache) {
      let handle = try #require(FileHandle(forUpdatingAtPath: path))
      try handle.seek(toOffset: 4096)
      try handle.write(contentsOf: Data(repeating: 0x5a, count: 64))
      try handle.close()
    }
    let damaged = try await run(tree, cache: cache, after: 1_000)
    #expect(damaged.coverage.precompiled == 0)
    #expect(damaged.coverage.parsedAgain == 0)
    #expect(damaged.files == plain.files)
  }

  @Test func aPatchedHeaderTurnsPrecompiledHeadersOff() async throws {
    let tree = try FixturePaths.copyOfTree()
    let cache = FixturePaths.temporary("pch-unsaved")
    var options = CheckOptions(paths: [tree], jobs: 2, cacheBase: cache)
    options.precompileAfter = 0
    let header = tree + "/include/linux/types.h"
    options.unsavedFiles = [
      header: try String(contentsOfFile: header, encoding: .utf8) + "\n#define DEMO_PATCHED 1\n"
    ]
    let patched = try await Pipeline.facts(options)
    #expect(patched.coverage.precompiled == 0)
    #expect(pchFiles(cache).isEmpty)
  }
}

/// `make C=1` runs sever once per object, with Kbuild's own flags: the objects of one
/// directory share a precompiled header, which a run builds once earlier runs asked for it.
@Suite struct ObjectPrecompiledHeaderTests {
  /// One object's run as Kbuild makes it (`$(CHECK) $(CHECKFLAGS) $(c_flags) file.c`), its
  /// facts and coverage; `after` is `precompileAfter`, nil turns precompiled headers off.
  /// `configured`: the tree has the `include/generated/autoconf.h` a build makes (without it,
  /// no header can be precompiled).
  func object(
    _ tree: String, _ file: String, cache: String, after: Int?, configured: Bool = true
  ) async throws -> CheckResult {
    let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    let arguments = [
      "-D__linux__", "-Wbitwise", "-Wp,-MMD,drivers/demo/.\(stem).o.d", "-nostdinc", "-I./include",
      "-include", "./include/linux/kconfig.h", "-include", "./include/linux/compiler_types.h",
      "-D__KERNEL__", "-std=gnu11", "-DMODULE", "-DKBUILD_BASENAME=\"\(stem)\"",
      "-DKBUILD_MODNAME=\"demo\"", "-D__KBUILD_MODNAME=kmod_demo", file,
    ]
    // What `make` generates before it compiles (and runs the checker on) an object.
    let generated = tree + "/include/generated"
    try FileManager.default.createDirectory(atPath: generated, withIntermediateDirectories: true)
    if configured, !FileManager.default.fileExists(atPath: generated + "/autoconf.h") {
      try "#define CONFIG_DEMO_DRIVERS_MODULE 1\n".write(
        toFile: generated + "/autoconf.h", atomically: false, encoding: .utf8)
    }
    let invocation = try #require(ObjectInvocation(arguments: arguments, directory: tree))
    var options = invocation.request(configuration: Configuration(), cacheBase: cache).options
    options.precompiledHeaders = after != nil
    options.precompileAfter = after ?? 0
    try? FileManager.default.removeItem(atPath: cache + "/facts")
    return try await Pipeline.facts(options)
  }

  func pchDirectory(_ cache: String) -> String { cache + "/pch/v1" }

  func files(_ cache: String, ending suffix: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: pchDirectory(cache))) ?? [])
      .filter { $0.hasSuffix(suffix) }.sorted()
  }

  @Test func objectsOfOneDirectoryShareAHeaderBuiltAcrossRuns() async throws {
    let tree = try FixturePaths.copyOfTree()
    // Both start with `#include <linux/debugfs.h>`: one entry serves both objects.
    let first = "drivers/demo/demo_debugfs.c"
    let second = "drivers/demo/demo_stats.c"
    let plainCache = FixturePaths.temporary("pch-object-plain")
    let plainFirst = try await object(tree, first, cache: plainCache, after: nil)
    let plainSecond = try await object(tree, second, cache: plainCache, after: nil)
    #expect(plainFirst.coverage.unitsParsed == 1)

    let cache = FixturePaths.temporary("pch-object")
    // The first object's run asks for the entry; with one unit before a build, the second
    // object's run (another process under make) builds it and parses over it.
    let asked = try await object(tree, first, cache: cache, after: 1)
    #expect(asked.coverage.precompiled == 0)
    #expect(files(cache, ending: ".wanted").count == 1)
    #expect(files(cache, ending: ".pch").isEmpty)
    let built = try await object(tree, second, cache: cache, after: 1)
    #expect(built.coverage.precompiled == 1)
    #expect(built.coverage.precompiledFailures == [])
    #expect(files(cache, ending: ".pch").count == 1)
    #expect(files(cache, ending: ".wanted").isEmpty)
    #expect(files(cache, ending: ".building").isEmpty)
    #expect(built.files == plainSecond.files)
    // The first object again (its facts removed): over the entry, with the plain facts.
    let again = try await object(tree, first, cache: cache, after: 1)
    #expect(again.coverage.precompiled == 1)
    #expect(again.files == plainFirst.files)
  }

  @Test func aHeaderThatCouldNotBePrecompiledIsNotTriedByEveryRun() async throws {
    let tree = try FixturePaths.copyOfTree()
    let file = "drivers/demo/demo_debugfs.c"
    let cache = FixturePaths.temporary("pch-object-failed")
    // No autoconf.h: the header does not parse alone, so it cannot be precompiled.
    let tried = try await object(tree, file, cache: cache, after: 0, configured: false)
    #expect(tried.coverage.precompiled == 0)
    #expect(tried.coverage.precompiledFailures.count == 1)
    let failed = try #require(files(cache, ending: ".failed").first)
    let stamp = FileStatus(path: pchDirectory(cache) + "/" + failed)

    // The next object's run does not build it again, and says why it goes without.
    let next = try await object(tree, file, cache: cache, after: 0, configured: false)
    #expect(next.coverage.precompiled == 0)
    #expect(next.coverage.precompiledFailures.first?.contains("an earlier run's attempt") == true)
    #expect(FileStatus(path: pchDirectory(cache) + "/" + failed) == stamp)
    #expect(files(cache, ending: ".pch").isEmpty)

    // A day later it is tried again, and with the tree configured, built.
    try FixturePaths.touch(failed, in: pchDirectory(cache), hoursAgo: 25)
    let later = try await object(tree, file, cache: cache, after: 0)
    #expect(later.coverage.precompiled == 1)
    #expect(files(cache, ending: ".failed").isEmpty)
  }

  @Test func anEntryAnotherProcessBuildsIsNotBuiltTwice() async throws {
    let tree = try FixturePaths.copyOfTree()
    let file = "drivers/demo/demo_debugfs.c"
    let cache = FixturePaths.temporary("pch-object-claim")
    _ = try await object(tree, file, cache: cache, after: 1)
    let wanted = try #require(files(cache, ending: ".wanted").first)
    let claim = pchDirectory(cache) + "/" + wanted.dropLast(".wanted".count) + ".building"
    let made = FileManager.default.createFile(atPath: claim, contents: nil)
    #expect(made)

    let waiting = try await object(tree, file, cache: cache, after: 1)
    #expect(waiting.coverage.precompiled == 0)
    #expect(files(cache, ending: ".pch").isEmpty)
    #expect(FileManager.default.fileExists(atPath: claim))

    // A claim older than any build is one a dead process left: it is taken over.
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: -3_600)], ofItemAtPath: claim)
    let taken = try await object(tree, file, cache: cache, after: 1)
    #expect(taken.coverage.precompiled == 1)
    #expect(!FileManager.default.fileExists(atPath: claim))
  }
}

/// The cache keeps the precompiled headers used last.
@Suite struct PrecompiledHeaderPruningTests {
  @Test func theEntriesUsedLastAreKept() throws {
    let directory = FixturePaths.temporary("pch-prune")
    let fm = FileManager.default
    try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
    func touch(_ name: String, hoursAgo: Double) throws {
      try FixturePaths.touch(name, in: directory, hoursAgo: hoursAgo)
    }
    for (key, hoursAgo) in [("old", 30.0), ("recent", 2.0), ("newest", 0.5)] {
      for suffix in [".h", ".pch", ".pch.macros"] { try touch(key + suffix, hoursAgo: 40) }
      try touch(key + ".manifest", hoursAgo: hoursAgo)
    }
    // Left by a run that stopped while it built, two days ago; and another run's, building.
    try touch("stopped.pch", hoursAgo: 48)
    try touch("building.h", hoursAgo: 0.1)
    try touch(".tmp-1234.pch", hoursAgo: 48)

    PrecompiledHeaders.prune(directory, keeping: 2)
    let left = try fm.contentsOfDirectory(atPath: directory).sorted()
    #expect(
      left == [
        ".tmp-1234.pch", "building.h", "newest.h", "newest.manifest", "newest.pch",
        "newest.pch.macros", "recent.h", "recent.manifest", "recent.pch", "recent.pch.macros",
      ])
  }
}
