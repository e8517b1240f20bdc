import Foundation
import SeverTestSupport
import Testing

/// The same input gives byte-identical output: run after run, with one job or two, with the
/// facts cache cold, warm or off, in every report format and for `facts`.
@Suite struct DeterminismTests {
  /// The command lines compared, without `--jobs` and `--no-cache`.
  static let commands: [[String]] =
    ["text", "json", "sarif", "github", "gitlab"].map { ["check", "--format", $0, "tree"] }
    + [
      ["facts", "tree/drivers/demo", "tree/kernel/cgroup/files.c", "tree/kernel/sched/pressure.c"]
    ]

  /// The variations of one command whose output must not differ, in the order they run: the
  /// cache starts empty, so the third run fills it and the later ones read it.
  static let variations: [(label: String, extra: [String])] = [
    ("--no-cache --jobs 1", ["--no-cache", "--jobs", "1"]),
    ("--no-cache --jobs 2", ["--no-cache", "--jobs", "2"]),
    ("cold cache --jobs 2", ["--jobs", "2"]),
    ("warm cache --jobs 1", ["--jobs", "1"]),
    ("warm cache --jobs 2", ["--jobs", "2"]),
    ("warm cache --jobs 2, again", ["--jobs", "2"]),
  ]

  @Test(arguments: commands) func outputIsByteIdentical(_ command: [String]) throws {
    let cache = try BadInputRunner.temporaryDirectory("sever-determinism")
    defer { try? FileManager.default.removeItem(atPath: cache) }
    var first: (label: String, run: BadInputRunner.Run)?
    for (label, extra) in Self.variations {
      let arguments = [command[0]] + extra + command.dropFirst()
      let run = try BadInputRunner.run(
        arguments, in: FixturePaths.fixtures, environment: ["XDG_CACHE_HOME": cache])
      #expect(run.status <= 1 && run.signal == nil, "\(label): \(run.stderr)")
      #expect(!run.stdout.isEmpty, "\(label): no output")
      guard let reference = first else {
        first = (label, run)
        continue
      }
      #expect(
        run.stdout == reference.run.stdout,
        "standard output of \(label) differs from \(reference.label)")
      #expect(
        run.stderr == reference.run.stderr,
        "standard error of \(label) differs from \(reference.label)")
    }
  }
}
