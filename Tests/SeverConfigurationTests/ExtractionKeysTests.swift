import Testing

@testable import SeverConfiguration

/// `unit-timeout:` and `isolate:` in `.sever.yml` (issue 16), as `--unit-timeout` and
/// `--isolate`/`--no-isolate` on the command line.
@Suite struct ExtractionKeysTests {
  @Test func bothKeysAreRead() throws {
    let configuration = try Configuration.parse(
      "unit-timeout: 30\nisolate: false\n", file: "/t/.sever.yml")
    #expect(configuration.unitTimeout == 30)
    #expect(configuration.isolate == false)
  }

  @Test func absentKeysLeaveTheDefaults() throws {
    let configuration = try Configuration.parse("jobs: 2\n", file: "/t/.sever.yml")
    #expect(configuration.unitTimeout == nil)
    #expect(configuration.isolate == nil)
  }

  @Test(arguments: [
    ("unit-timeout: 0\n", ":1: 'unit-timeout' is '0', but it must be a positive number of seconds"),
    ("unit-timeout: soon\n", ":1: 'unit-timeout' is 'soon', but it must be a positive number"),
    ("unit-timeout: .inf\n", ":1: 'unit-timeout' is '.inf', but it must be a positive number"),
    ("isolate: maybe\n", ":1: 'isolate' must be true or false"),
    ("isolate: [true]\n", ":1: 'isolate' must be a single value"),
  ])
  func badValuesNameTheLine(text: String, expected: String) {
    do {
      _ = try Configuration.parse(text, file: "/t/.sever.yml")
      Issue.record("'\(text)' must be refused")
    } catch {
      #expect("\(error)".hasPrefix("/t/.sever.yml" + expected), "\(error)")
    }
  }
}
