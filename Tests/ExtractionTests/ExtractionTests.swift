import Extraction
import Foundation
import SeverCore
import SeverKit
import SeverTestSupport
import Testing

/// Extraction over the fixture tree: a JSON snapshot of every fact, plus targeted checks of the
/// cases the snapshot could hide (macro tables, wrappers, misc devices, dispatch sites).
@Suite struct ExtractionTests {
  /// Runs the pipeline on the fixture tree once per test.
  func treeFacts() async throws -> [FileFacts] {
    let options = CheckOptions(
      paths: [FixturePaths.tree], jobs: 2, cacheBase: FixturePaths.temporary("cache"))
    return try await Pipeline.facts(options).files
  }

  func file(_ path: String, in files: [FileFacts]) throws -> FileFacts {
    try #require(files.first { $0.path == path }, "no facts for \(path)")
  }

  @Test func linksDebiansClang14() {
    #expect(FactExtractor.clangVersion.contains("clang version 14."))
  }

  @Test func fixtureTreeMatchesSnapshot() async throws {
    let json = FactsRenderer.json(try await treeFacts())
    Golden.check(json, file: FixturePaths.fixtures + "/extraction/tree.facts.json")
  }

  @Test func macroMadeTablesAreReportedAtTheMacroUse() async throws {
    let facts = try file("drivers/demo/demo_debugfs.c", in: try await treeFacts())
    let state = try #require(facts.tables.first { $0.name == "demo_state_fops" })
    #expect(state.macro == "DEFINE_SHOW_ATTRIBUTE")
    #expect(state.location.line == 9)
    #expect(state.owner == "THIS_MODULE")
    #expect(state.field("open")?.handler == "demo_state_open")
    #expect(state.field("release")?.handler == "single_release")
    let raw = try #require(facts.tables.first { $0.name == "demo_raw_fops" })
    #expect(raw.macro == nil)
    #expect(raw.owner == nil)
  }

  @Test func sysfsAttributeMacrosYieldNestedFields() async throws {
    let facts = try file("drivers/demo/demo_sysfs.c", in: try await treeFacts())
    let level = try #require(facts.tables.first { $0.name == "dev_attr_level" })
    #expect(level.kind == .deviceAttribute)
    #expect(level.macro == "DEVICE_ATTR_RO")
    #expect(level.field("show")?.handler == "level_show")
    #expect(level.field("attr.mode")?.value == "0444")
  }

  @Test func filesIncludedByAWrapperKeepTheirOwnPaths() async throws {
    let files = try await treeFacts()
    let pressure = try file("kernel/sched/pressure.c", in: files)
    let table = try #require(pressure.tables.first)
    #expect(table.qualifiedName == "demo_pressure_files[0]")
    #expect(pressure.tables.count == 1, "the { } terminator is not a table")
    #expect(table.field("poll")?.handler == "demo_pressure_poll")
    #expect(pressure.registrations.map(\.callee) == ["cgroup_add_dfl_cftypes"])
    let wrapper = try file("kernel/sched/build_wrapper.c", in: files)
    #expect(wrapper.tables.isEmpty && wrapper.functions.isEmpty)
  }

  @Test func miscRegistrationReachesTheFops() async throws {
    let facts = try file("drivers/demo/demo_misc.c", in: try await treeFacts())
    let registration = try #require(facts.registrations.first)
    #expect(registration.callee == "misc_register")
    #expect(registration.via == "demo_misc")
    #expect(registration.table == "demo_misc_fops")
    #expect(registration.tableKind == .fileOperations)
  }

  @Test func dispatchSitesThroughTableFields() async throws {
    let files = try await treeFacts()
    let kernfs = try file("fs/kernfs/file.c", in: files)
    #expect(
      kernfs.dispatches.map { "\($0.enclosingFunction ?? "?"):\($0.field):\($0.expression)" } == [
        "demo_kernfs_release_file:release:ops->release",
        "demo_kernfs_fop_poll:poll:kn->attr.ops->poll",
      ])
    let cgroup = try file("kernel/cgroup/files.c", in: files)
    #expect(cgroup.dispatches.map(\.tableKind) == [.cftype, .cftype, .cftype])
    #expect(cgroup.dispatches.map(\.field) == ["open", "release", "poll"])
  }

  @Test func handlerBodiesHaveExtents() async throws {
    let facts = try file("drivers/demo/demo_kernfs.c", in: try await treeFacts())
    let release = try #require(facts.functions.first { $0.name == "demo_release" })
    #expect(release.isStatic)
    #expect(release.body.start.line == 12)
    #expect(release.body.end.line == 15)
  }

  @Test func positionalInitializersAreNamedByDeclarationOrder() throws {
    let path = (FixturePaths.fixtures + "/extraction") + "/positional.c"
    let facts = try FactExtractor.extract(
      path: path, arguments: ["-std=gnu11"], root: (FixturePaths.fixtures + "/extraction"))
    let table = try #require(facts.first?.tables.first)
    #expect(table.fields.map(\.name) == ["open", "release"])
    #expect(table.fields.map(\.handler) == ["positional_open", "positional_release"])
  }

  @Test func namesMadeWithTheCounterDoNotDependOnItsValue() throws {
    // compiletime_assert under -O2, as Kbuild compiles: a function named with __COUNTER__,
    // whose value depends on what was read before (a precompiled header is read first).
    let folder = FixturePaths.temporary("counter")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    func callees(_ before: String) throws -> [String] {
      let path = folder + "/unit.c"
      try """
      \(before)
      #define ___assert(c, p, s) do { extern void p ## s(void); if (!(c)) p ## s(); } while (0)
      #define __assert(c, p, s) ___assert(c, p, s)
      #define check_size(c) __assert(c, __compiletime_assert_, __COUNTER__)
      int demo(int value)
      {
      \tcheck_size(sizeof(int) == 4);
      \treturn value;
      }
      """.write(toFile: path, atomically: true, encoding: .utf8)
      let facts = try #require(
        try FactExtractor.extract(path: path, arguments: ["-std=gnu11"], root: folder).first)
      return facts.functions.flatMap { $0.calls.map(\.callee) }
    }
    let alone = try callees("")
    #expect(alone == ["__compiletime_assert_"])
    #expect(try callees("enum { used = __COUNTER__ + __COUNTER__ };") == alone)
  }

  @Test func unresolvedTablesAreDiagnosedNotDropped() throws {
    let path = (FixturePaths.fixtures + "/extraction") + "/unresolved.c"
    let facts = try #require(
      try FactExtractor.extract(
        path: path, arguments: ["-std=gnu11"], root: (FixturePaths.fixtures + "/extraction")
      )
      .first)
    #expect(facts.tables.isEmpty)
    #expect(
      facts.diagnostics.contains {
        $0.kind == .unresolvedTable && $0.message.contains("unresolved_ops")
      })
    #expect(facts.parseErrorCount > 0)
  }

  @Test func truncatedFilesStillYieldWhatParsed() throws {
    let path = (FixturePaths.fixtures + "/bad-input") + "/truncated.c"
    let facts = try #require(
      try FactExtractor.extract(
        path: path, arguments: ["-std=gnu11"], root: (FixturePaths.fixtures + "/bad-input")
      )
      .first)
    #expect(facts.parseErrorCount > 0)
    #expect(facts.functions.map(\.name) == ["truncated_open"])
  }

  @Test func missingFilesAreAnErrorValue() {
    #expect(throws: ExtractionError.self) {
      try FactExtractor.extract(
        path: (FixturePaths.fixtures + "/extraction") + "/does-not-exist.c", arguments: [],
        root: "/")
    }
  }
}
