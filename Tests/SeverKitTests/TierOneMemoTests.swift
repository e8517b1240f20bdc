import Foundation
import Rules
import SeverCore
import SeverSupport
import SeverTestSupport
import Testing

@testable import SeverKit

/// Tier 1's selection memo: a re-run whose every read answers the same takes the remembered
/// selection (equal to a fresh one), and any read that answers differently (a candidate or a
/// helper file whose scan changed, another module capability, another helper definition, other
/// candidates) selects afresh.
@Suite struct TierOneMemoTests {
  /// A file no selection picks: seeing it in a selection shows the memo answered.
  static let marker = "drivers/demo/remembered.c"

  struct Run {
    let tree: String
    let cache: String
    let inputs: InputSet

    init() throws {
      tree = try FixturePaths.copyOfTree()
      cache = FixturePaths.temporary("tierone-memo")
      inputs = try InputSet.discover(paths: [tree + "/drivers/demo"], cacheBase: nil)
    }

    var memo: TierOneMemo { TierOneMemo(cacheBase: cache, root: tree, arch: "x86_64") }

    func select(
      capabilities: [String: ModuleCapability] = [:], cached: Bool = true
    ) async -> TierOneSelection {
      let inputs = (try? InputSet.discover(paths: [tree + "/drivers/demo"])) ?? inputs
      return await TierOneStage.select(
        paths: inputs.units.flatMap(\.keep), root: tree, arch: "x86_64", jobs: 2,
        capabilities: capabilities, supportDefinitions: inputs.helperDefinitions,
        cacheBase: cached ? cache : nil
      ).selection
    }

    /// Marks the stored record so that a selection taken from it can be told apart.
    func mark() throws {
      var record = try #require(memo.load())
      record.files.append(TierOneMemoTests.marker)
      memo.store(record)
    }

    func edit(_ path: String, _ change: (String) -> String) throws {
      let file = tree + "/" + path
      let text = try String(contentsOfFile: file, encoding: .utf8)
      try change(text).write(toFile: file, atomically: true, encoding: .utf8)
    }

    func remove() {
      try? FileManager.default.removeItem(atPath: tree)
      try? FileManager.default.removeItem(atPath: cache)
    }
  }

  @Test func anUnchangedTreeTakesTheRememberedSelection() async throws {
    let run = try Run()
    defer { run.remove() }
    let fresh = await run.select(cached: false)
    #expect(await run.select() == fresh)
    let record = try #require(run.memo.load())
    #expect(record.files == fresh.files.sorted())
    // The reach went into the helper file and looked up the helper it defines.
    #expect(record.helpers["drivers/demo/demo_core.c"] != nil)
    #expect(record.definitions["demo_core_get"] == .some(["drivers/demo/demo_core.c"]))
    try run.mark()
    let remembered = await run.select()
    #expect(remembered.files == fresh.files.union([Self.marker]))
  }

