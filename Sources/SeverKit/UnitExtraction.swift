import Extraction
import Foundation
import SeverCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// What one translation unit is parsed from; also the request `sever __extract-unit` reads.
public struct UnitRequest: Codable, Sendable {
  /// The file to parse (absolute).
  public var path: String
  /// Compile arguments, without a compiler name and without the file.
  public var arguments: [String]
  /// Paths in the facts are made relative to this directory.
  public var root: String
  /// Contents that replace files on disk (absolute path → text).
  public var unsavedFiles: [String: String]

  /// Creates a request.
  public init(path: String, arguments: [String], root: String, unsavedFiles: [String: String]) {
    self.path = path
    self.arguments = arguments
    self.root = root
    self.unsavedFiles = unsavedFiles
  }
}

/// A parsed unit: its facts and every file it read (for the facts cache).
struct ParsedUnit: Codable, Sendable {
  var facts: [FileFacts]
  var dependencies: [String]
}

/// What `sever __extract-unit` writes: the parsed unit or why there is none.
struct UnitResponse: Codable {
  var parsed: ParsedUnit?
  var error: ExtractionError?
}

/// Parses one unit so that a hang or a crash in libclang costs that unit, not the run.
///
/// In process, the parse runs on a thread of its own (16 MiB of stack, for deeply nested code)
/// and the caller waits for it with a deadline. libclang cannot cancel a parse, so a thread that
/// misses the deadline is abandoned: it keeps running, and keeps its `CXIndex` and memory, until
/// it ends or the process exits. That leak is the price of going on; `--isolate` avoids it by
/// parsing in a child process that is killed instead, and also survives a crash.
enum UnitExtraction {
  /// The stack of a parse thread.
  static let stackSize = 16 << 20

  /// Parses `request` in process or, with `isolateExecutable`, in a child process running
  /// `isolateExecutable __extract-unit`; `timeout` (seconds) bounds either.
  static func extract(_ request: UnitRequest, timeout: Double?, isolateExecutable: String?) async
    -> Result<ParsedUnit, ExtractionError>
  {
    if let isolateExecutable {
      return await isolated(request, executable: isolateExecutable, timeout: timeout)
    }
    return await inProcess(request, timeout: timeout)
  }

  /// Parses on a dedicated thread; past the deadline the thread is abandoned.
  static func inProcess(_ request: UnitRequest, timeout: Double?) async
    -> Result<ParsedUnit, ExtractionError>
  {
    await withCheckedContinuation { continuation in
      let once = OneShot(continuation)
      let thread = Thread {
        let result = Result { () throws(ExtractionError) in
          let parsed = try FactExtractor.extractWithDependencies(
            path: request.path, arguments: request.arguments, root: request.root,
            unsavedFiles: request.unsavedFiles)
          return ParsedUnit(facts: parsed.facts, dependencies: parsed.dependencies)
        }
        once.resume(result)
      }
      thread.stackSize = stackSize
      thread.start()
      if let timeout {
        // The timer outlives a parse that ends first (it is a no-op then): it holds only the
        // path, not the request with its unsaved files.
        let path = request.path
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
          once.resume(.failure(.timedOut(path: path, seconds: timeout)))
        }
      }
    }
  }

  /// Parses in a child process, killed with SIGKILL at the deadline.
  static func isolated(_ request: UnitRequest, executable: String, timeout: Double?) async
    -> Result<ParsedUnit, ExtractionError>
  {
    ignoreBrokenPipes
    return await withCheckedContinuation { continuation in
      let child = ChildState()
      let thread = Thread {
        continuation.resume(returning: runChild(request, executable: executable, child: child))
      }
      thread.start()
      if let timeout {
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
          child.killForTimeout(seconds: timeout)
        }
      }
    }
  }

  /// A child that dies writes nothing more; its pipe must fail a write, not kill sever.
  private static let ignoreBrokenPipes: Void = {
    signal(SIGPIPE, SIG_IGN)
  }()

  /// Runs the child to its end (blocking): request in on stdin, response out on stdout.
  private static func runChild(_ request: UnitRequest, executable: String, child: ChildState)
    -> Result<ParsedUnit, ExtractionError>
  {
    let path = request.path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = [UnitWorker.subcommand]
    var environment = ProcessInfo.processInfo.environment
    // A crashing child is expected here; its backtrace would only slow the run down.
    environment["SWIFT_BACKTRACE"] = "enable=no"
    process.environment = environment
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    let body: Data
    do {
      body = try JSONEncoder().encode(request)
    } catch {
      return .failure(.childFailed(path: path, reason: "cannot encode the request: \(error)"))
    }
    do {
      try process.run()
    } catch {
      return .failure(
        .childFailed(
          path: path, reason: "cannot start '\(executable)': \(error.localizedDescription)"))
    }
    child.started(pid: process.processIdentifier)
    // A child killed early makes this write fail; the exit status below says why.
    try? input.fileHandleForWriting.write(contentsOf: body)
    try? input.fileHandleForWriting.close()
    let reply = (try? output.fileHandleForReading.readToEnd()) ?? Data()
    process.waitUntilExit()
    let killed = child.finished()
    if let seconds = killed { return .failure(.timedOut(path: path, seconds: seconds)) }
    if process.terminationReason == .uncaughtSignal {
      return .failure(.childCrashed(path: path, signal: Int(process.terminationStatus)))
    }
    guard process.terminationStatus == 0,
      let response = try? JSONDecoder().decode(UnitResponse.self, from: reply)
    else {
      return .failure(
        .childFailed(
          path: path,
          reason: "exit status \(process.terminationStatus) and no readable facts on its output"))
    }
    if let parsed = response.parsed { return .success(parsed) }
    return .failure(
      response.error ?? .childFailed(path: path, reason: "it answered neither facts nor an error"))
  }
}

