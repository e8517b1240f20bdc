import Foundation
import SeverTestSupport
import Testing

/// A unit that hangs or crashes libclang costs that unit, not the run: `--unit-timeout` abandons
/// a parse that takes too long, `--isolate` parses in child processes so a crash is survived.
/// The faults are provoked with the `SEVER_FAULT_INJECTION` test hook of the Extraction module.
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

  @Test func aHangingUnitIsAbandonedAtTheTimeLimit() throws {
    let tree = try Self.copyOfTree()
    defer { try? FileManager.default.removeItem(atPath: tree) }
    let (run, elapsed) = try Self.check(
      ["--unit-timeout", "2"], in: tree, fault: "hang:\(Self.victim)")
    #expect(elapsed < .seconds(60))
    #expect(run.status == 1, "the other findings are still reported; stderr: \(run.stderr)")
    #expect(run.stdout.contains("error:"))
    #expect(
      run.stderr.contains(
        "\(Self.victimPath): warning: parsing took longer than 2 s and was abandoned"
          + " (--unit-timeout); its facts are missing [sever-parse-failure]"))
    #expect(run.stdout.contains("1 not parsed"))
  }

  @Test func aCrashingUnitIsSurvivedWithIsolate() throws {
    let tree = try Self.copyOfTree()
    defer { try? FileManager.default.removeItem(atPath: tree) }
    let (run, elapsed) = try Self.check(["--isolate"], in: tree, fault: "crash:\(Self.victim)")
    #expect(elapsed < .seconds(60))
    #expect(run.status == 1, "stderr: \(run.stderr)")
    #expect(run.stdout.contains("error:"))
    #expect(
      run.stderr.contains(
        "\(Self.victimPath): warning: libclang crashed (signal 11) while parsing; the unit was"
          + " isolated with --isolate"))
    #expect(run.stdout.contains("1 not parsed"))
  }

  @Test func aHangingUnitIsKilledWithIsolate() throws {
    let tree = try Self.copyOfTree()
    defer { try? FileManager.default.removeItem(atPath: tree) }
    let (run, elapsed) = try Self.check(
      ["--isolate", "--unit-timeout", "2"], in: tree, fault: "hang:\(Self.victim)")
    #expect(elapsed < .seconds(60))
    #expect(run.status == 1, "stderr: \(run.stderr)")
    #expect(run.stderr.contains("\(Self.victimPath): warning: parsing took longer than 2 s"))
    #expect(run.stdout.contains("1 not parsed"))
  }

  /// Without `--isolate` a crash in the parse takes the whole process down: isolation is the
  /// protection against real libclang crashes. The run must at least not pass for a success.
  @Test func aCrashWithoutIsolateDoesNotReportSuccess() throws {
    let tree = try Self.copyOfTree()
    defer { try? FileManager.default.removeItem(atPath: tree) }
    let (run, _) = try Self.check([], in: tree, fault: "crash:\(Self.victim)")
    #expect(run.status != 0)
    #expect(!run.stdout.contains("sever: coverage"))
  }

  @Test func isolateGivesTheSameOutputAsInProcess() throws {
    let tree = try Self.copyOfTree()
    defer { try? FileManager.default.removeItem(atPath: tree) }
    for format in ["text", "json"] {
      let (inProcess, _) = try Self.check(["--format", format], in: tree)
      let (isolated, _) = try Self.check(["--format", format, "--isolate"], in: tree)
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
