import Foundation
import Reporters
import SeverCore
import SeverTestSupport
import Testing

/// One input report rendered by every reporter against a golden file.
@Suite struct GoldenTests {
  @Test(arguments: ReportFormat.allCases)
  func rendersGolden(format: ReportFormat) throws {
    let report = try ReportFixtures.input()
    let output = try Reporters.render(report, format: format, options: ReportFixtures.options)
    Golden.check(output, file: ReportFixtures.goldenPath("golden.\(format.fileExtension)"))
  }

  @Test func stepSummaryGolden() throws {
    let report = try ReportFixtures.input()
    let output = GitHubStepSummary.markdown(report, options: ReportFixtures.options)
    Golden.check(output, file: ReportFixtures.goldenPath("golden.summary.md"))
  }

  @Test func renderingIsDeterministic() throws {
    let report = try ReportFixtures.input()
    for format in ReportFormat.allCases {
      let first = try Reporters.render(report, format: format, options: ReportFixtures.options)
      let second = try Reporters.render(report, format: format, options: ReportFixtures.options)
      #expect(first == second, "\(format) output changes between runs")
    }
  }

  @Test func jsonOutputsParse() throws {
    let report = try ReportFixtures.input()
    for format in [ReportFormat.json, .sarif, .gitlab] {
      let output = try Reporters.render(report, format: format)
      #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(output.utf8)) }
    }
  }

  @Test(arguments: ReportFormat.allCases)
  func formatMapsToItsReporter(format: ReportFormat) {
    #expect(type(of: format.reporter).format == format)
  }

  @Test func emptyReport() throws {
    let report = Report(root: "/src/linux", findings: [], rules: [])
    #expect(try Reporters.render(report, format: .text) == "sever: no findings\n")
    #expect(try Reporters.render(report, format: .gitlab) == "[\n\n]\n")
    #expect(try Reporters.render(report, format: .github) == "sever: no findings\n")
  }
}
