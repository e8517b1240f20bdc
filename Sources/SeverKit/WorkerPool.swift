import CSpawn
import Extraction
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Long-lived worker processes (`sever __extract-worker`) that parse units for one extraction,
/// so that a crash in libclang costs the unit being parsed, never the run.
///
/// A worker serves one request at a time and many requests in its life, so a process start is
/// paid per worker, not per unit. The pool starts workers lazily (a run served by the facts
/// cache starts none) and never holds more than the number of requests in flight, which the
/// caller bounds by `--jobs`. A worker that crashes or is killed at the deadline is reaped and
/// dropped; the next request starts a fresh one.
final class WorkerPool: Sendable {
  /// The `sever` executable the workers run.
  let executable: String
  /// The workers' environment.
  private let environment: [String: String]
  /// Workers waiting for a request.
  private let idle = Mutex<[WorkerProcess]>([])
  /// How many workers were started, for the tests that check reuse.
  private let started = Mutex(0)

  /// A pool whose workers run `executable __extract-worker` in `environment` (sever's own by
  /// default).
  init(executable: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.executable = executable
    self.environment = environment
  }

  /// How many worker processes the pool has started so far.
  var startedWorkers: Int { started.withLock { $0 } }

  /// Parses `request` in a worker; past `timeout` seconds the worker is killed.
  func extract(_ request: UnitRequest, timeout: Double?) async
    -> Result<ParsedUnit, ExtractionError>
  {
    _ = Self.ignoreBrokenPipes
    return await withCheckedContinuation { continuation in
      // The exchange blocks on pipes, so it gets a thread of its own rather than one of the
      // cooperative pool's.
      let thread = Thread {
        continuation.resume(returning: self.exchange(request, timeout: timeout))
      }
      thread.start()
    }
  }

  /// Stops every idle worker. Called when the extraction is over.
  func shutDown() {
    let workers = idle.withLock { workers in
      defer { workers = [] }
      return workers
    }
    for worker in workers { worker.stop() }
  }

  /// A worker that dies writes nothing more; its pipe must fail a write, not kill sever.
  private static let ignoreBrokenPipes: Void = {
    signal(SIGPIPE, SIG_IGN)
  }()

  /// Sends the request to a worker and waits for its answer (blocking).
  private func exchange(_ request: UnitRequest, timeout: Double?)
    -> Result<ParsedUnit, ExtractionError>
  {
    let path = request.path
    let body: Data
    do {
      body = try JSONEncoder().encode(request)
    } catch {
      return .failure(.childFailed(path: path, reason: "cannot encode the request: \(error)"))
    }
    // A worker that died while idle cannot take the request: it is tried once more on a fresh
    // worker. A worker that dies after taking it is that unit's failure.
    for attempt in 0..<2 {
      let worker: WorkerProcess
      if let waiting = idle.withLock({ $0.popLast() }) {
        worker = waiting
      } else {
        switch WorkerProcess.start(executable: executable, environment: environment) {
        case .success(let process):
          started.withLock { $0 += 1 }
          worker = process
        case .failure(let failure):
          return .failure(.childFailed(path: path, reason: failure.reason))
        }
      }
      switch worker.serve(body, timeout: timeout) {
      case .answer(let reply, let reusable):
        if reusable { idle.withLock { $0.append(worker) } }
        guard let response = try? JSONDecoder().decode(UnitResponse.self, from: reply) else {
          return .failure(.childFailed(path: path, reason: "its answer could not be read"))
        }
        if let parsed = response.parsed { return .success(parsed) }
        return .failure(
          response.error
            ?? .childFailed(path: path, reason: "it answered neither facts nor an error"))
      case .notTaken where attempt == 0:
        continue
      case .notTaken:
        return .failure(.childFailed(path: path, reason: "two workers in a row would not start"))
      case .killed(let seconds):
        return .failure(.timedOut(path: path, seconds: seconds))
      case .signaled(let signal):
        return .failure(.childCrashed(path: path, signal: Int(signal)))
      case .exited(let status):
        return .failure(
          .childFailed(path: path, reason: "it exited with status \(status) without an answer"))
      case .unreadable:
        return .failure(.childFailed(path: path, reason: "its answer was not a frame of facts"))
      }
    }
    return .failure(.childFailed(path: path, reason: "no worker took the request"))
  }
}