  /// A change inside a function body that names nothing new leaves the scan as it was: the
  /// memo answers, and keeps the file's new status for the next run.
  @Test func aBodyChangeThatKeepsTheScanIsRemembered() async throws {
    let run = try Run()
    defer { run.remove() }
    let fresh = await run.select()
    try run.mark()
    try run.edit("drivers/demo/demo_stats.c") {
      $0.replacingOccurrences(of: "core->stats = 0;", with: "core->stats = 12345;")
    }
    #expect(
      await run.select()
        == TierOneSelection(files: fresh.files.union([Self.marker]), reasons: fresh.reasons))
    let moved = try #require(run.memo.load())
    let status = try #require(FileStatus(path: run.tree + "/drivers/demo/demo_stats.c"))
    #expect(
      moved.candidates.first { $0.path == "drivers/demo/demo_stats.c" }?.status
        == TierOneScanCache.fields(status))
    // The next run compares with the moved status, and answers again.
    #expect(await run.select().files.contains(Self.marker))
  }

  @Test func aCandidateWhoseScanChangedSelectsAfresh() async throws {
    let run = try Run()
    defer { run.remove() }
    _ = await run.select()
    try run.mark()
    try run.edit("drivers/demo/demo_stats.c") {
      $0.replacingOccurrences(of: "core->stats = 0;", with: "core->stats = demo_other(core);")
    }
    let after = await run.select()
    #expect(!after.files.contains(Self.marker))
    #expect(after == (await run.select(cached: false)))
  }

  @Test func aHelperFileWhoseScanChangedSelectsAfresh() async throws {
    let run = try Run()
    defer { run.remove() }
    _ = await run.select()
    try run.mark()
    try run.edit("drivers/demo/demo_core.c") { $0 + "\nvoid demo_core_more(void) { }\n" }
    #expect(!(await run.select()).files.contains(Self.marker))
  }

  @Test func anotherModuleCapabilitySelectsAfresh() async throws {
    let run = try Run()
    defer { run.remove() }
    _ = await run.select()
    let asked = try #require(run.memo.load()?.modules.keys.sorted().first)
    let capable = [
      asked: ModuleCapability(path: asked, arch: "x86_64", verdict: .moduleCapable)
    ]
    _ = await run.select(capabilities: capable)
    try run.mark()
    #expect(await run.select(capabilities: capable).files.contains(Self.marker))
    #expect(!(await run.select()).files.contains(Self.marker))
  }

  /// The answer itself, on a record: every kind of read that answers differently refuses it.
  @Test func everyRecordedReadMustAnswerTheSame() {
    let record = TierOneMemo.Record(
      macros: "m", candidates: [.init("a.c", [1, 2]), .init("b.c", [3, 4])], helpers: ["h.c": [5]],
      definitions: ["helper": .some(["h.c"]), "absent": [String]?.none],
      modules: ["a.c": .some(true), "b.c": Bool?.none], files: ["a.c", "h.c"],
      reasons: ["a.c": "seed", "h.c": "helper"])
    let same: (String, [Int]) -> [Int]? = { $1 }
    func answer(
      macros: String = "m", candidates: [String] = ["a.c", "b.c"],
      now: (String, [Int]) -> [Int]? = same,
      definitions: [String: [String]] = ["helper": ["h.c"]],
      modules: [String: Bool] = ["a.c": true]
    ) -> (selection: TierOneSelection, moved: TierOneMemo.Record?)? {
      TierOneMemo.selection(
        of: record, macros: macros, candidates: candidates, now: now,
        definitions: { names in definitions.filter { names.contains($0.key) } },
        canBeModule: { modules[$0] })
    }
    let taken = answer()
    #expect(taken?.selection == TierOneSelection(files: ["a.c", "h.c"], reasons: record.reasons))
    #expect(taken != nil && taken?.moved == nil)
    #expect(answer(macros: "other") == nil)
    #expect(answer(candidates: ["b.c", "a.c"]) == nil)
    #expect(answer(candidates: ["a.c"]) == nil)
    #expect(answer(now: { path, status in path == "b.c" ? nil : status }) == nil)
    #expect(answer(now: { path, status in path == "h.c" ? nil : status }) == nil)
    #expect(answer(definitions: ["helper": ["h.c", "i.c"]]) == nil)
    #expect(answer(definitions: ["helper": ["h.c"], "absent": ["x.c"]]) == nil)
    #expect(answer(modules: ["a.c": false]) == nil)
    #expect(answer(modules: ["a.c": true, "b.c": true]) == nil)
    // A moved status with the same scan answers, with the record to keep.
    let moved = answer(now: { path, status in path == "a.c" ? [9, 9] : status })
    #expect(moved?.selection.files == ["a.c", "h.c"])
    #expect(moved?.moved?.candidates.first?.status == [9, 9])
  }

  /// A remembered selection looks up the names it read without the whole table by name.
  @Test func helperDefinitionsAnswerNamesAsTheWholeTableDoes() {
    let definitions = HelperDefinitions(definers: [
      ("a/x.c", ["f", "g"]), ("a/y.c", ["g"]), ("b/z.c", ["h", "g"]),
    ])
    let all = definitions.byName
    #expect(all == ["f": ["a/x.c"], "g": ["a/x.c", "a/y.c", "b/z.c"], "h": ["b/z.c"]])
    #expect(definitions.paths(defining: Set(all.keys)) == all)
    #expect(definitions.paths(defining: ["g", "absent"]) == ["g": ["a/x.c", "a/y.c", "b/z.c"]])
    #expect(definitions.paths(defining: []).isEmpty)
  }

  @Test func aRecordRoundTripsAndADamagedOneIsNotRead() throws {
    let cache = FixturePaths.temporary("tierone-memo-codec")
    defer { try? FileManager.default.removeItem(atPath: cache) }
    let memo = TierOneMemo(cacheBase: cache, root: "/tree", arch: "x86_64")
    let record = TierOneMemo.Record(
      macros: "fingerprint", candidates: [.init("drivers/démo/a.c", [1, 20, 300, 4000])],
      helpers: ["drivers/démo/h.c": [5, 6, 7, 8]],
      definitions: ["helper": .some(["drivers/démo/h.c"]), "absent": [String]?.none],
      modules: ["drivers/démo/a.c": .some(true), "b.c": .some(false), "c.c": Bool?.none],
      files: ["drivers/démo/a.c"], reasons: ["drivers/démo/a.c": "a seed: ops"])
    expectWholeRoundTrip(
      record, in: memo.file, encode: TierOneMemo.encode, read: { _ in memo.load() })
  }
}
