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

  private func run(_ arguments: [String]) throws(ReviewError) -> (Int32, Data, Data) {
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
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw .git("cannot run git in '\(directory)': \(error.localizedDescription)")
    }
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
}
