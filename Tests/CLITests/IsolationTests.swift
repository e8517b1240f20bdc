import Foundation
import SeverTestSupport
import Testing

/// A unit that hangs or crashes libclang costs that unit, not the run (issue 16): by default
/// units are parsed in worker processes, killed at `--unit-timeout` and replaced after a crash;
/// `--no-isolate` parses in process, where a hang is abandoned and a crash ends the run. The
/// faults are provoked with the `SEVER_FAULT_INJECTION` test hook of the Extraction module.
@Suite struct IsolationTests {
  /// The file whose parse is made to fail; it holds one of the tree's findings.
  static let victim = "demo_proc.c"
  static let victimPath = "drivers/demo/demo_proc.c"

  /// A private copy of `Fixtures/tree`, removed by the caller.
  static func copyOfTree() throws -> String {
    let directory = NSTemporaryDirectory() + "sever-isolation-\(UUID().uuidString)"
    try FileManager.default.copyItem(atPath: FixturePaths.fixtures + "/tree", toPath: directory)
    return directory
  }

  static func check(
    _ options: [String], in tree: String, fault: String? = nil
  ) throws -> (SeverBinary.Run, Duration) {
    var environment = ["SWIFT_BACKTRACE": "enable=no"]
    if let fault { environment["SEVER_FAULT_INJECTION"] = fault }
    let clock = ContinuousClock()
    var run: SeverBinary.Run?
    let elapsed = try clock.measure {
      run = try SeverBinary.run(
        // --allow-unparsed: these tests are about the other units' findings (status 1), not
        // the status of a run with a unit not parsed (4, CoverageTests).
        ["check", "--no-cache", "--jobs", "2", "--allow-unparsed"] + options + ["."], in: tree,
        environment: environment)
    }
    return (try #require(run), elapsed)
  }

  @Test func aHangingUnitIsAbandonedAtTheTimeLimitInProcess() throws {
    let tree = try Self.copyOfTree()
    defer { try? FileManager.default.removeItem(atPath: tree) }
    let (run, elapsed) = try Self.check(
      ["--no-isolate", "--unit-timeout", "2"], in: tree, fault: "hang:\(Self.victim)")
    #expect(elapsed < .seconds(60))
    #expect(run.status == 1, "the other findings are still reported; stderr: \(run.stderr)")
    #expect(run.stdout.contains("error:"))
    #expect(
      run.stderr.contains(
        "\(Self.victimPath): warning: parsing took longer than 2 s and was abandoned"
          + " (--unit-timeout); its facts are missing [sever-parse-failure]"))
    #expect(run.stdout.contains("1 not parsed"))
  }

  @Test func aCrashingUnitIsSurvivedByDefault() throws {
    let tree = try Self.copyOfTree()
    defer { try? FileManager.default.removeItem(atPath: tree) }
    let (run, elapsed) = try Self.check([], in: tree, fault: "crash:\(Self.victim)")
    #expect(elapsed < .seconds(60))
    #expect(run.status == 1, "stderr: \(run.stderr)")
    #expect(run.stdout.contains("error:"))
    #expect(
      run.stderr.contains(
        "\(Self.victimPath): warning: libclang crashed (signal 11) while parsing; the worker"
          + " process parsing it died and the run went on without its facts"))
    #expect(run.stdout.contains("1 not parsed"))
  }

  @Test func aHangingUnitsWorkerIsKilledAtTheTimeLimit() throws {
    let tree = try Self.copyOfTree()
    defer { try? FileManager.default.removeItem(atPath: tree) }
    let (run, elapsed) = try Self.check(
      ["--unit-timeout", "2"], in: tree, fault: "hang:\(Self.victim)")
    #expect(elapsed < .seconds(60))
    #expect(run.status == 1, "stderr: \(run.stderr)")
    #expect(run.stderr.contains("\(Self.victimPath): warning: parsing took longer than 2 s"))
    #expect(run.stdout.contains("1 not parsed"))
  }

  /// `.sever.yml` sets both: `unit-timeout: 2` kills the hanging worker as `--unit-timeout 2`
  /// does, and `isolate: false` parses in process, where the crash ends the run.
  @Test func theConfigurationFileSetsTimeoutAndIsolation() throws {
    let tree = try Self.copyOfTree()
    defer { try? FileManager.default.removeItem(atPath: tree) }
    try "unit-timeout: 2\n".write(toFile: tree + "/.sever.yml", atomically: true, encoding: .utf8)
    let (hung, elapsed) = try Self.check([], in: tree, fault: "hang:\(Self.victim)")
    #expect(elapsed < .seconds(60))
    #expect(hung.stderr.contains("\(Self.victimPath): warning: parsing took longer than 2 s"))
    try "isolate: false\n".write(toFile: tree + "/.sever.yml", atomically: true, encoding: .utf8)
    let (crashed, _) = try Self.check([], in: tree, fault: "crash:\(Self.victim)")
    #expect(crashed.status != 0 && crashed.status != 1)
    #expect(!crashed.stdout.contains("sever: coverage"))
    // The command line wins over the file.
    let (isolated, _) = try Self.check(["--isolate"], in: tree, fault: "crash:\(Self.victim)")
    #expect(isolated.status == 1, "stderr: \(isolated.stderr)")
  }

  /// With `--no-isolate` a crash in the parse takes the whole process down: the workers are the
  /// protection against real libclang crashes. The run must at least not pass for a success.
  @Test func aCrashInProcessDoesNotReportSuccess() throws {
    let tree = try Self.copyOfTree()
    defer { try? FileManager.default.removeItem(atPath: tree) }
    let (run, _) = try Self.check(["--no-isolate"], in: tree, fault: "crash:\(Self.victim)")
    #expect(run.status != 0)
    #expect(!run.stdout.contains("sever: coverage"))
  }

  @Test func workersGiveTheSameOutputAsInProcess() throws {
    let tree = try Self.copyOfTree()
    defer { try? FileManager.default.removeItem(atPath: tree) }
    for format in ["text", "json"] {
      let (inProcess, _) = try Self.check(["--format", format, "--no-isolate"], in: tree)
      let (isolated, _) = try Self.check(["--format", format], in: tree)
      #expect(inProcess.status == 1)
      #expect(isolated.status == inProcess.status)
      #expect(isolated.stdout == inProcess.stdout)
      #expect(isolated.stderr == inProcess.stderr)
    }
  }

  @Test func aNonPositiveUnitTimeoutIsAUsageError() throws {
    let run = try SeverBinary.run(["check", "--unit-timeout", "0", FixturePaths.fixtures + "/tree"])
    #expect(run.status == 2)
    #expect(run.stderr.contains("--unit-timeout must be a positive number of seconds"))
  }
}
