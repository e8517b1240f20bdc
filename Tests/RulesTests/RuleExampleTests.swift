import Extraction
import Foundation
import Rules
import SeverCore
import Testing

/// Every rule's examples run as tests (SwiftLint's model): triggering examples must produce a
/// finding where `↓` points, with a model trace; non-triggering examples must produce none.
@Suite struct RuleExampleTests {
  static let include =
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path + "/Fixtures/tree/include"

  static var ruleIDs: [String] { allRuleDescriptions.map(\.id) }

  /// Parses one example and runs one rule on it. Examples that spell MODULE_LICENSE are treated
  /// as module code, the others as built in.
  static func run(_ example: Example, rule id: String) throws -> (FileFacts, [Finding]) {
    let directory = NSTemporaryDirectory() + "sever-example-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/example.c"
    try example.strippingMarkers.write(toFile: path, atomically: true, encoding: .utf8)
    let facts = try FactExtractor.extract(
      path: path, arguments: ["-std=gnu11", "-I", include], root: directory)
    let module = example.code.contains("MODULE_LICENSE")
    let capability = ModuleCapability(
      path: "example.c", arch: "x86_64", verdict: module ? .moduleCapable : .builtInOnly)
    let context = RuleContext(files: facts, capabilities: ["example.c": capability])
    return (try #require(facts.first), runRules(context, only: [id]))
  }

  /// The 1-based line and column of each `↓` in the stripped text.
  static func markers(_ code: String) -> [SeverCore.SourceLocation] {
    var result: [SeverCore.SourceLocation] = []
    var line = 1
    var column = 1
    for character in code {
      if character == "↓" {
        result.append(SeverCore.SourceLocation(path: "example.c", line: line, column: column))
      } else if character == "\n" {
        line += 1
        column = 1
      } else {
        column += character.utf8.count
      }
    }
    return result
  }

  @Test(arguments: ruleIDs) func triggeringExamplesTrigger(_ id: String) throws {
    let description = try #require(allRuleDescriptions.first { $0.id == id })
    #expect(!description.triggeringExamples.isEmpty)
    for example in description.triggeringExamples {
      let location = Comment(rawValue: "example at \(example.file):\(example.line)")
      let (facts, findings) = try Self.run(example, rule: id)
      #expect(facts.parseErrorCount == 0, location)
      let expected = Self.markers(example.code)
      #expect(!expected.isEmpty, location)
      #expect(findings.map(\.location) == expected, location)
      for finding in findings {
        #expect(finding.trace != nil, "\(location): a finding without a model trace")
        #expect(finding.identity.first == id)
        #expect(!finding.notes.isEmpty)
      }
    }
  }

  @Test(arguments: ruleIDs) func nonTriggeringExamplesStayQuiet(_ id: String) throws {
    let description = try #require(allRuleDescriptions.first { $0.id == id })
    #expect(!description.nonTriggeringExamples.isEmpty)
    for example in description.nonTriggeringExamples {
      let location = Comment(rawValue: "example at \(example.file):\(example.line)")
      let (facts, findings) = try Self.run(example, rule: id)
      #expect(facts.parseErrorCount == 0, location)
      #expect(findings.isEmpty, "\(location): \(findings.map(\.message))")
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
