import Foundation

/// What a patch takes from the tree's git history: the subject prefix the file's commits use,
/// the commit that introduced a line (for `Fixes:`), the author identity, and whether the
/// working tree has changes. Git runs with fixed argument arrays (no shell), paths after `--`,
/// and output bounded by what is asked (`-n`, `-L`).
public struct GitHistory: Sendable {
  /// The checkout's top directory.
  public let top: String

  /// The history of the checkout holding `directory`; nil when it is not one or git is missing.
  public init?(directory: String) {
    guard let output = Self.run(["rev-parse", "--show-toplevel"], in: directory),
      output.status == 0
    else { return nil }
    top = output.text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !top.isEmpty else { return nil }
  }

  /// A commit, as a `Fixes:` tag names it.
  public struct Commit: Sendable, Hashable {
    /// The full hash.
    public var hash: String
    /// Its subject line.
    public var subject: String
    /// When it was committed (seconds since the epoch).
    public var time: Int

    /// `Fixes: <12 hex digits> ("subject")`.
    public var fixesTag: String { "Fixes: \(hash.prefix(12)) (\"\(subject)\")" }
  }

  /// The subjects of the last commits that touched a file (absolute path), newest first.
  func subjects(of path: String, limit: Int = 200) -> [String] {
    guard
      let output = run(["log", "--no-merges", "-n", "\(limit)", "--format=%s", "--", path]),
      output.status == 0
    else { return [] }
    return output.text.split(separator: "\n").map(String.init)
  }

  /// The commit that last changed a line of a file (absolute path) as it is in the working tree;
  /// a line not committed yet has none.
  func commit(introducing line: Int, of path: String) -> Commit? {
    guard
      let output = run(["blame", "--porcelain", "-L", "\(line),\(line)", "--", path]),
      output.status == 0
    else { return nil }
    var lines = output.text.split(separator: "\n", omittingEmptySubsequences: false)[...]
    guard let first = lines.popFirst()?.split(separator: " ").first,
      first.count == 40, first.contains(where: { $0 != "0" })
    else { return nil }
    var subject: String?
    var time = 0
    for line in lines {
      if line.hasPrefix("summary ") { subject = String(line.dropFirst("summary ".count)) }
      if line.hasPrefix("committer-time ") {
        time = Int(line.dropFirst("committer-time ".count)) ?? 0
      }
      if line.hasPrefix("\t") { break }
    }
    guard let subject else { return nil }
    return Commit(hash: String(first), subject: subject, time: time)
  }

  /// git's author identity (`Name <address>`), as `git commit` would record it.
  func authorIdentity() -> String? {
    guard let output = run(["var", "GIT_AUTHOR_IDENT"]), output.status == 0,
      let close = output.text.lastIndex(of: ">")
    else { return nil }
    return String(output.text[...close])
  }

  /// Whether tracked files differ from the index or the index from `HEAD`.
  public func hasChanges() -> Bool {
    [["diff", "--quiet"], ["diff", "--cached", "--quiet"]].contains { arguments in
      run(arguments)?.status != 0
    }
  }

  private func run(_ arguments: [String]) -> (status: Int32, text: String)? {
    Self.run(arguments, in: top)
  }

  /// Runs git; standard error is dropped (a failed command is a missing answer, not an error).
  private static func run(_ arguments: [String], in directory: String) -> (
    status: Int32, text: String
  )? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    guard
      let git = path.split(separator: ":").map({ $0 + "/git" })
        .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: git)
    // core.fsmonitor would make git run a command the checkout's configuration names.
    process.arguments = ["-c", "core.fsmonitor=false", "-c", "core.quotePath=true"] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
