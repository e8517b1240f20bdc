import Foundation
import Reporters
import SeverCore
import Testing

/// The SARIF output validates against the SARIF 2.1.0 JSON schema, through Python's
/// `jsonschema` (`make test` installs it; a missing Python or package fails the test, it does not skip).
@Suite struct SARIFSchemaTests {
  static let schema = ReportFixtures.goldenPath("sarif-schema-2.1.0.json")
  static let validator = ReportFixtures.goldenPath("validate_sarif.py")

  @Test func goldenValidates() throws {
    let result = try Self.validate(ReportFixtures.goldenPath("golden.sarif"))
    #expect(result.status == 0, "\(result.output)")
  }

  @Test func freshOutputValidates() throws {
    let report = try ReportFixtures.input()
    let file = NSTemporaryDirectory() + "sever-\(UUID().uuidString).sarif"
    defer { try? FileManager.default.removeItem(atPath: file) }
    try Reporters.render(report, format: .sarif).write(
      toFile: file, atomically: true, encoding: .utf8)
    let result = try Self.validate(file)
    #expect(result.status == 0, "\(result.output)")
  }

  @Test func emptyReportValidates() throws {
    let file = NSTemporaryDirectory() + "sever-\(UUID().uuidString).sarif"
    defer { try? FileManager.default.removeItem(atPath: file) }
    let report = Report(root: "/", findings: [], rules: [])
    try Reporters.render(report, format: .sarif).write(
      toFile: file, atomically: true, encoding: .utf8)
    let result = try Self.validate(file)
    #expect(result.status == 0, "\(result.output)")
  }

  @Test func validatorRejectsBrokenSARIF() throws {
    let file = NSTemporaryDirectory() + "sever-\(UUID().uuidString).sarif"
    defer { try? FileManager.default.removeItem(atPath: file) }
    let broken =
      #"{"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"level": "loud"}]}]}"#
    try broken.write(toFile: file, atomically: true, encoding: .utf8)
    let result = try Self.validate(file)
    #expect(result.status == 1, "the validator accepted an invalid log: \(result.output)")
  }

  /// Runs the validator; exit status 2 or a missing `python3` is recorded as a failure naming
  /// what to install.
  static func validate(_ file: String) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", validator, schema, file]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let output = String(decoding: data, as: UTF8.self)
    if process.terminationStatus == 127 || process.terminationStatus == 2 {
      Issue.record(
        """
        SARIF schema validation needs python3 with the jsonschema package \
        (apt-get install python3 && pip install jsonschema): \(output)
        """)
    }
    return (process.terminationStatus, output)
  }
}
