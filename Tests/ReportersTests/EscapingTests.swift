import Foundation
import SeverCore
import Testing

@testable import Reporters

/// Commas, colons, newlines and percent signs in messages and paths, in every sink.
@Suite struct EscapingTests {
  @Test(arguments: [
    ("plain", "plain"),
    ("100%", "100%25"),
    ("a\nb", "a%0Ab"),
    ("a\r\nb", "a%0D%0Ab"),
    ("a,b:c", "a,b:c"),
    ("%0A", "%250A"),
  ])
  func workflowData(input: String, expected: String) {
    #expect(WorkflowCommand.escapeData(input) == expected)
  }

  @Test(arguments: [
    ("drivers/odd dir/a,b:c%d.c", "drivers/odd dir/a%2Cb%3Ac%25d.c"),
    ("x\ny", "x%0Ay"),
    ("title: a, b", "title%3A a%2C b"),
  ])
  func workflowProperty(input: String, expected: String) {
    #expect(WorkflowCommand.escapeProperty(input) == expected)
  }

  @Test func githubLineHasOneCommandPerFinding() throws {
    let finding = ReportFixtures.finding(
      path: "a,b:c%.c", line: 3, message: "first line, 50%: done\nsecond::line")
    let report = Report(root: "/src", findings: [finding], rules: [])
    let output = try Reporters.render(report, format: .github)
    let commands = output.split(separator: "\n").filter { $0.hasPrefix("::") }
    #expect(commands.count == 1)
    let expected =
      "::error file=a%2Cb%3Ac%25.c,line=3,col=1,title=kernfs-poll-head-lifetime"
      + "::first line, 50%25: done%0Asecond::line"
    #expect(commands.first.map(String.init) == expected)
  }

  @Test(arguments: [
    ("fs/kernfs/file.c", "fs/kernfs/file.c"),
    ("drivers/odd dir/a,b:c%d.c", "drivers/odd%20dir/a%2Cb%3Ac%25d.c"),
    ("a:b.c", "a%3Ab.c"),
    ("fs/é.c", "fs/%C3%A9.c"),
  ])
  func sarifURIs(path: String, expected: String) {
    #expect(SARIFReporter.percentEncoded(path) == expected)
  }

  @Test func sarifRootURIEndsWithSlash() {
    #expect(SARIFReporter.rootURI("/src/linux") == "file:///src/linux/")
    #expect(SARIFReporter.rootURI("/src/my tree/") == "file:///src/my%20tree/")
  }

  @Test func textKeepsOneRecordPerLine() throws {
    let finding = ReportFixtures.finding(message: "one\ntwo\r\nthree")
    let report = Report(root: "/src", findings: [finding], rules: [])
    let output = try Reporters.render(report, format: .text)
    #expect(output.hasPrefix("fs/a.c:1:1: error: one two three [kernfs-poll-head-lifetime]\n"))
  }

  @Test func markdownCellsCannotBreakTheTable() {
    #expect(GitHubStepSummary.cell("a|b\nc <b>&") == "a\\|b<br>c &lt;b&gt;&amp;")
  }

  @Test func jsonEscapesControlCharacters() throws {
    let finding = ReportFixtures.finding(path: "x\"y.c", message: "tab\there \"quoted\"\n")
    let report = Report(root: "/src", findings: [finding], rules: [])
    for format in [ReportFormat.json, .sarif, .gitlab] {
      let output = try Reporters.render(report, format: format)
      let object = try JSONSerialization.jsonObject(with: Data(output.utf8))
      #expect(!(output.contains("\t")), "\(format) left a raw tab")
      _ = object
    }
  }
}
