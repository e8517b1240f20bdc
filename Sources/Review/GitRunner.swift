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

  /// Standard output of a successful command; throws with git's message otherwise.
  func output(_ arguments: [String]) throws(ReviewError) -> Data {
    let (status, output, error) = try run(arguments)
    guard status == 0 else {
      let message = String(decoding: error, as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      throw .git("git \(arguments.first ?? "") failed: \(message)")
    }
    return output
  }

  /// Standard output when the command succeeds, nil when it exits non-zero.
  func outputIfSuccessful(_ arguments: [String]) throws(ReviewError) -> Data? {
    let (status, output, _) = try run(arguments)
    return status == 0 ? output : nil
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
    // Configuration that would change diff output (prefixes, external diff) is overridden.
    process.arguments =
      ["-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false", "-c", "core.quotePath=true"]
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
    // git; git's standard error is a few lines, well under a pipe's buffer.
    let output = outputPipe.fileHandleForReading.readDataToEndOfFile()
    let error = errorPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, output, error)
  }
}
