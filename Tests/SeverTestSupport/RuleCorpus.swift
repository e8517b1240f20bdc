import Foundation
import Rules
import SeverCore
import Testing

/// Every C file the rules are specified by: each rule's triggering and non-triggering examples
/// and each file under `Fixtures/rules/<rule-id>/`, with the lines its findings must be on.
public enum RuleCorpus {
  /// One C file, the rule it is written for, and where its findings must be (empty: none).
  public struct Case: CustomTestStringConvertible, Sendable {
    /// The rule id.
    public var rule: String
    /// `triggering 2`, `bad-x.c`, …
    public var name: String
    /// The C code, without `↓` markers.
    public var code: String
    /// The lines findings must be on.
    public var expectedLines: [Int]
    public var testDescription: String { "\(rule)/\(name)" }
  }

  /// The whole corpus, rules in `allRules` order, fixtures by folder and name.
  public static var cases: [Case] {
    var result: [Case] = []
    for description in allRuleDescriptions {
      for (index, example) in description.triggeringExamples.enumerated() {
        result.append(
          Case(
            rule: description.id, name: "triggering \(index + 1)", code: example.strippingMarkers,
            expectedLines: RuleHarness.markers(example.code).map(\.line)))
      }
      for (index, example) in description.nonTriggeringExamples.enumerated() {
        result.append(
          Case(
            rule: description.id, name: "non-triggering \(index + 1)",
            code: example.strippingMarkers, expectedLines: []))
      }
    }
    let base = FixturePaths.fixtures + "/rules"
    for folder in ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).sorted() {
      let files = (try? FileManager.default.contentsOfDirectory(atPath: base + "/" + folder)) ?? []
      for file in files.sorted() where file.hasSuffix(".c") {
        let code =
          (try? String(contentsOfFile: base + "/" + folder + "/" + file, encoding: .utf8)) ?? ""
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
          .filter { $0.element.contains("expect: \(folder)") }.map { $0.offset + 1 }
        result.append(Case(rule: folder, name: file, code: code, expectedLines: lines))
      }
    }
    return result
  }
}

extension Finding.Identity {
  /// An identity from its parts in fingerprint order (rule, table, handler, field, detail), for
  /// tests that make findings by hand.
  public init(testComponents parts: [String]) {
    self.init(
      rule: parts[0], table: parts.count > 1 ? parts[1] : nil,
      handler: parts.count > 2 ? parts[2] : nil, field: parts.count > 3 ? parts[3] : nil,
      detail: parts.count > 4 ? parts[4...].joined(separator: "|") : nil)
  }
}
