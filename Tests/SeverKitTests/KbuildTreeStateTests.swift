import Foundation
import Kbuild
import SeverCore
import SeverSupport
import SeverTestSupport
import Testing

@testable import SeverKit

/// The tree's Kbuild state: one run answers every `.c` file of the tree, so that another run
/// asking about other files (a `make C=1` object) reads the answers instead of the Kbuild files;
/// an edit that cannot change a C file's answer keeps it, one that can, or a Kbuild change,
/// does not.
@Suite struct KbuildTreeStateTests {
  static let asked = "drivers/demo/demo_proc.c"
  static let other = "drivers/demo/demo_debugfs.c"

  static func load(_ tree: String, cache: String, _ paths: [String]) async throws
    -> KbuildAnswers
  {
    try await KbuildAnswers.load(
      root: tree, arch: "x86_64", paths: paths, units: paths, given: nil, cacheBase: cache,
      useCache: true)
  }

  static func append(_ text: String, to file: String) throws {
    try (try String(contentsOfFile: file, encoding: .utf8) + text)
      .write(toFile: file, atomically: true, encoding: .utf8)
  }

  @Test func oneRunAnswersTheWholeTreeAndEditsKeepOrDropIt() async throws {
    let tree = try FixturePaths.copyOfTree()
    let cache = FixturePaths.temporary("kbuild-state")
    let first = try await Self.load(tree, cache: cache, [Self.asked])
    #expect(first.capabilities.keys.sorted() == [Self.asked])
    let state = KbuildTreeState(cacheBase: cache, root: tree, arch: "x86_64")
    // Another file's answer comes from the state, equal to the oracle's.
    let stored = try #require(state.answers(for: [Self.other], overlay: [:]))
    let fresh = try await KbuildAnswers.load(
      root: tree, arch: "x86_64", paths: [Self.other], units: [Self.other], given: nil,
      cacheBase: cache, useCache: false)
    #expect(stored.capabilities == fresh.capabilities)
    #expect(
      try #require(state.answers(for: [], units: [Self.other], overlay: [:])).flags
        == fresh.flags)
    #expect(stored.config == fresh.config)

