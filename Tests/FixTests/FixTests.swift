import Foundation
import Rules
import SeverCore
import SeverKit
import SeverTestSupport
import Testing

@testable import Fix

/// The pieces of `sever fix` below the command line: diffs from line edits, subject prefixes,
/// finding ids, and the refusals when a file changed after the check.
@Suite struct FixTests {
  static let cache = FixturePaths.temporary("fix-cache")

  @Test func anInsertionIsAHunkWithThreeLinesOfContext() {
    let old = FileText(bytes: Array("a\nb\nc\nd\ne\nf\ng\nh\n".utf8))
    let edit = LineEdit(path: "x.c", line: 5, inserting: ["new"])
    #expect(
      UnifiedDiff.render(path: "x.c", old: old, edits: [edit])
        == """
        diff --git a/x.c b/x.c
        --- a/x.c
        +++ b/x.c
        @@ -2,6 +2,7 @@
         b
         c
         d
        +new
         e
         f
         g

        """)
    #expect(old.applying([edit])?.lines == ["a", "b", "c", "d", "new", "e", "f", "g", "h"])
  }

  @Test func nearEditsShareAHunkAndFarOnesDoNot() {
    let old = FileText(bytes: Array((1...30).map { "l\($0)\n" }.joined().utf8))
    let edits = [
      LineEdit(path: "x.c", line: 2, removing: ["l2"], inserting: ["L2"]),
      LineEdit(path: "x.c", line: 6, inserting: ["n"]),
      LineEdit(path: "x.c", line: 25, inserting: ["m"]),
    ]
    let diff = UnifiedDiff.render(path: "x.c", old: old, edits: edits)
    let headers = diff.split(separator: "\n").filter { $0.hasPrefix("@@") }
    #expect(headers == ["@@ -1,8 +1,9 @@", "@@ -22,6 +23,7 @@"])
    #expect(old.applying(edits)?.lines.count == 32)
    // An edit whose lines are no longer there does not apply.
    #expect(old.applying([LineEdit(path: "x.c", line: 3, removing: ["l2"], inserting: [])]) == nil)
  }

  @Test func thePrefixIsTheHistorysMostUsedOne() throws {
    let subjects = [
      "ASoC: SOF: ipc3: Fix a leak: really", "Merge branch 'x'", "ASoC: SOF: ipc3: tidy",
      "sof: old style", "ASoC: SOF: ipc3: Use helpers",
    ]
    let prefix = try #require(FixMail.prefix(fromSubjects: subjects))
    #expect(prefix.prefix == "ASoC: SOF: ipc3")
    #expect(prefix.capitalized)
    #expect(FixMail.prefix(fromSubjects: ["no prefix here"]) == nil)
    // Among equals, the most recent (the history is newest first).
    #expect(FixMail.prefix(fromSubjects: ["b: x", "a: y"])?.prefix == "b")
  }

  @Test func withoutHistoryThePrefixComesFromTheDirectory() {
    #expect(
      FixMail.prefix(fromPath: "drivers/net/wireless/intel/iwlwifi/fw/debugfs.c") == "iwlwifi: fw")
    #expect(FixMail.prefix(fromPath: "kernel/cgroup/cgroup.c") == "cgroup")
    #expect(FixMail.prefix(fromPath: "drivers/acpi/acpi_dbg.c") == "acpi")
    #expect(FixMail.prefix(fromPath: "sound/core/timer.c") == "sound: core")
  }

  @Test func paragraphsWrapAtSeventyTwoColumns() {
    let text = String(repeating: "word ", count: 40) + String(repeating: "x", count: 80)
    let lines = FixMail.wrap(text, width: 72).split(separator: "\n")
    #expect(lines.dropLast().allSatisfy { $0.count <= 72 })
    #expect(lines.last?.count == 80)
  }

  /// Two tables of one file that fail the same way: the mail tells the trace once, and each
  /// table's bug and change.
  @Test func aMailTellsACounterexampleOnce() {
    let trace = Trace(
      violated: .D1,
      steps: [
        Trace.Step(event: "open(F1)", state: "F1 open"),
        Trace.Step(event: "rmmod(M)", state: "the module's data is freed"),
      ], summary: "s")
    let fixes = ["a_fops", "b_fops"].map { table in
      var found = finding("x.c", table: table)
      found.trace = trace
      return FixedFinding(
        finding: found,
        proposal: FixProposal(
          edits: [], action: "set .owner in", target: table, change: "Set it in \(table).",
          introducedAt: []))
    }
    let mail = FixMail(
      patch: FilePatch(paths: ["x.c"], fixes: fixes, originals: [:], edited: [:]),
      from: "T <t@example.org>", date: Date(timeIntervalSince1970: 0), prefix: "x",
      capitalized: false, fixes: [])
    #expect(mail.body.components(separatedBy: "As sever's model").count == 2, "\(mail.body)")
    #expect(mail.body.contains("Set it in a_fops.") && mail.body.contains("Set it in b_fops."))
    #expect(mail.subject == "x: set .owner in a_fops and b_fops")

    // Traces that name their table differ only there: told once, for the first table.
    var named = fixes
    for index in named.indices {
      let table = named[index].finding.identity.table ?? ""
      named[index].finding.trace = Trace(
        violated: .D1,
        steps: [Trace.Step(event: "open(F1)", state: "fops_get(\(table)) pins nothing")],
        summary: "s")
    }
    let alike = FixMail(
      patch: FilePatch(paths: ["x.c"], fixes: named, originals: [:], edited: [:]),
      from: "T <t@example.org>", date: Date(timeIntervalSince1970: 0), prefix: "x",
      capitalized: false, fixes: [])
    #expect(alike.body.components(separatedBy: "As sever's model").count == 2, "\(alike.body)")
    #expect(
      alike.body.replacingOccurrences(of: "\n", with: " ")
        .contains("runs it for a_fops (the other tables alike): F1 is opened"), "\(alike.body)")

    // A third table that fails another way gets its own trace; the alike ones are named.
    var third = named[0]
    third.finding.identity = Finding.Identity(rule: "fops-missing-owner", table: "c_fops")
    third.finding.trace = trace
    let mixed = FixMail(
      patch: FilePatch(paths: ["x.c"], fixes: named + [third], originals: [:], edited: [:]),
      from: "T <t@example.org>", date: Date(timeIntervalSince1970: 0), prefix: "x",
      capitalized: false, fixes: [])
    let text = mixed.body.replacingOccurrences(of: "\n", with: " ")
    #expect(text.components(separatedBy: "As sever's model").count == 3, "\(mixed.body)")
    #expect(text.contains("runs it for a_fops (and alike for b_fops): F1 is opened"))
  }

  @Test func findingsAreNamedByFingerprintOrByTheirReportHash() throws {
    let findings = [
      finding("a.c", table: "a_fops"), finding("b.c", table: "b_fops"),
    ]
    let hash = StableHash.fingerprints(findings)[1]
    #expect(
      try FindingSelection.select(["fops-missing-owner|a_fops"], from: findings).map(\.location)
        == [findings[0].location])
    #expect(
      try FindingSelection.select([String(hash.prefix(8))], from: findings).map(\.location)
        == [findings[1].location])
    #expect(try FindingSelection.select([], from: findings).count == 2)
    let error = #expect(throws: FindingSelection.UnknownID.self) {
      try FindingSelection.select(["fops-missing-owner|c_fops"], from: findings)
    }
    #expect(
      error?.description.contains("no finding of this run has the id 'fops-missing-owner|c_fops'")
        == true)
    #expect(error?.suggestion == "fops-missing-owner|a_fops")
    // Too short to be a hash.
    #expect(throws: FindingSelection.UnknownID.self) {
      try FindingSelection.select([String(hash.prefix(4))], from: findings)
    }
  }

  private func finding(_ path: String, table: String) -> Finding {
    Finding(
      ruleID: "fops-missing-owner", severity: .error, confidence: .high, message: "m",
      location: SourceLocation(path: path, line: 1, column: 1),
      identity: Finding.Identity(rule: "fops-missing-owner", table: table))
  }

  /// A copy of the fixture tree, checked; the outcome and when the check began.
  static func checkedTree() async throws -> (root: String, outcome: Pipeline.Outcome, started: Int)
  {
    let root = try FixturePaths.copyOfTree()
    var request = Pipeline.Request(
      options: CheckOptions(paths: [root], jobs: 1, cacheBase: cache), rules: ["fops-missing-owner"]
    )
    request.useMemo = false
    let started = Int(Date().timeIntervalSince1970 * 1_000_000_000)
    let outcome = try await Pipeline.check(request)
    return (root, outcome, started)
  }

  @Test func aFileChangedSinceTheCheckIsNotFixed() async throws {
    let (root, outcome, started) = try await Self.checkedTree()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let findings = outcome.report.findings
    #expect(findings.map(\.fingerprint) == ["fops-missing-owner|demo_raw_fops"])
    // Unchanged: one patch.
    let fresh = FixPlanner.plan(
      findings, files: outcome.check.files, tree: SourceTree(root: root), checkStarted: started)
    #expect(fresh.patches.count == 1 && fresh.left.isEmpty)

    // Edited after the check began: refused, and said so.
    let file = root + "/drivers/demo/demo_debugfs.c"
    let text = try String(contentsOfFile: file, encoding: .utf8)
    try ("/* a new first line */\n" + text).write(toFile: file, atomically: true, encoding: .utf8)
    let changed = FixPlanner.plan(
      findings, files: outcome.check.files, tree: SourceTree(root: root), checkStarted: started)
    #expect(changed.patches.isEmpty)
    #expect(
      changed.left.first?.reason.contains("drivers/demo/demo_debugfs.c changed since the check")
        == true, "\(changed.left)")

    // Edited with its time set back: the facts no longer match the text, which is said too.
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: file)
    let stale = FixPlanner.plan(
      findings, files: outcome.check.files, tree: SourceTree(root: root), checkStarted: started)
    #expect(stale.patches.isEmpty)
    #expect(
      stale.left.first?.reason.contains("the file changed since the check") == true,
      "\(stale.left)")
  }

  @Test func writingInPlaceRefusesAFileEditedAfterThePlan() async throws {
    let (root, outcome, started) = try await Self.checkedTree()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let tree = SourceTree(root: root)
    let plan = FixPlanner.plan(
      outcome.report.findings, files: outcome.check.files, tree: tree, checkStarted: started)
    let patch = try #require(plan.patches.first)
    let file = root + "/drivers/demo/demo_debugfs.c"
    let edited = try String(contentsOfFile: file, encoding: .utf8) + "/* mine */\n"
    try edited.write(toFile: file, atomically: true, encoding: .utf8)
    let failures = PatchSeries.writeInPlace(patch, tree: tree)
    #expect(failures.map(\.path) == ["drivers/demo/demo_debugfs.c"])
    #expect(failures.first?.reason.contains("changed since the check") == true)
    #expect(try String(contentsOfFile: file, encoding: .utf8) == edited)
  }

  @Test func pathsLeavingTheTreeAreNotRead() throws {
    let root = try FixturePaths.copyOfTree()
    defer { try? FileManager.default.removeItem(atPath: root) }
    try FileManager.default.createSymbolicLink(
      atPath: root + "/drivers/demo/outside.c", withDestinationPath: "/etc/hostname")
    let tree = SourceTree(root: root)
    #expect(tree.bytes("drivers/demo/demo_proc.c") != nil)
    #expect(tree.bytes("../tree/Kconfig") == nil)
    #expect(tree.bytes("/etc/hostname") == nil)
    #expect(tree.bytes("drivers/demo/outside.c") == nil)
  }
}
