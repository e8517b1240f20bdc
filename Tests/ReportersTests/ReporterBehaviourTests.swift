import Foundation
import SeverCore
import Testing

@testable import Reporters

/// Ordering, limits, colour, severity mappings and fingerprints.
@Suite struct ReporterBehaviourTests {
  @Test func githubEmitsAtMostTenPerLevelAndFiftyPerJob() throws {
    var findings: [Finding] = []
    for line in 1...30 {
      findings.append(ReportFixtures.finding(severity: .error, line: line))
      findings.append(ReportFixtures.finding(severity: .warning, line: line))
      findings.append(ReportFixtures.finding(severity: .note, line: line))
    }
    let report = Report(root: "/src", findings: findings, rules: [])
    let output = try Reporters.render(report, format: .github)
    let lines = output.split(separator: "\n")
    #expect(lines.filter { $0.hasPrefix("::error ") }.count == 10)
    #expect(lines.filter { $0.hasPrefix("::warning ") }.count == 10)
    #expect(lines.filter { $0.hasPrefix("::notice ") }.count == 10)
    #expect(output.contains("sever: 60 more findings were not annotated"))

    let tight = ReporterOptions(annotationLimits: AnnotationLimits(perLevel: 10, perJob: 15))
    let limited = try Reporters.render(report, format: .github, options: tight)
    #expect(limited.split(separator: "\n").filter { $0.hasPrefix("::") }.count == 15)
  }

  @Test func githubAnnotatesChangedLinesFirst() throws {
    let findings = (1...20).map { ReportFixtures.finding(severity: .error, line: $0) }
    let report = Report(root: "/src", findings: findings, rules: [])
    let options = ReporterOptions(changedLines: ChangedLines(["fs/a.c": [18...19]]))
    let output = try Reporters.render(report, format: .github, options: options)
    let commands = output.split(separator: "\n").filter { $0.hasPrefix("::error") }
    #expect(commands.count == 10)
    #expect(commands[0].contains("line=18,"))
    #expect(commands[1].contains("line=19,"))
    #expect(commands[2].contains("line=1,"))
  }

