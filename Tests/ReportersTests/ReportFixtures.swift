import Foundation
import Reporters
import SeverCore
import SeverTestSupport

/// The shared input report and golden files under `Fixtures/reports`, found from this file.
enum ReportFixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/reports").path

  /// The hand-written input, re-created through `Report.init` so it is sorted like a real one.
  static func input() throws -> Report {
    let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/input.json"))
    let decoded = try JSONDecoder().decode(Report.self, from: data)
    return Report(
      tool: decoded.tool, root: decoded.root, findings: decoded.findings, rules: decoded.rules,
      diagnostics: decoded.diagnostics, coverage: decoded.coverage)
  }

  /// The options every golden is rendered with: one changed range, on the odd-path warning, so
  /// the GitHub golden shows changed lines first.
  static let options = ReporterOptions(
    changedLines: ChangedLines(["drivers/odd dir/a,b:c%d.c": [15...20]]))

  static func goldenPath(_ name: String) -> String { directory + "/" + name }

  /// A minimal finding for focused tests.
  static func finding(
    _ rule: String = "kernfs-poll-head-lifetime", severity: Severity = .error,
    path: String = "fs/a.c", line: Int = 1, message: String = "m", identity: [String]? = nil
  ) -> Finding {
    Finding(
      ruleID: rule, severity: severity, confidence: .high, message: message,
      location: SourceLocation(path: path, line: line, column: 1),
      identity: Finding.Identity(testComponents: identity ?? [rule, "\(path):\(line)"]))
  }
}
