import Foundation
import Rules
import SeverCore
import SeverTestSupport
import Testing

/// Every file under `Fixtures/rules/<rule-id>/`: `bad-*.c` must be flagged on exactly the lines
/// marked `/* expect: <rule-id> */`, `good-*.c` not at all. Files are parsed with the kernel-like
/// headers of `Fixtures/tree/include`; a file spelling MODULE_LICENSE is module code.
@Suite struct RuleFixtureTests {
  static let fixtures = FixturePaths.fixtures

  /// One fixture file and the rule its folder names.
  struct Case: CustomTestStringConvertible, Sendable {
    var rule: String
    var file: String
    var testDescription: String { "\(rule)/\(file)" }
  }

  static var cases: [Case] {
    let base = fixtures + "/rules"
    let folders = (try? FileManager.default.contentsOfDirectory(atPath: base))?.sorted() ?? []
    return folders.flatMap { folder in
      let files = (try? FileManager.default.contentsOfDirectory(atPath: base + "/" + folder)) ?? []
      return files.filter { $0.hasSuffix(".c") }.sorted().map { Case(rule: folder, file: $0) }
    }
  }

  @Test func everyRuleHasAFixtureFolder() {
    let folders = Set(Self.cases.map(\.rule))
    for id in allRuleDescriptions.map(\.id) {
      #expect(folders.contains(id), "Fixtures/rules/\(id)/ is missing")
    }
    #expect(folders.isSubset(of: Set(allRuleDescriptions.map(\.id))), "a folder names no rule")
  }

  @Test(arguments: cases) func fixtureFindingsMatchExpectations(_ fixture: Case) throws {
    let directory = Self.fixtures + "/rules/" + fixture.rule
    let path = directory + "/" + fixture.file
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let result = try RuleHarness.run(file: path, root: directory, rules: [fixture.rule])
    #expect(result.facts.parseErrorCount == 0, "fixtures are valid C")
    #expect(result.internalErrors.isEmpty)
    let found = result.findings.map(\.location.line).sorted()
    let expected = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
      .filter { $0.element.contains("expect: \(fixture.rule)") }.map { $0.offset + 1 }
    if fixture.file.hasPrefix("bad-") {
      #expect(!expected.isEmpty, "a bad fixture marks its lines")
    }
    if fixture.file.hasPrefix("good-") { #expect(expected.isEmpty) }
    #expect(found == expected)
    for finding in result.findings {
      #expect(finding.trace != nil, "every finding carries the model's trace")
    }
  }
}