  @Test func githubMakesRootPathsRelativeAndRefusesOthers() throws {
    let inside = ReportFixtures.finding(path: "/src/linux/fs/a.c")
    let report = Report(root: "/src/linux", findings: [inside], rules: [])
    #expect(try Reporters.render(report, format: .github).contains("file=fs/a.c,"))
    let outside = Report(
      root: "/src/linux", findings: [ReportFixtures.finding(path: "/tmp/a.c")], rules: [])
    #expect(throws: ReportersError.absolutePath("/tmp/a.c", format: .github)) {
      try Reporters.render(outside, format: .github)
    }
  }

  @Test func stepSummaryAppends() throws {
    let path = NSTemporaryDirectory() + "sever-summary-\(UUID().uuidString).md"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try "earlier step\n".write(toFile: path, atomically: true, encoding: .utf8)
    let report = Report(root: "/src", findings: [ReportFixtures.finding()], rules: [])
    try GitHubStepSummary.append(report, to: path)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.hasPrefix("earlier step\n## sever: 1 error, 0 warnings, 0 notes"))
    #expect(text.contains("| error | fs/a.c:1:1 | kernfs-poll-head-lifetime | m |  |"))
  }

  @Test func stepSummaryReportsUnwritablePath() {
    let report = Report(root: "/src", findings: [], rules: [])
    #expect(throws: ReportersError.self) {
      try GitHubStepSummary.append(report, to: "/nonexistent-dir/summary.md")
    }
  }

  @Test func textColoursOnlyWhenAsked() throws {
    let report = Report(root: "/src", findings: [ReportFixtures.finding()], rules: [])
    let plain = try Reporters.render(report, format: .text)
    #expect(!plain.contains("\u{1B}["))
    let coloured = try Reporters.render(
      report, format: .text, options: ReporterOptions(colorize: true))
    #expect(coloured.contains("\u{1B}[1;31merror:\u{1B}[0m"))
  }

  @Test func textSummaryCountsAndDiagnostics() {
    let report = Report(
      root: "/src",
      findings: [
        ReportFixtures.finding(severity: .warning),
        ReportFixtures.finding(severity: .warning, line: 2),
      ],
      rules: [],
      diagnostics: [ToolDiagnostic(kind: .parseError, path: "fs/b.c", message: "x")])
    #expect(
      TextReporter.summary(report) == "sever: 0 errors, 2 warnings, 0 notes; 1 tool diagnostic")
    #expect(Reporters.diagnosticLines(report) == "fs/b.c: warning: x [sever-parse-error]\n")
  }

  @Test func gitlabFingerprintsAreUniqueAndStableAcrossLineShifts() throws {
    let identity = ["rule", "table", "field"]
    let a = ReportFixtures.finding(line: 10, identity: identity)
    let b = ReportFixtures.finding(line: 20, identity: identity)
    let first = try gitlabFingerprints(Report(root: "/", findings: [a, b], rules: []))
    #expect(Set(first).count == 2)
    let shifted = [a, b].map { finding -> Finding in
      var moved = finding
      moved.location.line += 7
      return moved
    }
    #expect(try gitlabFingerprints(Report(root: "/", findings: shifted, rules: [])) == first)
  }

  @Test(arguments: [
    (Severity.error, Finding.Confidence.high, "critical"),
    (.error, .low, "major"),
    (.warning, .high, "major"),
    (.warning, .moderate, "minor"),
    (.note, .high, "info"),
  ])
  func gitlabSeverity(severity: Severity, confidence: Finding.Confidence, expected: String) {
    var finding = ReportFixtures.finding(severity: severity)
    finding.confidence = confidence
    #expect(GitLabReporter.severity(finding) == expected)
  }

  @Test func sarifLevelsAndLineClamping() throws {
    var finding = ReportFixtures.finding(severity: .note)
    finding.location.column = 0
    let report = Report(root: "/src", findings: [finding], rules: [])
    let output = try Reporters.render(report, format: .sarif)
    #expect(output.contains("\"level\" : \"note\""))
    #expect(output.contains("\"startColumn\" : 1"))
    #expect(!output.contains("\"startColumn\" : 0"))
  }

  @Test func stableHashKnownValues() {
    // FNV-1a 64 of "" is the offset basis; of "a" it is af63dc4c8601ec8c.
    #expect(StableHash.fnv1a([], basis: 0xcbf2_9ce4_8422_2325) == 0xcbf2_9ce4_8422_2325)
    #expect(
      StableHash.fnv1a(Array("a".utf8), basis: 0xcbf2_9ce4_8422_2325) == 0xaf63_dc4c_8601_ec8c)
    #expect(StableHash.hex("a").count == 32)
    #expect(StableHash.hex("a") == StableHash.hex("a"))
    // Inputs differing in the last byte differ in the leading digits too.
    #expect(StableHash.hex("x#0").prefix(4) != StableHash.hex("x#1").prefix(4))
  }

  @Test func changedLinesFromUnifiedDiff() {
    let diff = """
      diff --git a/fs/a.c b/fs/a.c
      --- a/fs/a.c
      +++ b/fs/a.c
      @@ -10,2 +10,3 @@ static int f(void)
      +x
      @@ -40 +42 @@
      +y
      @@ -50,3 +52,0 @@
      diff --git a/fs/gone.c b/fs/gone.c
      --- a/fs/gone.c
      +++ /dev/null
      @@ -1,3 +0,0 @@
      """
    let lines = ChangedLines(unifiedDiff: diff)
    #expect(lines.contains(path: "fs/a.c", line: 10))
    #expect(lines.contains(path: "fs/a.c", line: 12))
    #expect(!lines.contains(path: "fs/a.c", line: 13))
    #expect(lines.contains(path: "fs/a.c", line: 42))
    #expect(!lines.contains(path: "fs/a.c", line: 52))
    #expect(lines.ranges["fs/gone.c"] == nil)
  }

  private func gitlabFingerprints(_ report: Report) throws -> [String] {
    let output = try Reporters.render(report, format: .gitlab)
    let array = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]] ?? []
    return array.compactMap { $0["fingerprint"] as? String }
  }
}

@Test func changedLinesReadCRLFDiffsAndIgnoreImpossibleNumbers() {
  let lines = ChangedLines(
    unifiedDiff: "+++ b/a.c\r\n@@ -1 +3,2 @@\r\n+++ b/b.c\r\n"
      + "@@ -1 +9223372036854775807,9223372036854775807 @@\r\n")
  #expect(lines.contains(path: "a.c", line: 4))
  #expect(!lines.contains(path: "a.c", line: 5))
  #expect(!lines.contains(path: "b.c", line: 1))
}
