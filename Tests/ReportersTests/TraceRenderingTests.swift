import Foundation
import Reporters
import SeverCore
import Testing

/// How a counterexample is shown: each step at the line it is about (SARIF, `--trace`), the
/// notes kept by default, the prose form of mail, and what code scanning ranks by.
@Suite struct TraceRenderingTests {
  static func at(_ line: Int) -> SeverCore.SourceLocation {
    SeverCore.SourceLocation(path: "kernel/cgroup/cgroup.c", line: line, column: 2)
  }

  /// The stale-priv finding in kernel/cgroup/cgroup.c of linux-6.12, as `sever check` reports
  /// it: four notes, seven steps.
  static let stalePriv = Finding(
    ruleID: "kernfs-stale-priv", severity: .error, confidence: .high,
    message: "ctx (a copy of of->priv) is used after cgroup_unlock() drops the lock",
    location: at(3934),
    notes: [
      .init(location: at(3895), message: "ctx = of->priv here"),
      .init(
        location: at(3922),
        message: "cgroup_unlock() drops cgroup_mutex, the lock that serialises release"),
      .init(location: at(3926), message: "re-checks of->priv, which stays non-NULL after release"),
      .init(
        location: at(4190),
        message: "cgroup_file_release frees of->priv and does not set it to NULL"),
    ],
    trace: Trace(
      violated: .K5,
      steps: [
        .init(event: "open(F1)", mirrors: "kernfs_fop_open", state: "N=active F1=opening"),
        .init(
          event: "open_done(F1)", mirrors: "cgroup_file_open", state: "N=active F1=open(priv live)"),
        .init(
          event: "op_begin(F1, write)", mirrors: "kernfs_fop_write_iter → kernfs_get_active_of",
          state: "N=active F1=open(priv live, path protected)"),
        .init(event: "break_active(F1)", mirrors: "cgroup_kn_lock_live", state: "N=active F1=open"),
        .init(
          event: "sever(N)", mirrors: "cgroup_rmdir → kernfs_drain_open_files",
          state: "N=removed F1=released(priv freed, path broken) P1=idle"),
        .init(event: "lock(F1, cgroup_mutex)", mirrors: "cgroup_lock", state: "N=removed lock=F1"),
        .init(event: "use_priv(F1)", mirrors: "of->priv", state: "✗ F1's path re-reads of->priv."),
      ],
      summary: "F1's path re-reads of->priv."),
    clauses: [.K5], fix: "Read of->priv again after taking the lock.",
    identity: Finding.Identity(rule: "kernfs-stale-priv", table: "cgroup_base_files[0]"))

  @Test func stepsPointAtTheLinesTheyAreAbout() {
    let lines = TraceRendering.stepLocations(of: Self.stalePriv).map(\.line)
    // open and open_done: nothing names them, so the finding; op_begin: the copy; break: the
    // unlock; sever: the release that frees; lock: the re-check; the violation: the finding.
    #expect(lines == [3934, 3934, 3895, 3922, 4190, 3926, 3934])
  }

  @Test func defaultNotesAreTheFirstTwoAndTheLast() {
    let kept = TraceRendering.causalNotes(Self.stalePriv.notes).map(\.location.line)
    #expect(kept == [3895, 3922, 4190])
    #expect(TraceRendering.causalNotes(Array(Self.stalePriv.notes.prefix(3))).count == 3)
  }

  /// A note at `path:line`.
  static func note(_ path: String, _ line: Int, _ message: String) -> Finding.Note {
    Finding.Note(
      location: SeverCore.SourceLocation(path: path, line: line, column: 1), message: message)
  }

