import Foundation

/// Runs the built `sever` (and git) for end-to-end review tests.
enum ReviewBinary {
  /// The result of one run.
  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The executable next to the test bundle, else `.build/debug/sever`.
  static var sever: String {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("sever").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: ReviewFixtures.root).deletingLastPathComponent()
      .appendingPathComponent(".build/debug/sever").path
  }

  /// An environment with a private cache and a fixed git identity.
  static var environment: [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["XDG_CACHE_HOME"] = NSTemporaryDirectory() + "sever-review-tests"
    environment["GIT_AUTHOR_NAME"] = "Test"
    environment["GIT_AUTHOR_EMAIL"] = "test@example.org"
    environment["GIT_COMMITTER_NAME"] = "Test"
    environment["GIT_COMMITTER_EMAIL"] = "test@example.org"
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["NO_COLOR"] = "1"
    return environment
  }

  /// Runs `executable` with `arguments` in `directory`, feeding `input` on standard input.
  static func run(
    _ executable: String, _ arguments: [String], in directory: String? = nil,
    input: String? = nil
  ) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let output = Pipe()
    let error = Pipe()
    let standardInput = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = input == nil ? FileHandle.nullDevice : standardInput
    try process.run()
    if let input {
      standardInput.fileHandleForWriting.write(Data(input.utf8))
      try standardInput.fileHandleForWriting.close()
    }
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: err, as: UTF8.self))
  }

  /// Runs sever.
  static func review(_ arguments: [String], in directory: String? = nil, input: String? = nil)
    throws -> Run
  {
    try run(sever, arguments, in: directory, input: input)
  }

  /// Runs git; the tests need it for --staged, --git and the hook.
  static func git(_ arguments: [String], in directory: String) throws -> Run {
    try run("/usr/bin/env", ["git"] + arguments, in: directory)
  }

  /// A fresh git checkout holding a copy of `Fixtures/tree`, one commit deep.
  static func checkout() throws -> String {
    let directory = NSTemporaryDirectory() + "sever-review-" + UUID().uuidString
    try FileManager.default.copyItem(atPath: ReviewFixtures.root + "/tree", toPath: directory)
    for arguments in [["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]] {
      let run = try git(arguments, in: directory)
      guard run.status == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
    return directory
  }
}