/// Resumes a continuation once: the first of the parse and the deadline wins.
private final class OneShot: Sendable {
  private let continuation: Mutex<CheckedContinuation<Result<ParsedUnit, ExtractionError>, Never>?>

  init(_ continuation: CheckedContinuation<Result<ParsedUnit, ExtractionError>, Never>) {
    self.continuation = Mutex(continuation)
  }

  func resume(_ result: Result<ParsedUnit, ExtractionError>) {
    let pending = continuation.withLock { pending in
      defer { pending = nil }
      return pending
    }
    pending?.resume(returning: result)
  }
}

/// The child's pid, shared by the thread that waits for it and the deadline that kills it.
private final class ChildState: Sendable {
  private struct State {
    var pid: pid_t?
    var done = false
    var killedAfter: Double?
  }
  private let state = Mutex(State())

  /// Records the child; kills it at once when the deadline passed while it was being started.
  func started(pid: pid_t) {
    state.withLock { state in
      state.pid = pid
      if state.killedAfter != nil { kill(pid, SIGKILL) }
    }
  }

  /// Kills a child still running. Between the child's exit and `finished()` its pid is reaped
  /// but not yet marked done, a window of microseconds in which the pid could be reused.
  func killForTimeout(seconds: Double) {
    state.withLock { state in
      guard !state.done, let pid = state.pid else {
        if !state.done { state.killedAfter = seconds }
        return
      }
      state.killedAfter = seconds
      kill(pid, SIGKILL)
    }
  }

  /// Marks the child done; returns the time limit when the deadline killed it.
  func finished() -> Double? {
    state.withLock { state in
      state.done = true
      return state.killedAfter
    }
  }
}

/// The child side of `--isolate`: `sever __extract-unit` reads a `UnitRequest` as JSON on
/// standard input, parses it and writes the facts (or the error) as JSON on standard output.
public enum UnitWorker {
  /// The hidden subcommand the child is started with.
  public static let subcommand = "__extract-unit"

  /// Serves one request; returns the exit status (0 whenever a response was written).
  public static func serve() async -> Int32 {
    guard let data = try? FileHandle.standardInput.readToEnd(),
      let request = try? JSONDecoder().decode(UnitRequest.self, from: data)
    else {
      FileHandle.standardError.write(
        Data("sever: error: \(subcommand) expects a unit request as JSON on stdin\n".utf8))
      return 2
    }
    let response: UnitResponse
    switch await UnitExtraction.inProcess(request, timeout: nil) {
    case .success(let parsed): response = UnitResponse(parsed: parsed, error: nil)
    case .failure(let error): response = UnitResponse(parsed: nil, error: error)
    }
    guard let out = try? JSONEncoder().encode(response) else { return 3 }
    do {
      try FileHandle.standardOutput.write(contentsOf: out)
    } catch {
      return 3
    }
    return 0
  }
}