/// One worker process and the two pipes to it.
final class WorkerProcess: Sendable {
  /// What became of one request.
  enum Outcome {
    /// The worker answered; `reusable` is false when it was killed right after.
    case answer(Data, reusable: Bool)
    /// The request could not be written: the worker had died before it (and is reaped).
    case notTaken
    /// The deadline killed the worker after this many seconds.
    case killed(seconds: Double)
    /// The worker died of a signal (a crash) while parsing.
    case signaled(Int32)
    /// The worker exited without answering.
    case exited(Int32)
    /// The worker's answer was not a frame (it is killed).
    case unreadable
  }

  private struct State {
    /// Counts requests, so a deadline only kills the request it was set for.
    var request = 0
    var busy = false
    /// Set once the worker is known to be dead; it is reaped only after that, so a deadline
    /// never signals a pid the system may have given to another process.
    var exited = false
    var killedAfter: Double?
  }

  let pid: pid_t
  /// Where requests are written (the worker's standard input).
  private let requests: Int32
  /// Where answers are read (the worker's standard output).
  private let answers: Int32
  private let state = Mutex(State())

  private init(pid: pid_t, requests: Int32, answers: Int32) {
    self.pid = pid
    self.requests = requests
    self.answers = answers
  }

  /// Pipes and spawns are made under one lock, so no worker inherits the pipes of another
  /// being set up (every descriptor is close-on-exec until the spawn moves it to 0 or 1).
  private static let spawnLock = Mutex(())

  /// Starts `executable __extract-worker`; the failure is a reason for a diagnostic.
  static func start(executable: String, environment: [String: String])
    -> Result<WorkerProcess, WorkerStartFailure>
  {
    spawnLock.withLock { _ in
      guard let toWorker = pipePair(), let fromWorker = pipePair() else {
        return .failure(
          WorkerStartFailure("cannot make a pipe: \(String(cString: strerror(errno)))"))
      }
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      defer { posix_spawn_file_actions_destroy(&actions) }
      posix_spawn_file_actions_adddup2(&actions, toWorker.read, 0)
      posix_spawn_file_actions_adddup2(&actions, fromWorker.write, 1)
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
      // Descriptors other threads opened without close-on-exec (Foundation's `Pipe` makes
      // them so, and holds them until its own spawn) must not reach a worker: one holding the
      // write end of another child's output pipe keeps that pipe from ever ending, and whoever
      // reads it to the end waits for as long as the worker lives.
      let closing = sever_spawn_close_from(&actions, 3)
      guard closing == 0 else {
        close(toWorker.read)
        close(toWorker.write)
        close(fromWorker.read)
        close(fromWorker.write)
        return .failure(
          WorkerStartFailure(
            "cannot close the descriptors a worker would inherit: \(String(cString: strerror(closing)))"
          ))
      }
      var attributes = posix_spawnattr_t()
      posix_spawnattr_init(&attributes)
      defer { posix_spawnattr_destroy(&attributes) }
      // A thread of the cooperative pool blocks some signals; the worker must not inherit that
      // mask, or a deadline's SIGKILL is the only way to stop it.
      var mask = sigset_t()
      sigemptyset(&mask)
      posix_spawnattr_setsigmask(&attributes, &mask)
      posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
      var environment = environment
      // A crashing worker is expected; its backtrace would only slow the run down.
      environment["SWIFT_BACKTRACE"] = "enable=no"
      let arguments: [String] = [executable, UnitWorker.subcommand]
      let argv = arguments.map { strdup($0) } + [nil]
      let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
      defer { for pointer in argv + envp { free(pointer) } }
      var pid: pid_t = 0
      let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
      close(toWorker.read)
      close(fromWorker.write)
      guard code == 0 else {
        close(toWorker.write)
        close(fromWorker.read)
        return .failure(
          WorkerStartFailure("cannot start '\(executable)': \(String(cString: strerror(code)))"))
      }
      return .success(WorkerProcess(pid: pid, requests: toWorker.write, answers: fromWorker.read))
    }
  }

  /// A pipe whose two ends are close-on-exec and above the standard descriptors (a process
  /// started with a closed standard input would otherwise get 0, which the spawn cannot move).
  private static func pipePair() -> (read: Int32, write: Int32)? {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else { return nil }
    let moved = ends.map { fcntl($0, F_DUPFD_CLOEXEC, 3) }
    for end in ends { close(end) }
    guard moved.allSatisfy({ $0 >= 0 }) else {
      for end in moved where end >= 0 { close(end) }
      return nil
    }
    return (moved[0], moved[1])
  }