    // A C edit that leaves `#ifdef MODULE` and `#include "….c"` alone keeps the answer.
    try Self.append("\nstatic int demo_unused;\n", to: tree + "/" + Self.other)
    #expect(state.answers(for: [Self.other], overlay: [:]) != nil)
    // Contents in memory are judged the same way.
    #expect(
      state.answers(for: [Self.other], overlay: [Self.other: "#ifdef MODULE\n#endif\n"]) == nil)
    // An `#ifdef MODULE` can change the answer: the state is computed again.
    try Self.append("#ifdef MODULE\n#endif\n", to: tree + "/" + Self.other)
    #expect(state.answers(for: [Self.other], overlay: [:]) == nil)
    _ = try await Self.load(tree, cache: cache, [Self.other])
    #expect(state.answers(for: [Self.other, Self.asked], overlay: [:]) != nil)
    // A Kbuild edit makes the whole state stale.
    try Self.append("\n", to: tree + "/drivers/demo/Makefile")
    #expect(state.answers(for: [Self.asked], overlay: [:]) == nil)
    // A file the state does not know is not answered from it.
    #expect(state.answers(for: ["drivers/demo/new.c"], overlay: [:]) == nil)
  }

  /// A run with a C file held in memory (a review) stores that file's answer to be checked
  /// against its contents, so the next run (the next review, a check) finds it.
  @Test func aFileInMemoryIsAnsweredFromTheStateNextTime() async throws {
    let tree = try FixturePaths.copyOfTree()
    let cache = FixturePaths.temporary("kbuild-state-overlay")
    let patched = try String(contentsOfFile: tree + "/" + Self.asked, encoding: .utf8) + "\n"
    _ = try await KbuildAnswers.load(
      root: tree, arch: "x86_64", paths: [Self.asked], units: [Self.asked], given: nil,
      cacheBase: cache, useCache: true,
      overlay: [Self.asked: patched])
    let state = KbuildTreeState(cacheBase: cache, root: tree, arch: "x86_64")
    #expect(state.answers(for: [Self.asked], overlay: [Self.asked: patched]) != nil)
    #expect(state.answers(for: [Self.asked], overlay: [:]) != nil)
  }

  /// A check or a review keeps only the directories it asks about (seconds less on a cold
  /// cache); a later run asking about another directory adds its shard to the same state, so
  /// the first directory's answers stay readable, and a Kbuild edit starts a new generation
  /// whose index no longer reads the old shards.
  @Test func directoryScopedRunsAddShardsToOneState() async throws {
    let tree = try FixturePaths.copyOfTree()
    let cache = FixturePaths.temporary("kbuild-state-scope")
    let cgroup = "kernel/cgroup/files.c"
    func load(_ paths: [String]) async throws {
      _ = try await KbuildAnswers.load(
        root: tree, arch: "x86_64", paths: paths, units: paths, given: nil, cacheBase: cache,
        useCache: true, scope: .directories)
    }
    let state = KbuildTreeState(cacheBase: cache, root: tree, arch: "x86_64")
    try await load([Self.asked])
    // The asked file's directory is kept, another directory is not.
    #expect(state.answers(for: [Self.asked, Self.other], overlay: [:]) != nil)
    #expect(state.answers(for: [cgroup], overlay: [:]) == nil)
    let generation = try #require(state.validIndex()).generation
    try await load([cgroup])
    #expect(try #require(state.validIndex()).generation == generation)
    let both = try #require(state.answers(for: [Self.asked, cgroup], overlay: [:]))
    let fresh = try await KbuildAnswers.load(
      root: tree, arch: "x86_64", paths: [Self.asked, cgroup], units: [], given: nil,
      cacheBase: cache, useCache: false)
    #expect(both.capabilities == fresh.capabilities)
    // A C edit that can change an answer (an `#ifdef MODULE`; an `#include "….c"` can change
    // another directory's) starts a new generation, so kernel/cgroup's shard is not read.
    try Self.append("#ifdef MODULE\n#endif\n", to: tree + "/" + Self.other)
    try await load([Self.other])
    let second = try #require(state.validIndex()).generation
    #expect(second != generation)
    #expect(state.answers(for: [Self.other], overlay: [:]) != nil)
    #expect(state.answers(for: [cgroup], overlay: [:]) == nil)
    // A Kbuild edit: the next computation is a new generation, and drivers/demo's shard,
    // written under the old one, is not read any more.
    try Self.append("\n", to: tree + "/kernel/cgroup/Makefile")
    try await load([cgroup])
    #expect(try #require(state.validIndex()).generation != second)
    #expect(state.answers(for: [cgroup], overlay: [:]) != nil)
    #expect(state.answers(for: [Self.asked], overlay: [:]) == nil)
  }

  /// A shard in its binary form (issue 18) gives back what was written, every field; a shard
  /// cut short or of another layout is not read.
  @Test func aShardRoundTripsAndADamagedOneIsNotRead() throws {
    var object = ObjectFlags(
      object: "drivers/démo/x.o", moduleName: "demo", moduleFile: "drivers/demo/demo",
      baseName: "x", builtAsModule: true, flags: ["-DMODULE", "-I", "drivers/demo"])
    object.directory = "drivers/demo"
    object.enabling = ["CONFIG_DEMO"]
    let unknown = ModuleCapability(path: "drivers/demo/y.c", arch: "", verdict: .unknown)
    let shard = KbuildTreeState.Shard(
      generation: "g1",
      answers: [
        "drivers/demo/x.c": ModuleCapability(
          path: "drivers/demo/x.c", arch: "x86_64", verdict: .moduleCapable, configState: .m,
          hasIfdefModule: true, reason: "obj-m",
          evidence: [
            ModuleCapability.Evidence(
              location: SourceLocation(path: "drivers/demo/Makefile", line: 3, column: 1),
              text: "obj-$(CONFIG_DEMO) += x.o", note: "—")
          ]),
        "drivers/demo/y.c": unknown,
      ],
      statuses: [
        "drivers/demo/x.c": FileStatus(
          kind: .regular, size: 12, modified: -1, inode: UInt64.max),
        "drivers/demo/z.c": FileStatus(kind: .symbolicLink, size: 0, modified: 0, inode: 0),
      ],
      flags: ["drivers/demo/x.c": object],
      wrappers: [
        "drivers/demo/all.c": FileStatus(kind: .regular, size: 3, modified: 4, inode: 5)
      ])
    let base = FixturePaths.temporary("kbuild-shard")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let file = base + "/shard.bin"
    expectWholeRoundTrip(shard, in: file, encode: { $0.encoded() }, read: KbuildTreeState.shard)
    var other = StringTableWriter()
    other.string("g1")
    for _ in 0..<4 { other.count(0) }
    #expect(CacheFile.write(other.finish(tag: "kbuild-shard-1"), to: file))
    #expect(KbuildTreeState.shard(from: file) == nil)

    // The shard's codec writes each field by hand: a new field must be written there too.
    let fields: [(Any, [String])] = [
      (
        unknown,
        ["path", "arch", "verdict", "configState", "hasIfdefModule", "reason", "evidence"]
      ),
      (
        object,
        [
          "object", "moduleName", "moduleFile", "baseName", "builtAsModule", "flags", "directory",
          "enabling",
        ]
      ),
      (
        FileStatus(kind: .regular, size: 0, modified: 0, inode: 0),
        ["kind", "size", "modified", "inode"]
      ),
      (shard, ["generation", "answers", "statuses", "flags", "wrappers"]),
    ]
    for (value, names) in fields {
      let labels = Mirror(reflecting: value).children.compactMap(\.label)
      #expect(labels == names, "\(type(of: value)) changed: update KbuildTreeState.Shard")
    }
  }

  @Test func anIndexRoundTripsAndADamagedOneIsNotRead() throws {
    let index = KbuildTreeState.Index(
      config: KernelConfig(values: ["DEMO": "m", "NAME": "\"demo\"", "EMPTY": ""]),
      skippedFiles: ["drivers/demo/fifo"],
      inputs: [
        "Kconfig": FileStatus(kind: .regular, size: 12, modified: -1, inode: UInt64.max),
        "drivers/demo/Makefile": FileStatus(kind: .regular, size: 3, modified: 4, inode: 5),
      ],
      generation: "g1")
    let base = FixturePaths.temporary("kbuild-index")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let file = base + "/index.bin"
    expectWholeRoundTrip(index, in: file, encode: { $0.encoded() }, read: KbuildTreeState.index)
    // A shard is not an index.
    let shard = KbuildTreeState.Shard(generation: "g1", answers: [:], statuses: [:])
    #expect(CacheFile.write(shard.encoded(), to: file))
    #expect(KbuildTreeState.index(from: file) == nil)
    // The codec writes each field by hand: a new field must be written there too.
    let labels = Mirror(reflecting: index).children.compactMap(\.label)
    #expect(
      labels == ["config", "skippedFiles", "inputs", "generation"],
      "KbuildTreeState.Index changed: update its codec")
    #expect(
      Mirror(reflecting: index.config).children.compactMap(\.label) == ["values"],
      "KernelConfig changed: update KbuildTreeState.Index's codec")
  }
}
