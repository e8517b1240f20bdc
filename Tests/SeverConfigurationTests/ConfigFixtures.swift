import Foundation
import SeverCore
import SeverTestSupport

/// `Fixtures/config`, found from this file.
enum ConfigFixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/config").path

  static func path(_ name: String) -> String { directory + "/" + name }

  static func finding(
    _ rule: String = "kernfs-poll-head-lifetime", path: String = "drivers/demo/source.c",
    line: Int = 1, severity: Severity = .error, identity: [String]? = nil
  ) -> Finding {
    Finding(
      ruleID: rule, severity: severity, confidence: .high, message: "message \(line)",
      location: SourceLocation(path: path, line: line, column: 1),
      identity: Finding.Identity(
        testComponents: identity ?? [rule, "table", "handler\(line)", "field"]))
  }
}
