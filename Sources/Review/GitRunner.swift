import Foundation

/// Runs git with a fixed argument array (no shell, nothing from a patch in the arguments but
/// validated paths after a `revision:` prefix) in one directory.
struct GitRunner: Sendable {
  /// The working directory for every command.
  let directory: String

  /// The git executable: the first `git` on `PATH`.
  static var executable: String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = String(directory) + "/git"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// The most standard output kept: one byte over the largest patch or file sever reads, so that
  /// callers see that it is too large.
  static let maximumOutput = PatchParser.maximumInputSize + 1

  /// Standard output of a successful command; throws with git's message otherwise.
  func output(_ arguments: [String]) throws(ReviewError) -> Data {
    let (status, output, error) = try run(arguments)
    // Output cut at the bound (git was stopped) goes to the caller, which reports its size.
    guard status == 0 || output.count > PatchParser.maximumInputSize else {
      let message = String(decoding: error, as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      throw .git("git \(arguments.first ?? "") failed: \(message)")
    }
    return output
  }

  /// Standard output when the command succeeds, nil when it exits non-zero.
  func outputIfSuccessful(_ arguments: [String]) throws(ReviewError) -> Data? {
    let (status, output, _) = try run(arguments)
    return status == 0 || output.count > PatchParser.maximumInputSize ? output : nil
  }

  /// Standard output as trimmed text.
  func text(_ arguments: [String]) throws(ReviewError) -> String {
    String(decoding: try output(arguments), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The blobs of `paths` (relative to the root, none holding a line break) in `revision`, in
  /// order, read by one `git cat-file --batch`: nil for a path that names no blob (a missing
  /// file, a directory). Throws for a blob larger than sever reads.
  func blobs(revision: String, paths: [String]) throws(ReviewError) -> [Data?] {
    guard !paths.isEmpty else { return [] }
    let specs = paths.map { "\(revision):\($0)" }
    Self.ignoreBrokenPipes

    let (process, output, error) = try start(["cat-file", "--batch"], input: true)
    let input = Data(specs.map { $0 + "\n" }.joined().utf8)
    // Written beside the reading: git answers each line as it reads it, and would block on a
    // full output pipe while the input still waits in another full pipe.
    let writer = process.standardInput as? Pipe
    let written = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      try? writer?.fileHandleForWriting.write(contentsOf: input)
      try? writer?.fileHandleForWriting.close()
      written.signal()
    }
    var reader = BatchReader(handle: output.fileHandleForReading)
    var result: [Data?] = []
    var tooLarge: String?
    for path in paths {
      guard let header = reader.line() else { break }
      let fields = header.split(separator: " ")
      guard fields.count == 3, let size = Int(fields[2]), size >= 0 else {
        result.append(nil)  // `<spec> missing`, `<spec> ambiguous`
        continue
      }
      let kept = size <= PatchParser.maximumInputSize
      let body = reader.bytes(size, keep: kept)
      _ = reader.bytes(1, keep: false)  // the newline after the object
      if !kept, fields[1] == "blob" { tooLarge = tooLarge ?? path }
      result.append(fields[1] == "blob" ? body : nil)
    }
    written.wait()
    let message = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0, result.count == specs.count else {
      let text = String(decoding: message, as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      throw .git("git cat-file --batch failed: \(text.isEmpty ? "its output ended early" : text)")
    }
    if let tooLarge { throw .unreadableBase(path: tooLarge, reason: "larger than 16 MiB") }
    return result
  }

  /// A git that exits before reading all its input must fail the write, not kill sever.
  private static let ignoreBrokenPipes: Void = {
    signal(SIGPIPE, SIG_IGN)
  }()

  /// Reads `git cat-file --batch` output: header lines and object bodies of given sizes. Read
  /// bytes are dropped once per chunk read, not at every line or body.
  private struct BatchReader {
    let handle: FileHandle
    var buffer: [UInt8] = []
    /// How many bytes at the front of `buffer` were read already.
    var start = 0

    mutating func fill() -> Bool {
      guard let chunk = try? handle.read(upToCount: 1 << 16), !chunk.isEmpty else { return false }
      buffer.removeFirst(start)
      start = 0
      buffer.append(contentsOf: chunk)
      return true
    }

    /// The next line without its newline, or nil at the end.
    mutating func line() -> String? {
      while true {
        if let newline = buffer[start...].firstIndex(of: 0x0A) {
          let line = String(decoding: buffer[start..<newline], as: UTF8.self)
          start = newline + 1
          return line
        }
        guard fill() else { return nil }
      }
    }

    /// The next `count` bytes (fewer at the end), kept or only skipped.
    mutating func bytes(_ count: Int, keep: Bool) -> Data {
      var result = Data()
      var left = count
      while left > 0 {
        if start == buffer.count, !fill() { break }
        let take = min(left, buffer.count - start)
        if keep { result.append(contentsOf: buffer[start..<start + take]) }
        start += take
        left -= take
      }
      return result
    }
  }

  private func run(_ arguments: [String]) throws(ReviewError) -> (Int32, Data, Data) {
    let (process, outputPipe, errorPipe) = try start(arguments, input: false)
    // Standard output is drained before waiting, so a large diff cannot fill the pipe and block
    // git; git's standard error is a few lines, well under a pipe's buffer. Past
    // `maximumOutput` git is stopped: callers refuse output that large, and it is not held.
    let reader = outputPipe.fileHandleForReading
    var output = Data()
    while output.count <= Self.maximumOutput,
      let chunk = try? reader.read(upToCount: 1 << 16), !chunk.isEmpty
    {
      output.append(chunk)
    }
    if output.count > Self.maximumOutput {
      // SIGKILL, not terminate()'s SIGTERM: git inherits the signal mask of the Dispatch thread
      // that started it, where SIGTERM is blocked, and would wait on the full pipe for ever.
      kill(process.processIdentifier, SIGKILL)
    }
    let error = errorPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, output, error)
  }

  /// git started with `arguments` and pipes for its output and error (and input, if asked).
  private func start(_ arguments: [String], input: Bool) throws(ReviewError)
    -> (Process, Pipe, Pipe)
  {
    guard let executable = Self.executable else {
      throw .git("git is not on PATH; --git, --staged and hook need git")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    // Configuration that would change diff output (prefixes, external diff) is overridden, and
    // so is core.fsmonitor, a command the checkout's configuration could make git run.
    process.arguments =
      [
        "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false", "-c", "core.quotePath=true",
        "-c", "core.fsmonitor=false",
      ]
      + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let outputPipe = Pipe()
    let errorPipe = Pipe()
    process.standardOutput = outputPipe
    process.standardError = errorPipe
    process.standardInput = input ? Pipe() : FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw .git("cannot run git in '\(directory)': \(error.localizedDescription)")
    }
    return (process, outputPipe, errorPipe)
  }
}
