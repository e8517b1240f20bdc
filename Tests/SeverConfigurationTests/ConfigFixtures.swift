import Foundation
import SeverCore

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

extension Finding.Identity {
  /// An identity from its parts in fingerprint order (rule, table, handler, field, detail).
  init(testComponents parts: [String]) {
    self.init(
      rule: parts[0], table: parts.count > 1 ? parts[1] : nil,
      handler: parts.count > 2 ? parts[2] : nil, field: parts.count > 3 ? parts[3] : nil,
      detail: parts.count > 4 ? parts[4...].joined(separator: "|") : nil)
  }
}
