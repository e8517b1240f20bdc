import Extraction
import Foundation
import Rules
import SeverCore
import Testing

/// Runs every file of `Fixtures/rules/<rule-id>/` through extraction and its rule: a file's
/// findings must sit exactly on the lines marked `/* expect: <rule-id> */`, `bad-*` files must
/// have at least one and `good-*` files none. Generic over rule ids: a folder may exist for any
/// rule, and rules without a folder are not required to have one.
@Suite struct RuleFixtureFolderTests {
  static let root =
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path + "/Fixtures/rules"

  /// The rule folders present, sorted.
  static var folders: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    return names.filter { name in
      var isDirectory: ObjCBool = false
      return FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory)
        && isDirectory.boolValue
    }.sorted()
  }

  @Test(arguments: folders) func folderMatchesItsRule(_ id: String) throws {
    #expect(allRuleDescriptions.contains { $0.id == id }, "no rule named \(id)")
    let directory = Self.root + "/" + id
    let files = try FileManager.default.contentsOfDirectory(atPath: directory)
      .filter { $0.hasSuffix(".c") }.sorted()
    #expect(files.contains { $0.hasPrefix("bad-") }, "\(id) needs a bad-*.c fixture")
    #expect(files.contains { $0.hasPrefix("good-") }, "\(id) needs a good-*.c fixture")
    for file in files {
      let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
      #expect(text.hasPrefix("/*"), "\(id)/\(file): the first line says what it shows")
      #expect(file.hasPrefix("bad-") || file.hasPrefix("good-"), "\(id)/\(file)")
      let expected = Self.expectedLines(text, id: id)
      if file.hasPrefix("bad-") {
        #expect(!expected.isEmpty, "\(id)/\(file) marks no line")
      } else {
        #expect(expected.isEmpty, "\(id)/\(file) is good but expects findings")
      }
      let (parseErrors, findings) = try Self.run(text, rule: id)
      #expect(parseErrors == 0, "\(id)/\(file) must be valid C")
      #expect(
        findings.map(\.location.line).sorted() == expected,
        "\(id)/\(file): \(findings.map { "\($0.location.line): \($0.message)" })")
      for finding in findings {
        #expect(finding.trace != nil, "\(id)/\(file): a finding without a trace")
        #expect(finding.identity.first == id)
      }
    }
  }

  /// The 1-based lines carrying `/* expect: <id> */`.
  static func expectedLines(_ text: String, id: String) -> [Int] {
    let marker = "/* expect: \(id) */"
    return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
      .compactMap { $0.element.contains(marker) ? $0.offset + 1 : nil }
  }

  /// Parses a fixture and runs one rule; files spelling `MODULE_LICENSE` are module code.
  static func run(_ text: String, rule id: String) throws -> (Int, [Finding]) {
    let directory = NSTemporaryDirectory() + "sever-fixture-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/fixture.c"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let facts = try FactExtractor.extract(
      path: path, arguments: ["-std=gnu11", "-I", RuleExampleTests.include], root: directory)
    let capability = ModuleCapability(
      path: "fixture.c", arch: "x86_64",
      verdict: text.contains("MODULE_LICENSE") ? .moduleCapable : .builtInOnly)
    let context = RuleContext(files: facts, capabilities: ["fixture.c": capability])
    return (facts.map(\.parseErrorCount).reduce(0, +), runRules(context, only: [id]))
  }
}
