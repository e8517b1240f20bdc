import Foundation

/// Runs the built `sever` executable (and git) as a user would, and captures what it prints.
public enum SeverBinary {
  /// The result of one run.
  public struct Run: Sendable {
    /// The exit status.
    public var status: Int32
    /// Standard output.
    public var stdout: String
    /// Standard error.
    public var stderr: String
    /// Both, for messages.
    public var output: String { stdout + stderr }
  }

  /// The executable next to the test bundle (SwiftPM builds it for the test targets that depend
  /// on it), else `.build/debug/sever`.
  public static var path: String {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("sever").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return FixturePaths.repository + "/.build/debug/sever"
  }

  /// The environment of every run: a private cache, a fixed git identity, no colour, a fixed
  /// width; `extra` is added on top.
  public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["XDG_CACHE_HOME"] = NSTemporaryDirectory() + "sever-cli-tests"
    environment["COLUMNS"] = "100"
    environment["NO_COLOR"] = "1"
    environment["GIT_AUTHOR_NAME"] = "Test"
    environment["GIT_AUTHOR_EMAIL"] = "test@example.org"
    environment["GIT_COMMITTER_NAME"] = "Test"
    environment["GIT_COMMITTER_EMAIL"] = "test@example.org"
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment.merge(extra) { _, new in new }
    return environment
  }

  /// Runs sever with `arguments` in `directory`.
  public static func run(
    _ arguments: [String], in directory: String? = nil, environment extra: [String: String] = [:],
    input: String? = nil
  ) throws -> Run {
    try execute(path, arguments, in: directory, environment: environment(extra), input: input)
  }

  /// Runs git with `arguments` in `directory` (the tests need it for --staged, --git, hooks).
  public static func git(_ arguments: [String], in directory: String) throws -> Run {
    try execute("/usr/bin/env", ["git"] + arguments, in: directory, environment: environment())
  }

  /// A fresh git checkout holding a copy of `Fixtures/tree`, one commit deep.
  public static func checkout() throws -> String {
    let directory = try FixturePaths.copyOfTree()
    for arguments in [["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]] {
      let run = try git(arguments, in: directory)
      guard run.status == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
    return directory
  }

  /// Runs any executable, feeding `input` on standard input (none when nil).
  public static func execute(
    _ executable: String, _ arguments: [String], in directory: String? = nil,
    environment: [String: String], input: String? = nil
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
    // Both pipes are drained at once, so a child filling one while the other is read cannot
    // block. The readers get threads of their own and the wait for them a deadline: a process
    // that outlives the child holding its output open (a grandchild that inherited it) would
    // otherwise keep the test, and the cooperative thread under it, waiting without end.
    let outData = LockedData()
    let errorData = LockedData()
    for (pipe, data) in [(output, outData), (error, errorData)] {
      Thread { data.set(pipe.fileHandleForReading.readDataToEndOfFile()) }.start()
    }
    process.waitUntilExit()
    let deadline = Date(timeIntervalSinceNow: 120)
    guard let out = outData.waitForValue(until: deadline),
      let err = errorData.waitForValue(until: deadline)
    else {
      throw OutputNeverEnded(executable: executable, arguments: arguments)
    }
    return Run(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: err, as: UTF8.self))
  }
}

/// A child exited, but its output did not end within two minutes: another process holds it.
public struct OutputNeverEnded: Error, CustomStringConvertible {
  /// The child's executable.
  public var executable: String
  /// Its arguments.
  public var arguments: [String]

  /// What happened, for the test's failure.
  public var description: String {
    "'\(executable) \(arguments.joined(separator: " "))' exited, but its output was still "
      + "open two minutes later: a process it started (or one started beside it) holds it"
  }
}

/// Data handed from a reader thread to the waiting test.
private final class LockedData: @unchecked Sendable {
  // Safe: `condition` guards `value` and `done` in both methods.
  private let condition = NSCondition()
  private var value = Data()
  private var done = false

  func set(_ data: Data) {
    condition.lock()
    value = data
    done = true
    condition.signal()
    condition.unlock()
  }

  /// The data, or nil when it did not come by `deadline`.
  func waitForValue(until deadline: Date) -> Data? {
    condition.lock()
    defer { condition.unlock() }
    while !done {
      guard condition.wait(until: deadline) else { return done ? value : nil }
    }
    return value
  }
}