  /// A poll-head finding's notes: registration is context, and of the module-capability chain
  /// only the last line is kept.
  @Test func registrationAndTheKbuildChainGiveWayToTheCause() {
    let notes = [
      Self.note("kernel/sched/pressure.c", 38, "struct cftype demo_pressure_files[0] pairs .poll"),
      Self.note("kernel/sched/pressure.c", 19, "poll handler: demo_pressure_poll → poll_wait"),
      Self.note("kernel/sched/pressure.c", 29, "freed here: demo_pressure_release → kfree"),
      Self.note("kernel/sched/pressure.c", 53, "registered with cgroup_add_dfl_cftypes()"),
      Self.note("kernel/sched/Makefile", 1, "built-in-only: obj-y += build_wrapper.o"),
      Self.note("Makefile", 2, "built-in-only: obj-y += kernel/sched/"),
    ]
    let kept = TraceRendering.causalNotes(notes).map { "\($0.location.path):\($0.location.line)" }
    #expect(
      kept == [
        "kernel/sched/pressure.c:38", "kernel/sched/pressure.c:19", "kernel/sched/pressure.c:29",
        "Makefile:2",
      ])
  }

  /// Of a chain with several Kconfig symbols, the one kept is the symbol of the object's own
  /// `obj-$(CONFIG_X)` line, not the directory's above it.
  @Test func theKeptKconfigLineIsTheObjectsOwnSymbol() {
    let notes = [
      Self.note("drivers/demo/demo_dbg.c", 16, "registered with debugfs_create_file() in dbg_init"),
      Self.note("drivers/demo/demo_dbg.c", 5, ".release = dbg_release is module text"),
      Self.note("drivers/demo/Makefile", 2, "module-capable: obj-$(CONFIG_DEMO_DBG) += demo_dbg.o"),
      Self.note("Makefile", 3, "module-capable: obj-$(CONFIG_DEMO_DRIVERS) += drivers/demo/"),
      Self.note("Kconfig", 6, "module-capable: config DEMO_DBG (tristate \"Demo debug files\")"),
      Self.note("Kconfig", 2, "module-capable: config DEMO_DRIVERS (tristate \"Demo drivers\")"),
    ]
    let kept = TraceRendering.causalNotes(notes).map { "\($0.location.path):\($0.location.line)" }
    #expect(kept == ["drivers/demo/demo_dbg.c:16", "drivers/demo/demo_dbg.c:5", "Kconfig:6"])
  }

  @Test func textIsCompactByDefaultAndFullWithTrace() throws {
    let report = Report(root: "/src/linux", findings: [Self.stalePriv], rules: [])
    let compact = try Reporters.render(
      report, format: .text, options: ReporterOptions(summary: false))
    #expect(compact.split(separator: "\n").count == 5, "\(compact)")
    #expect(!compact.contains("N=active"))
    let full = try Reporters.render(
      report, format: .text, options: ReporterOptions(summary: false, trace: true))
    #expect(full.split(separator: "\n").count == 1 + 4 + 7 + 1 + 1, "\(full)")
    #expect(
      full.contains(
        "kernel/cgroup/cgroup.c:4190:2: note: trace 5/7: sever(N) (cgroup_rmdir → "
          + "kernfs_drain_open_files) — N=removed"), "\(full)")
  }

  @Test func stateVectorsAreToldFromSentences() {
    #expect(TraceRendering.isStateVector("N=removed M=live F1=released(priv freed, path broken)"))
    #expect(TraceRendering.isStateVector("N=active lock=F1"))
    #expect(!TraceRendering.isStateVector("F1 open, t allocated"))
    #expect(!TraceRendering.isStateVector("✗ release is called for F1 after rmmod"))
  }

  @Test func proseHasNoStateVectors() throws {
    let trace = try #require(Self.stalePriv.trace)
    let prose = TraceRendering.prose(trace)
    #expect(!prose.contains("N=active"))
    #expect(
      prose.hasPrefix("F1 is opened (kernfs_fop_open); F1's open succeeds (cgroup_file_open)"))
    #expect(prose.contains("the node is removed, which releases its open files"))
    #expect(
      prose.hasSuffix(
        "then F1's handler uses of->priv (of->priv): F1's path re-reads of->priv (violates K5)."))
  }

  /// A commit message tells the trace in at most three sentences, the failure last.
  @Test func mailSentencesEndWithTheFailure() throws {
    let trace = try #require(Self.stalePriv.trace)
    let text = TraceRendering.sentences(trace)
    let sentences = text.split(separator: ". ").map(String.init)
    #expect(trace.steps.count > 3)
    #expect(sentences.count == 3, "\(text)")
    #expect(text.hasPrefix("F1 is opened (kernfs_fop_open); F1's open succeeds (cgroup_file_open)"))
    #expect(
      text.hasSuffix(
        "Then F1's handler uses of->priv (of->priv): F1's path re-reads of->priv (violates K5)."))
    #expect(!text.contains("N=active"))
  }

  @Test func sarifRulesCarrySecuritySeverityAndTheSecurityTag() throws {
    let rule = RuleDescription(
      id: "kernfs-stale-priv", name: "Kernfs Stale Priv", summary: "s", rationale: "r",
      clauses: [.K5], commits: [], cves: [], defaultSeverity: .error, confidence: .high, fix: "f",
      triggeringExamples: [], nonTriggeringExamples: [])
    let report = Report(root: "/src/linux", findings: [Self.stalePriv], rules: [rule])
    let sarif = try Reporters.render(report, format: .sarif)
    let log = try #require(
      try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    let properties = try #require(
      (driver["rules"] as? [[String: Any]])?.first?["properties"] as? [String: Any])
    #expect(properties["security-severity"] as? String == "8.0")
    #expect((properties["tags"] as? [String])?.contains("security") == true)
    let result = try #require((run["results"] as? [[String: Any]])?.first)
    let flow = try #require((result["codeFlows"] as? [[String: Any]])?.first)
    let steps = try #require(
      ((flow["threadFlows"] as? [[String: Any]])?.first?["locations"] as? [[String: Any]]))
    let lines = steps.compactMap { step -> Int? in
      let location = step["location"] as? [String: Any]
      let physical = location?["physicalLocation"] as? [String: Any]
      return (physical?["region"] as? [String: Any])?["startLine"] as? Int
    }
    #expect(lines == [3934, 3934, 3895, 3922, 4190, 3926, 3934])
  }
}
