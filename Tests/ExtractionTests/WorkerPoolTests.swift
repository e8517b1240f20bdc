import Extraction
import Foundation
import SeverCore
import SeverTestSupport
import Testing

@testable import SeverKit

/// The worker processes that parse units by default (issue 16): one process serves many units,
/// and a crash or a hang costs the unit it was parsing, after which a fresh worker takes over.
/// Faults come from the `SEVER_FAULT_INJECTION` hook, given to the workers' environment only.
@Suite struct WorkerPoolTests {
  /// A request for a fixture file, parsed without the tree's arguments (facts are not checked
  /// here, only that they came back).
  func request(_ relative: String) -> UnitRequest {
    UnitRequest(
      path: FixturePaths.tree + "/" + relative, arguments: ["-I", FixturePaths.include],
      root: FixturePaths.tree, unsavedFiles: [:])
  }

  func pool(faults: String? = nil) -> WorkerPool {
    var environment = ProcessInfo.processInfo.environment
    environment["SEVER_FAULT_INJECTION"] = faults
    return WorkerPool(executable: SeverBinary.path, environment: environment)
  }

  static let units = [
    "drivers/demo/demo_kernfs.c", "drivers/demo/demo_proc.c", "drivers/demo/demo_debugfs.c",
    "kernel/cgroup/files.c",
  ]

  @Test func oneWorkerServesUnitAfterUnit() async throws {
    let pool = pool()
    defer { pool.shutDown() }
    for unit in Self.units {
      let result = await pool.extract(request(unit), timeout: 60)
      let parsed = try result.get()
      #expect(parsed.facts.first?.path == unit)
    }
    #expect(pool.startedWorkers == 1)
  }

  @Test func aCrashCostsOneUnitAndTheNextWorkerGoesOn() async throws {
    let pool = pool(faults: "crash:demo_proc.c")
    defer { pool.shutDown() }
    var failures: [String: ExtractionError] = [:]
    for unit in Self.units {
      if case .failure(let error) = await pool.extract(request(unit), timeout: 60) {
        failures[unit] = error
      }
    }
    let path = FixturePaths.tree + "/drivers/demo/demo_proc.c"
    #expect(failures == ["drivers/demo/demo_proc.c": .childCrashed(path: path, signal: 11)])
    #expect(pool.startedWorkers == 2)
  }

  // The injected hang never ends, so returning at all shows the worker was killed; the time
  // limit only stops a broken pool from holding the run. Wall-clock bounds tighter than that
  // fail on a loaded machine, where the test's task waits for a free thread to resume on.
  @Test(.timeLimit(.minutes(5))) func aHangIsKilledAtTheDeadline() async throws {
    let pool = pool(faults: "hang:demo_proc.c")
    defer { pool.shutDown() }
    let hung = await pool.extract(request("drivers/demo/demo_proc.c"), timeout: 1)
    let path = FixturePaths.tree + "/drivers/demo/demo_proc.c"
    #expect(throws: ExtractionError.timedOut(path: path, seconds: 1)) { try hung.get() }
    _ = try await pool.extract(request("drivers/demo/demo_kernfs.c"), timeout: 60).get()
    #expect(pool.startedWorkers == 2)
  }

  @Test func concurrentRequestsGetTheirOwnAnswers() async throws {
    let pool = pool()
    defer { pool.shutDown() }
    let answers = await withTaskGroup(of: (String, String?).self) { group in
      for unit in Self.units + Self.units {
        group.addTask {
          (unit, try? await pool.extract(self.request(unit), timeout: 60).get().facts.first?.path)
        }
      }
      return await group.reduce(into: [(String, String?)]()) { $0.append($1) }
    }
    #expect(answers.allSatisfy { $0.0 == $0.1 })
    #expect(pool.startedWorkers <= 8)
  }

  /// A worker that answers with something that is not a frame, and stays alive: sever kills
  /// it rather than wait for it, and the unit fails with a reason. The worker sleeps 600 s and
  /// the deadline is 300 s, so finishing within the time limit shows it was not waited for.
  /// The shell execs the sleep, so the kill reaches it and nothing outlives the test.
  @Test(.timeLimit(.minutes(4))) func anAnswerThatIsNotAFrameIsAUnitFailure() async throws {
    let directory = FixturePaths.temporary("fake-worker")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let script = directory + "/sever"
    let text = Array(
      "#!/bin/sh\nprintf '\\377\\377\\377\\377\\377\\377\\377\\377'\nexec sleep 600\n".utf8)
    // Written through a close-on-exec descriptor: a child that a test running alongside spawns
    // would otherwise inherit it open for writing, and starting the script would then fail
    // with ETXTBSY ("Text file busy") for as long as that child lives.
    let descriptor = open(script, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    try #require(descriptor >= 0)
    let written = write(descriptor, text, text.count)
    close(descriptor)
    try #require(written == text.count)
    let pool = WorkerPool(executable: script)
    defer { pool.shutDown() }
    let result = await pool.extract(request("drivers/demo/demo_kernfs.c"), timeout: 300)
    let path = FixturePaths.tree + "/drivers/demo/demo_kernfs.c"
    #expect(
      throws: ExtractionError.childFailed(path: path, reason: "its answer was not a frame of facts")
    ) {
      try result.get()
    }
  }

  /// A descriptor the parent holds without close-on-exec (Foundation's `Pipe` makes such) does
  /// not reach a worker: a worker holding the write end of another child's output pipe kept
  /// the test reading that pipe to its end waiting for as long as the worker lived, and a CI
  /// run hung on it.
  @Test func aWorkerInheritsNoDescriptorOfItsParent() async throws {
    var ends: [Int32] = [-1, -1]
    try #require(pipe(&ends) == 0)
    defer { close(ends[0]) }
    let pool = pool()
    defer { pool.shutDown() }
    _ = try await pool.extract(request(Self.units[0]), timeout: 60).get()
    close(ends[1])
    // The worker is alive and idle; with no writer left, the read end hangs up at once.
    var descriptor = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
    let ready = poll(&descriptor, 1, 10_000)
    #expect(ready == 1 && descriptor.revents & Int16(POLLHUP) != 0)
  }

  @Test func aWorkerThatCannotStartIsAUnitFailure() async {
    let pool = WorkerPool(executable: "/nonexistent/sever")
    let result = await pool.extract(request("drivers/demo/demo_kernfs.c"), timeout: 10)
    guard case .failure(.childFailed(_, let reason)) = result else {
      Issue.record("expected a failure to start, got \(result)")
      return
    }
    #expect(reason.contains("cannot start '/nonexistent/sever'"))
  }
}
