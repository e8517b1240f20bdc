import Foundation
import Rules
import SeverCore
import SeverTestSupport
import Testing

/// Findings must not depend on the order in which functions and tables are written: every rule
/// example and every rule fixture, with its top-level definitions permuted under several seeds,
/// gives the same findings (compared without line numbers, which a permutation moves).
@Suite struct PermutationTests {
  static var cases: [RuleCorpus.Case] { RuleCorpus.cases }

  /// A finding without its locations: rule, identity, severity, confidence, message, the note
  /// messages as a sorted list, and the trace's events.
  static func signature(_ findings: [Finding]) -> [String] {
    findings.map { finding in
      ([
        finding.ruleID, finding.fingerprint, finding.severity.rawValue, finding.confidence.rawValue,
        finding.message,
      ] + finding.notes.map(\.message).sorted()
        + (finding.trace?.steps.map(\.event) ?? [])).joined(separator: "\n")
    }.sorted()
  }

  @Test(arguments: cases) func findingsDoNotDependOnDefinitionOrder(_ input: RuleCorpus.Case) throws
  {
    let original = try RuleHarness.run(code: input.code, rules: [input.rule])
    try #require(original.facts.parseErrorCount == 0)
    let expected = Self.signature(original.findings)
    for seed: UInt64 in [1, 2, 3, 4] {
      let permuted = TopLevelPermuter.permute(input.code, seed: seed)
      let result = try RuleHarness.run(code: permuted, rules: [input.rule])
      #expect(result.facts.parseErrorCount == 0, "seed \(seed) made invalid C:\n\(permuted)")
      #expect(result.internalErrors.isEmpty)
      #expect(
        Self.signature(result.findings) == expected,
        "seed \(seed) changes the findings of\n\(permuted)")
    }
  }

  @Test func permutationsMoveDefinitions() {
    // The test above is only as good as its permutations: the fixtures have definitions to move,
    // and different seeds give different orders.
    let fixture = Self.cases.first { $0.name == "bad-shared-helper-chain.c" }
    let code = fixture?.code ?? ""
    #expect(TopLevelPermuter.movableCount(code) == 15)
    #expect(TopLevelPermuter.permute(code, seed: 1) != TopLevelPermuter.permute(code, seed: 2))
  }
}
