import Extraction
import Foundation
import SeverCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// What one translation unit is parsed from; also the request a worker (`sever __extract-worker`)
/// reads.
public struct UnitRequest: Codable, Sendable {
  /// The file to parse (absolute).
  public var path: String
  /// Compile arguments, without a compiler name and without the file.
  public var arguments: [String]
  /// Paths in the facts are made relative to this directory.
  public var root: String
  /// Contents that replace files on disk (absolute path → text).
  public var unsavedFiles: [String: String]
  /// A precompiled header to parse the unit over (`FactExtractor.extractWithDependencies`).
  public var precompiledHeader: String?
  /// When set, `path` is a header to save here as a precompiled header, not a unit to extract
  /// (`FactExtractor.precompile`); the answer has no facts, only the files the header read.
  public var precompileInto: String?

  /// Creates a request.
  public init(
    path: String, arguments: [String], root: String, unsavedFiles: [String: String],
    precompiledHeader: String? = nil, precompileInto: String? = nil
  ) {
    self.path = path
    self.arguments = arguments
    self.root = root
    self.unsavedFiles = unsavedFiles
    self.precompiledHeader = precompiledHeader
    self.precompileInto = precompileInto
  }
}

/// A parsed unit: its facts and every file it read (for the facts cache), and whether it was
/// parsed over a precompiled header.
struct ParsedUnit: Codable, Sendable {
  var facts: [FileFacts]
  var dependencies: [String]
  var precompiled = false
}

/// What a worker writes for a request: the parsed unit or why there is none.
struct UnitResponse: Codable {
  var parsed: ParsedUnit?
  var error: ExtractionError?
}

/// Parses one unit so that a hang or a crash in libclang costs that unit, not the run.
///
/// By default the unit goes to a worker process of a `WorkerPool`, killed at the deadline; a
/// crash kills the worker, never sever. In process (`--no-isolate`), the parse runs on a thread
/// of its own with `FactExtractor.stackSize` of stack and the caller waits for it with a
/// deadline. libclang cannot cancel a parse, so a thread that misses the deadline is abandoned:
/// it keeps running, and keeps its `CXIndex` and memory, until it ends or the process exits,
/// and a crash on it ends the run.
enum UnitExtraction {
  /// The stack of a parse thread (every libclang call of the unit runs on it).
  static let stackSize = FactExtractor.stackSize

  /// Parses `request` in a worker of `pool`, or in process without one; `timeout` (seconds)
  /// bounds either.
  static func extract(_ request: UnitRequest, timeout: Double?, pool: WorkerPool?) async
    -> Result<ParsedUnit, ExtractionError>
  {
    if let pool {
      return await pool.extract(request, timeout: timeout)
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
          if let output = request.precompileInto {
            let read = try FactExtractor.precompile(
              header: request.path, arguments: request.arguments, root: request.root,
              output: output)
            return ParsedUnit(facts: [], dependencies: read)
          }
          let parsed = try FactExtractor.extractWithDependencies(
            path: request.path, arguments: request.arguments, root: request.root,
            unsavedFiles: request.unsavedFiles, precompiledHeader: request.precompiledHeader)
          return ParsedUnit(
            facts: parsed.facts, dependencies: parsed.dependencies,
            precompiled: parsed.precompiled)
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

/// The worker side of `WorkerPool`: `sever __extract-worker` reads `UnitRequest`s as frames
/// (`WorkerFrame`) on standard input, parses each in process and answers each with a
/// `UnitResponse` frame on standard output, until its input ends.
public enum UnitWorker {
  /// The hidden subcommand a worker is started with.
  public static let subcommand = "__extract-worker"

  /// Sets the process up for parsing (`FactExtractor.prepareProcess`); `main` calls it first.
  public static func prepareProcess() { FactExtractor.prepareProcess() }

  /// The address space a worker may use: half the machine's memory, and at least 4 GiB (a
  /// kernel unit parses in a few hundred MiB; the parse thread reserves 512 MiB of it). A
  /// macro that expands without end then makes an allocation fail, which crashes that worker
  /// (and costs that unit), instead of driving the machine into its out-of-memory killer.
  static var addressSpaceLimit: rlim_t {
    max(4 << 30, rlim_t(ProcessInfo.processInfo.physicalMemory / 2))
  }

  /// Serves requests until standard input ends; returns the exit status (0 at the end of
  /// the input, 2 for a request that is not one, 3 when an answer cannot be written).
  public static func serve() async -> Int32 {
    prepareProcess()
    var limit = rlimit()
    let resource = __rlimit_resource_t(RLIMIT_AS.rawValue)
    if getrlimit(resource, &limit) == 0, limit.rlim_cur > addressSpaceLimit {
      limit.rlim_cur = min(addressSpaceLimit, limit.rlim_max)
      setrlimit(resource, &limit)
    }
    // Standard output carries frames only: anything else that writes there (a library's
    // message) goes to /dev/null instead of into the stream.
    let answers = dup(1)
    let null = open("/dev/null", O_WRONLY)
    guard answers >= 0, null >= 0, dup2(null, 1) >= 0 else { return 3 }
    close(null)
    while let body = WorkerFrame.read(from: 0) {
      guard let request = try? JSONDecoder().decode(UnitRequest.self, from: body) else {
        FileHandle.standardError.write(
          Data("sever: error: \(subcommand) expects unit requests from sever itself\n".utf8))
        return 2
      }
      let response: UnitResponse
      switch await UnitExtraction.inProcess(request, timeout: nil) {
      case .success(let parsed): response = UnitResponse(parsed: parsed, error: nil)
      case .failure(let error): response = UnitResponse(parsed: nil, error: error)
      }
      guard let out = try? JSONEncoder().encode(response), WorkerFrame.write(out, to: answers)
      else { return 3 }
    }
    return 0
  }
}
