import Foundation
import SeverCore
import SeverSupport
import Testing

@testable import SeverConfiguration

/// Inline `sever: ignore[…] reason` comments.
@Suite struct SuppressionTests {
  @Test(arguments: [
    ("x; /* sever: ignore[rule-a] the reason */", ["rule-a"], "the reason"),
    ("// sever: ignore[rule-a,rule-b] built in", ["rule-a", "rule-b"], "built in"),
    ("// sever: ignore[ rule-a , rule-b ]: reason", ["rule-a", "rule-b"], "reason"),
    ("// sever:ignore[rule-a] — reason", ["rule-a"], "reason"),
    (" * sever: ignore[rule-a] in a block comment", ["rule-a"], "in a block comment"),
  ])
  func parsesSuppressions(line: String, rules: [String], reason: String) {
    let parsed = Suppression.parse(line: line, path: "a.c", line: 3)
    #expect(parsed.count == 1)
    #expect(parsed.first?.ruleIDs == rules)
    #expect(parsed.first?.reason == reason)
    #expect(parsed.first?.location.line == 3)
  }

  @Test(arguments: [
    "/* sever: ignore[rule-a] */",
    "// sever: ignore[rule-a]",
    "// sever: ignore[rule-a] -- ",
  ])
  func missingReason(line: String) {
    let parsed = Suppression.parse(line: line, path: "a.c", line: 1)
    #expect(parsed.count == 1)
    #expect(parsed.first?.reason == nil)
  }

  @Test(arguments: [
    "printf(\"sever: ignore[rule-a] not a comment\");",
    "// sever: ignore rule-a reason",
    "// sever: ignore[rule-a reason",
    "",
  ])
  func notSuppressions(line: String) {
    #expect(Suppression.parse(line: line, path: "a.c", line: 1).isEmpty)
  }

  @Test func twoSuppressionsOnOneLine() {
    let parsed = Suppression.parse(
      line: "/* sever: ignore[a] one */ /* sever: ignore[b] two */", path: "a.c", line: 1)
    #expect(parsed.map(\.ruleIDs) == [["a"], ["b"]])
    #expect(parsed.map(\.reason) == ["one", "two"])
  }

  /// The suppression facts of the fixture source, as extraction reads them.
  static func suppressions() throws -> [String: [Suppression]] {
    let path = "drivers/demo/source.c"
    let text = try String(contentsOfFile: ConfigFixtures.path("good/" + path), encoding: .utf8)
    return [path: Suppression.scan(Array(text.utf8), path: path)]
  }

  static let known: Set<String> = [
    "kernfs-poll-head-lifetime", "kernfs-call-after-release", "procfs-poll-exit-drain",
    "kernfs-stale-priv",
  ]

  @Test func filterUsesTheSuppressionFacts() throws {
    let filter = SuppressionFilter(suppressions: try Self.suppressions(), knownRules: Self.known)
    let findings = [
      ConfigFixtures.finding(line: 4),  // same-line suppression with a reason
      ConfigFixtures.finding(line: 8),  // suppression on the line above, two rules
      ConfigFixtures.finding("kernfs-call-after-release", line: 8),
      ConfigFixtures.finding("procfs-poll-exit-drain", line: 8),  // not named there
      ConfigFixtures.finding(line: 10),  // no reason: kept, and a problem
      ConfigFixtures.finding(line: 12),  // another rule's suppression
      ConfigFixtures.finding(path: "missing.c", line: 1),  // no facts: kept
    ]
    let result = filter.apply(to: findings)
    #expect(result.kept.map(\.location.line) == [8, 10, 12, 1])
    #expect(result.kept.map(\.ruleID)[0] == "procfs-poll-exit-drain")
    #expect(result.suppressed.map(\.finding.location.line) == [4, 8, 8])
    #expect(result.suppressed.first?.reason == "the head is on->poll, checked by hand")
    #expect(result.suppressed.last?.reason == "built-in only: obj-y")
    #expect(result.suppressed.last?.suppression.line == 7)
    #expect(result.problems.count == 1)
    #expect(
      result.problems.first?.location
        == SourceLocation(path: "drivers/demo/source.c", line: 10, column: 24))
    #expect(result.problems.first?.message.contains("has no reason") == true)
    #expect(result.problems.first?.toolDiagnostic.kind == .invalidSuppression)
  }

  @Test func aSuppressionNamingNoRuleIsReportedWithTheNearestRule() {
    let path = "drivers/demo/x.c"
    let suppressions = Suppression.scan(
      Array("int a; /* sever: ignore[kernfs-poll-head-lifetim] a typo */\n".utf8), path: path)
    let result = SuppressionFilter(suppressions: [path: suppressions], knownRules: Self.known)
      .apply(to: [])
    #expect(result.problems.count == 1)
    #expect(
      result.problems.first?.message
        == "the suppression names 'kernfs-poll-head-lifetim', which is no rule of sever, so it "
        + "suppresses nothing; did you mean 'kernfs-poll-head-lifetime'?")
  }

  @Test func scanFindsSuppressionsOnCRLFLinesAndNowhereElse() {
    let text = "int a;\r\n// sever: ignore[r] why\r\nint b; /* sever: note */\n"
    let found = Suppression.scan(Array(text.utf8), path: "a.c")
    #expect(found.map(\.location.line) == [2])
    #expect(found.first?.reason == "why")
    #expect(Suppression.scan(Array("int a;\n".utf8), path: "a.c").isEmpty)
  }
}

/// The whole filter: configuration, then suppressions, then baseline.
@Suite struct FindingFilterTests {
  @Test func appliesAllThreeInOrder() throws {
    let root = ConfigFixtures.path("good")
    let configuration = try Configuration.load(file: ConfigFixtures.path("good/.sever.yml"))
    let findings = [
      ConfigFixtures.finding(line: 4),  // suppressed in the source
      ConfigFixtures.finding("procfs-poll-exit-drain", line: 2),  // disabled
      ConfigFixtures.finding(path: "drivers/staging/a.c", line: 1),  // excluded
      ConfigFixtures.finding(line: 10),  // reasonless suppression: reported, problem
      ConfigFixtures.finding(line: 12),  // baselined below
    ]
    let baseline = Baseline(findings: [findings[4]])
    let outcome = FindingFilter(
      configuration: configuration, root: root, baseline: baseline,
      suppressions: try SuppressionTests.suppressions(), knownRules: SuppressionTests.known
    ).apply(to: findings)
    #expect(outcome.reported.map(\.location.line) == [10])
    #expect(outcome.reported.first?.severity == .warning)
    #expect(outcome.suppressed.map(\.finding.location.line) == [4])
    #expect(outcome.baselined.map(\.location.line) == [12])
    #expect(outcome.droppedByConfiguration == 2)
    #expect(outcome.hidden == HiddenFindings(configuration: 2, suppressed: 1, baseline: 1))
    #expect(
      outcome.hidden.description
        == "1 hidden by the baseline, 1 suppressed, 2 dropped by the configuration")
    #expect(outcome.problems.count == 1)
    #expect(
      outcome.suppressed.first?.description
        == "drivers/demo/source.c:4:1: note: suppressed [kernfs-poll-head-lifetime] at "
        + "drivers/demo/source.c:4:15: the head is on->poll, checked by hand")
  }
}
