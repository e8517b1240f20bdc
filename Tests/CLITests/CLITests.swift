import Foundation
import SeverTestSupport
import Testing

/// End-to-end runs of the `sever` binary: help text, the fixture tree, and bad inputs, each with
/// its exit status and message.
@Suite struct CLITests {
  let fixtures = FixturePaths.fixtures

  @Test func checkOnTheFixtureTreeMatchesTheGoldenOutput() throws {
    let run = try SeverBinary.run(["check", "--jobs", "2", fixtures + "/tree"])
    #expect(run.status == 1, "stderr: \(run.stderr)")
    Golden.check(run.stdout, file: fixtures + "/cli/check-tree.txt")
  }

  @Test func outputIsTheSameForOneJobAndTwo() throws {
    let one = try SeverBinary.run(["check", "--format", "json", "--jobs", "1", fixtures + "/tree"])
    let two = try SeverBinary.run(["check", "--format", "json", "--jobs", "2", fixtures + "/tree"])
    #expect(one.status == 1 && two.status == 1)
    #expect(one.stdout == two.stdout)
    #expect(one.stdout.contains("\"formatVersion\" : 1"))
  }

  @Test func pathsAreRelativeToTheDetectedTreeRoot() throws {
    let run = try SeverBinary.run(
      ["check", "--tables", "drivers/demo/demo_kernfs.c"], in: fixtures + "/tree")
    #expect(run.status == 0)
    #expect(run.stdout.hasPrefix("drivers/demo/demo_kernfs.c:27:32: table: struct kernfs_ops"))
  }

  @Test func factsPrintsJSON() throws {
    let run = try SeverBinary.run(["facts", fixtures + "/tree/drivers/demo/demo_proc.c"])
    #expect(run.status == 0)
    let data = Data(run.stdout.utf8)
    let files = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    #expect(files.map { $0["path"] as? String } == ["drivers/demo/demo_proc.c"])
  }

  @Test func helpListsTheCommands() throws {
    let run = try SeverBinary.run(["--help"])
    #expect(run.status == 0)
    Golden.check(run.stdout, file: fixtures + "/cli/help.txt")
  }

  /// A bad input, the exit status it must give and a part of the message it must print.
  struct BadInput: CustomTestStringConvertible, Sendable {
    var arguments: [String]
    var status: Int32
    var message: String
    var testDescription: String { arguments.joined(separator: " ") }
  }

  static let badInputs: [BadInput] = [
    BadInput(
      arguments: ["check", "no/such/path.c"], status: 2,
      message: "no such file or directory: 'no/such/path.c'"),
    BadInput(
      arguments: ["check", "bad-input/no-c-here"], status: 2,
      message: "no C source files (*.c) under 'bad-input/no-c-here'"),
    BadInput(
      arguments: ["check", "bad-input/binary.c"], status: 2,
      message: "binary data (NUL bytes), not C source"),
    BadInput(
      arguments: ["check", "bad-input/empty.c"], status: 2,
      message: "empty file: nothing to check"),
    BadInput(
      arguments: ["check", "--arch", "vax", "tree"], status: 2,
      message: "unknown architecture 'vax'"),
    BadInput(
      arguments: ["check", "--config", "no-such.config", "tree"], status: 2,
      message: "cannot read the file given to --config"),
    BadInput(
      arguments: ["check", "--compile-commands", "bad-input/binary.c", "tree"], status: 2,
      message: "cannot use the compilation database"),
    BadInput(
      arguments: ["check", "--jobs", "0", "tree"], status: 2, message: "--jobs must be at least 1"),
    BadInput(arguments: ["check"], status: 2, message: "Missing expected argument"),
  ]

  @Test(arguments: badInputs) func badInputGetsAClearMessage(_ input: BadInput) throws {
    let run = try SeverBinary.run(input.arguments, in: fixtures)
    #expect(run.status == input.status, "stderr: \(run.stderr)")
    #expect(run.stderr.contains(input.message), "stderr: \(run.stderr)")
    #expect(!run.stderr.contains("Fatal error"))
  }

