import Foundation

/// The real clients the integration tests drive (b4, pre-commit, git send-email, shellcheck,
/// check-jsonschema), found on `PATH`. `make deps` installs them; a test that needs one that is
/// missing fails saying how to install it, so a green run never hides a skipped client.
public enum ExternalTool {
  /// The executable `name` on `PATH`, or nil.
  public static func find(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = String(directory) + "/" + name
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// How to install each tool, for the failure message.
  public static let installation: [String: String] = [
    "b4": "python3 -m pip install b4",
    "pre-commit": "python3 -m pip install pre-commit",
    "check-jsonschema": "python3 -m pip install check-jsonschema",
    "shellcheck": "apt-get install shellcheck",
    "git-send-email": "apt-get install git-email",
  ]

  /// The message of a test that cannot run its client.
  public static func missing(_ name: String) -> String {
    "\(name) is not installed; `make deps` installs it (\(installation[name] ?? name))"
  }

  /// Whether `git send-email` is available (Debian's git-email package).
  public static var hasGitSendEmail: Bool {
    guard let git = find("git") else { return false }
    let run = try? SeverBinary.execute(
      git, ["send-email", "--help"], environment: SeverBinary.environment(["MANPAGER": "cat"]))
    return run.map { !$0.output.contains("is not a git command") } ?? false
  }

  /// A fresh directory under the temporary directory.
  public static func temporaryDirectory(_ label: String) throws -> String {
    let path = FixturePaths.temporary(label)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
