import Foundation
import Rules
import SeverCore
import SeverTestSupport
import Testing

/// Every rule's examples run as tests (SwiftLint's model): triggering examples must produce a
/// finding where `↓` points, with a model trace; non-triggering examples must produce none.
@Suite struct RuleExampleTests {
  static var ruleIDs: [String] { allRuleDescriptions.map(\.id) }

  @Test(arguments: ruleIDs) func triggeringExamplesTrigger(_ id: String) throws {
    let description = try #require(allRuleDescriptions.first { $0.id == id })
    #expect(!description.triggeringExamples.isEmpty)
    for example in description.triggeringExamples {
      let location = Comment(rawValue: "example at \(example.file):\(example.line)")
      let result = try RuleHarness.run(code: example.strippingMarkers, rules: [id])
      #expect(result.facts.parseErrorCount == 0, location)
      #expect(result.internalErrors.isEmpty, location)
      let expected = RuleHarness.markers(example.code)
      #expect(!expected.isEmpty, location)
      #expect(result.findings.map(\.location) == expected, location)
      for finding in result.findings {
        #expect(finding.trace != nil, "\(location): a finding without a model trace")
        #expect(finding.identity.rule == id)
        #expect(!finding.notes.isEmpty)
        if let severity = example.severity { #expect(finding.severity == severity, location) }
        if let words = example.message {
          #expect(finding.message.contains(words), "\(location): \(finding.message)")
        }
      }
    }
  }

  @Test(arguments: ruleIDs) func nonTriggeringExamplesStayQuiet(_ id: String) throws {
    let description = try #require(allRuleDescriptions.first { $0.id == id })
    #expect(!description.nonTriggeringExamples.isEmpty)
    for example in description.nonTriggeringExamples {
      let location = Comment(rawValue: "example at \(example.file):\(example.line)")
      let result = try RuleHarness.run(code: example.strippingMarkers, rules: [id])
      #expect(result.facts.parseErrorCount == 0, location)
      #expect(result.internalErrors.isEmpty, location)
      #expect(result.findings.isEmpty, "\(location): \(result.findings.map(\.message))")
    }
  }

  @Test func ruleIdentifiersAreUniqueAndDescribed() {
    let ids = Self.ruleIDs
    #expect(Set(ids).count == ids.count)
    for description in allRuleDescriptions {
      #expect(description.id.contains("-"))
      #expect(!description.clauses.isEmpty)
      #expect(!description.commits.isEmpty)
      #expect(description.rationale.count > 200)
    }
  }
}
