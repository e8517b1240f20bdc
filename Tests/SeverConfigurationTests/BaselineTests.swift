import Foundation
import SeverCore
import Testing

@testable import SeverConfiguration

/// Baselines hide known findings by identity, surviving line shifts.
@Suite struct BaselineTests {
  @Test func roundTripsAndSurvivesLineShifts() throws {
    let old = [
      ConfigFixtures.finding(line: 10, identity: ["r", "t", "f", "h"]),
      ConfigFixtures.finding(path: "fs/b.c", line: 3),
    ]
    let file = NSTemporaryDirectory() + "sever-baseline-\(UUID().uuidString).json"
    defer { try? FileManager.default.removeItem(atPath: file) }
    try Baseline(findings: old).write(to: file)
    let baseline = try Baseline.load(file)
    #expect(baseline.formatVersion == 1)
    #expect(baseline.findings.map(\.path) == ["drivers/demo/source.c", "fs/b.c"])

    var shifted = old[0]
    shifted.location.line = 40
    let fresh = ConfigFixtures.finding(line: 50, identity: ["r", "t", "f", "other"])
    let moved = ConfigFixtures.finding(path: "fs/renamed.c", line: 3)
    let (new, known) = baseline.filter([shifted, fresh, moved])
    #expect(known == [shifted])
    #expect(new == [fresh, moved])
  }

  @Test func entriesAreAMultiset() {
    let twin = ConfigFixtures.finding(line: 1, identity: ["same"])
    let baseline = Baseline(findings: [twin])
    var second = twin
    second.location.line = 9
    let (new, known) = baseline.filter([twin, second])
    #expect(known.count == 1)
    #expect(new.count == 1)
  }

  @Test func encodingIsSortedAndStable() {
    let findings = [
      ConfigFixtures.finding(path: "z.c", line: 1), ConfigFixtures.finding(path: "a.c", line: 2),
    ]
    let text = Baseline(findings: findings, tool: "0.1.0").encoded()
    #expect(text == Baseline(findings: findings.reversed(), tool: "0.1.0").encoded())
    #expect(text.contains("\"formatVersion\" : 1"))
    #expect(text.range(of: "a.c")!.lowerBound < text.range(of: "z.c")!.lowerBound)
  }

  @Test func rejectsBadFiles() throws {
    let file = NSTemporaryDirectory() + "sever-baseline-\(UUID().uuidString).json"
    defer { try? FileManager.default.removeItem(atPath: file) }
    try "{\"formatVersion\": 7, \"tool\": \"9\", \"findings\": []}".write(
      toFile: file, atomically: true, encoding: .utf8)
    #expect(
      throws: ConfigurationError.unsupportedBaselineVersion(file: file, version: 7, supported: 1)
    ) {
      try Baseline.load(file)
    }
    try "[1, 2]".write(toFile: file, atomically: true, encoding: .utf8)
    #expect(throws: ConfigurationError.self) { try Baseline.load(file) }
    #expect(throws: ConfigurationError.self) { try Baseline.load(file + ".missing") }
  }
}