  @Test func invalidUTF8IsParsedWithANote() throws {
    let run = try SeverBinary.run(["check", "bad-input/invalid-utf8.c"], in: fixtures)
    #expect(run.status == 0)
    #expect(run.stderr.contains("not valid UTF-8"))
    #expect(run.stdout.contains("1 units parsed"))
  }

  @Test func aDirectoryWithSomeBadFilesStillReportsCoverage() throws {
    let run = try SeverBinary.run(["check", "bad-input"], in: fixtures)
    #expect(run.status == 0)
    #expect(run.stderr.contains("binary data"))
    #expect(run.stdout.contains("3 not parsed"))
  }
}

/// The rule commands, configuration, baselines and report formats, end to end.
@Suite struct CLIRuleTests {
  let fixtures = FixturePaths.fixtures

  @Test func rulesListsEveryRule() throws {
    let run = try SeverBinary.run(["rules"])
    #expect(run.status == 0)
    for id in ["kernfs-poll-head-lifetime", "kernfs-call-after-release", "kernfs-stale-priv"] {
      #expect(run.stdout.contains(id))
    }
  }

  @Test func readmeRuleTableMatchesSeverRulesMarkdown() throws {
    let run = try SeverBinary.run(["rules", "--markdown"])
    let readme = try String(contentsOfFile: fixtures + "/../README.md", encoding: .utf8)
    #expect(
      readme.contains(run.stdout), "README.md's rule table differs from `sever rules --markdown`")
  }

  @Test func explainPrintsClausesHistoryTraceAndExamples() throws {
    let run = try SeverBinary.run(["explain", "kernfs-poll-head-lifetime"])
    #expect(run.status == 0)
    for part in ["K6", "aff037078eca", "CVE-2023-54019", "poll_freewait", "Fix:", "example 1"] {
      #expect(run.stdout.contains(part), "missing \(part)")
    }
  }

  @Test func explainRejectsUnknownRules() throws {
    let run = try SeverBinary.run(["explain", "no-such-rule"])
    #expect(run.status == 2)
    #expect(run.stderr.contains("unknown rule 'no-such-rule'"))
  }

  @Test func unknownConfigurationKeysStopTheRunWithTheLine() throws {
    let run = try SeverBinary.run(["check", "config-unknown-key"], in: fixtures + "/cli")
    #expect(run.status == 2)
    #expect(run.stderr.contains(".sever.yml"))
    #expect(run.stderr.contains("bogus"))
  }

  @Test func baselinesHideKnownFindings() throws {
    let baseline = NSTemporaryDirectory() + "sever-baseline-\(UUID().uuidString).json"
    let first = try SeverBinary.run(["check", "--write-baseline", baseline, fixtures + "/tree"])
    #expect(first.status == 1)
    let second = try SeverBinary.run(["check", "--baseline", baseline, fixtures + "/tree"])
    #expect(second.status == 0, "stdout: \(second.stdout)")
    #expect(!second.stdout.contains("error:"))
  }

  @Test func sarifOutputNamesEveryRule() throws {
    let run = try SeverBinary.run(["check", "--format", "sarif", fixtures + "/tree"])
    #expect(run.status == 1)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(json["version"] as? String == "2.1.0")
  }
}

/// `make C=1 CHECK=sever`: Kbuild's checker call, flags then the file.
@Suite struct CLISparseTests {
  @Test func kbuildCheckerCallPrintsFindingsOnStderrAndExitsZero() throws {
    let run = try SeverBinary.run(
      [
        "-D__CHECKER__", "-Wbitwise", "-Wno-return-void", "-Iinclude", "-std=gnu11",
        "-Wp,-MMD,kernel/sched/.build_wrapper.o.d", "kernel/sched/build_wrapper.c",
      ], in: FixturePaths.fixtures + "/tree")
    #expect(run.status == 0)
    #expect(run.stdout.isEmpty)
    #expect(
      run.stderr.hasPrefix(
        "kernel/sched/pressure.c:23:2: error: demo_pressure_poll hands poll_wait()"))
    #expect(run.stderr.contains("[kernfs-poll-head-lifetime]"))
  }
}