  /// Sends one request and waits for the answer; a deadline kills the worker.
  func serve(_ body: Data, timeout: Double?) -> Outcome {
    let request = state.withLock { state in
      state.request += 1
      state.busy = true
      return state.request
    }
    if let timeout {
      DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [self] in
        killIfStillServing(request, seconds: timeout)
      }
    }
    guard WorkerFrame.write(body, to: requests) else {
      return dead(notTaken: true)
    }
    let answer: Data
    switch WorkerFrame.next(from: answers) {
    case .frame(let data): answer = data
    case .ended: return dead(notTaken: false)
    case .damaged:
      _ = dead(notTaken: false)
      return .unreadable
    }
    let killed = state.withLock { state in
      state.busy = false
      return state.killedAfter != nil
    }
    if killed {
      // The answer came in as the deadline struck: it is whole, but the worker is gone.
      _ = dead(notTaken: false)
    }
    return .answer(answer, reusable: !killed)
  }

  /// Kills the worker when it is still serving request number `request`.
  private func killIfStillServing(_ request: Int, seconds: Double) {
    state.withLock { state in
      guard state.busy, state.request == request, !state.exited else { return }
      state.killedAfter = seconds
      kill(pid, SIGKILL)
    }
  }

  /// Reaps a worker whose pipe failed and says why it died.
  private func dead(notTaken: Bool) -> Outcome {
    let killedAfter = state.withLock { state in
      state.exited = true
      state.busy = false
      return state.killedAfter
    }
    close(requests)
    close(answers)
    // A worker whose output ended is exiting, and the kill changes nothing of how it ends; one
    // that sent a frame that cannot be read may still be alive, and must not be waited for.
    kill(pid, SIGKILL)
    let status = reap()
    if let killedAfter { return .killed(seconds: killedAfter) }
    if notTaken { return .notTaken }
    // A wait status holds the signal in its low 7 bits and the exit status above them.
    let signal = status & 0x7f
    if signal != 0 && signal != 0x7f { return .signaled(signal) }
    return .exited((status >> 8) & 0xff)
  }

  /// Stops an idle worker: it needs no goodbye, since it holds nothing to save.
  func stop() {
    state.withLock { state in
      state.exited = true
      kill(pid, SIGKILL)
    }
    close(requests)
    close(answers)
    _ = reap()
  }

  /// Waits for the worker's end; returns the wait status.
  private func reap() -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return status
  }
}

/// Why a worker could not be started, as a sentence for `ExtractionError.childFailed`.
struct WorkerStartFailure: Error {
  let reason: String
  init(_ reason: String) { self.reason = reason }
}

/// The framing of the pipes between sever and a worker: an 8-byte little-endian length, then
/// that many bytes of JSON.
enum WorkerFrame {
  /// The largest frame read (2 GiB): a stream claiming more is damaged.
  static let maximumSize = 1 << 31

  /// Writes one frame; false when the pipe is closed.
  static func write(_ body: Data, to descriptor: Int32) -> Bool {
    var length = UInt64(body.count).littleEndian
    let header = withUnsafeBytes(of: &length) { Data($0) }
    return writeAll(header, to: descriptor) && writeAll(body, to: descriptor)
  }

  /// What reading a frame found.
  enum Read {
    /// A whole frame.
    case frame(Data)
    /// The end of the stream, before or inside a frame: the writer is gone.
    case ended
    /// A header no writer of frames sends.
    case damaged
  }

  /// Reads one frame.
  static func next(from descriptor: Int32) -> Read {
    guard let header = readExactly(8, from: descriptor) else { return .ended }
    let length = header.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    guard length <= UInt64(maximumSize) else { return .damaged }
    return readExactly(Int(length), from: descriptor).map(Read.frame) ?? .ended
  }

  /// Reads one frame; nil at the end of the stream or when it is damaged.
  static func read(from descriptor: Int32) -> Data? {
    guard case .frame(let data) = next(from: descriptor) else { return nil }
    return data
  }

  private static func writeAll(_ data: Data, to descriptor: Int32) -> Bool {
    data.withUnsafeBytes { buffer in
      var offset = 0
      guard let base = buffer.baseAddress else { return true }
      while offset < buffer.count {
        let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return false }
        offset += written
      }
      return true
    }
  }

  private static func readExactly(_ count: Int, from descriptor: Int32) -> Data? {
    var data = Data(count: count)
    let complete = data.withUnsafeMutableBytes { buffer in
      var offset = 0
      guard let base = buffer.baseAddress else { return true }
      while offset < count {
        let got = Glibc.read(descriptor, base + offset, count - offset)
        if got < 0 && errno == EINTR { continue }
        guard got > 0 else { return false }
        offset += got
      }
      return true
    }
    return complete ? data : nil
  }
}
