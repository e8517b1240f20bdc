import Foundation
import SeverTestSupport
import Testing

/// sever reads trees, patches and configuration and writes nothing but its facts cache (under
/// `XDG_CACHE_HOME`), the files an option names, and `hook install`'s hook under `.git/hooks`.
/// Every subcommand runs on a copy of the fixtures in a git checkout; every file, directory and
/// link under the temporary root (the checkout, the inputs, `HOME`, `TMPDIR`) is compared before
/// and after.
@Suite struct ReadOnlyTests {
  /// What a path holds: enough to see any change of contents, kind or permissions.
  enum Entry: Equatable, CustomStringConvertible {
    case directory(mode: Int)
    case file(mode: Int, contents: Data)
    case link(String)

    var description: String {
      switch self {
      case .directory(let mode): "directory \(String(mode, radix: 8))"
      case .file(let mode, let contents): "file \(String(mode, radix: 8)), \(contents.count) bytes"
      case .link(let target): "link to \(target)"
      }
    }
  }

  /// Every path under `root` except those under `excluded` (root-relative prefixes).
  static func snapshot(_ root: String, excluding excluded: [String] = ["cache"]) throws
    -> [String: Entry]
  {
    let fm = FileManager.default
    var result: [String: Entry] = [:]
    guard let walker = fm.enumerator(atPath: root) else { return result }
    while let relative = walker.nextObject() as? String {
      if excluded.contains(where: { relative == $0 || relative.hasPrefix($0 + "/") }) {
        walker.skipDescendants()
        continue
      }
      let path = root + "/" + relative
      let attributes = try fm.attributesOfItem(atPath: path)
      let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
      switch attributes[.type] as? FileAttributeType {
      case .typeDirectory?: result[relative] = .directory(mode: mode)
      case .typeSymbolicLink?:
        result[relative] = .link(try fm.destinationOfSymbolicLink(atPath: path))
      default:
        result[relative] = .file(mode: mode, contents: fm.contents(atPath: path) ?? Data())
      }
    }
    return result
  }

  /// The paths whose entry differs between two snapshots, sorted.
  static func changes(_ before: [String: Entry], _ after: [String: Entry]) -> [String] {
    Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
  }

  /// A temporary root: `work` (a git checkout of Fixtures/tree, two commits and a staged
  /// change), `kbuild` (Fixtures/kbuild/makefiles), `inputs` (a patch, a behaviour summary),
  /// and empty `home`, `tmp` and `cache` folders.
  static func layout() throws -> String {
    let root = try BadInputRunner.temporaryDirectory("sever-read-only")
    let fm = FileManager.default
    let fixtures = FixturePaths.fixtures
    try fm.copyItem(atPath: fixtures + "/tree", toPath: root + "/work")
    try fm.copyItem(atPath: fixtures + "/kbuild/makefiles", toPath: root + "/kbuild")
    for folder in ["inputs", "home", "tmp", "cache"] {
      try fm.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
    }
    try fm.copyItem(
      atPath: fixtures + "/patches/0001-demo-per-file-waitqueue.patch",
      toPath: root + "/inputs/change.patch")
    try fm.copyItem(
      atPath: fixtures + "/model/unsafe-cftype-free.json", toPath: root + "/inputs/summary.json")
    let work = root + "/work"
    try git(["init", "-q"], in: work, root: root)
    try git(["add", "-A"], in: work, root: root)
    try git(["commit", "-q", "-m", "tree"], in: work, root: root)
    try git(
      ["apply", "--index", fixtures + "/patches/0001-kernfs-free-hook.patch"], in: work, root: root)
    try git(["commit", "-q", "-m", "free hook"], in: work, root: root)
    try "/* staged */\n".write(
      toFile: work + "/drivers/demo/staged.c", atomically: true, encoding: .utf8)
    try git(["add", "drivers/demo/staged.c"], in: work, root: root)
    return root
  }

  /// Runs git for the set-up, with a fixed identity and no global configuration.
  static func git(_ arguments: [String], in directory: String, root: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
      ["git", "-c", "user.name=Read Only", "-c", "user.email=ro@example.org"]
      + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var environment = ProcessInfo.processInfo.environment
    environment["HOME"] = root + "/home"
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    process.environment = environment
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "git \(arguments.joined(separator: " "))")
  }

  /// Every read-only command line, run in `work`.
  static let commands: [[String]] =
    ["text", "json", "sarif", "github", "gitlab"].map {
      ["check", "--format", $0, "--jobs", "2", "."]
    }
    + [
      ["check", "--no-cache", "--verbose", "--tables", "."],
      ["check", "--format", "json", "--no-prefilter", "drivers/demo"],
      ["facts", "drivers/demo/demo_kernfs.c", "kernel/sched/pressure.c"],
      ["facts", "--no-cache", "drivers/demo"],
      ["rules"], ["rules", "--markdown"], ["explain", "kernfs-poll-head-lifetime"],
      ["model", "rules"], ["model", "dot"], ["model", "mermaid"],
      ["model", "check", "../inputs/summary.json"],
      ["kbuild", "--tree", "../kbuild", "--arch", "toy", "--all"],
      ["kbuild", "--tree", "../kbuild", "--arch", "toy", "--format", "json", "drivers/foo.c"],
      ["review", "--git", "HEAD~1"], ["review", "--staged"],
    ]
    + ["review", "b4", "text", "json", "sarif", "github", "gitlab"].map {
      ["review", "--format", $0, "--tree", ".", "../inputs/change.patch"]
    }

  @Test func noSubcommandWritesOutsideTheCacheAndTheHookFolder() throws {
    let root = try Self.layout()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let environment = [
      "XDG_CACHE_HOME": root + "/cache", "HOME": root + "/home", "TMPDIR": root + "/tmp",
      "GIT_CONFIG_NOSYSTEM": "1",
    ]
    let before = try Self.snapshot(root)
    for command in Self.commands {
      let run = try BadInputRunner.run(command, in: root + "/work", environment: environment)
      let line = command.joined(separator: " ")
      #expect(run.signal == nil && !run.timedOut && run.status != 3, "\(line): \(run.stderr)")
      #expect(run.status <= 1, "\(line): \(run.stderr.suffix(1000))")
      let changed = Self.changes(before, try Self.snapshot(root))
      #expect(changed.isEmpty, "\(line) changed \(changed.prefix(10))")
    }
    // The facts cache was used, and is the one place written.
    let cached = try FileManager.default.subpathsOfDirectory(atPath: root + "/cache")
    #expect(cached.contains { $0.hasSuffix(".json") }, "nothing cached under XDG_CACHE_HOME")

    let hooks = "work/.git/hooks"
    let install = try BadInputRunner.run(
      ["hook", "install"], in: root + "/work", environment: environment)
    #expect(install.status == 0, "\(install.stderr)")
    let installed = Self.changes(before, try Self.snapshot(root))
    #expect(installed.contains(hooks + "/pre-commit"))
    #expect(
      installed.allSatisfy { $0 == hooks || $0.hasPrefix(hooks + "/") },
      "hook install wrote outside .git/hooks: \(installed)")
    let uninstall = try BadInputRunner.run(
      ["hook", "uninstall"], in: root + "/work", environment: environment)
    #expect(uninstall.status == 0, "\(uninstall.stderr)")
    let left = Self.changes(before, try Self.snapshot(root))
    #expect(left.allSatisfy { $0 == hooks }, "hook uninstall left \(left)")
  }
}

/// File names from a patch reach git only after `REV:` or `--`, never as options: a checkout
/// with files named like git options is reviewed, staged and by range, and nothing is written.
@Suite struct OptionLikeFileNameTests {
  @Test func optionLikeNamesAreNeverOptions() throws {
    let root = try BadInputRunner.temporaryDirectory("sever-option-names")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let work = root + "/work"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    let names = ["--output=written.c", "-rf.c", "--exec=touch pwned.c"]
    try ReadOnlyTests.git(["init", "-q"], in: work, root: root)
    for name in names {
      try "int before;\n".write(toFile: work + "/" + name, atomically: true, encoding: .utf8)
    }
    try ReadOnlyTests.git(["add", "-A"], in: work, root: root)
    try ReadOnlyTests.git(["commit", "-q", "-m", "first"], in: work, root: root)
    for name in names {
      try "int after;\n".write(toFile: work + "/" + name, atomically: true, encoding: .utf8)
    }
    try ReadOnlyTests.git(["commit", "-q", "-a", "-m", "second"], in: work, root: root)
    for name in names {
      try "int staged;\n".write(toFile: work + "/" + name, atomically: true, encoding: .utf8)
    }
    try ReadOnlyTests.git(["add", "-A"], in: work, root: root)
    let environment = ["XDG_CACHE_HOME": root + "/cache", "HOME": root + "/home"]
    let before = try ReadOnlyTests.snapshot(root)
    for command in [["review", "--staged"], ["review", "--git", "HEAD~1"]] {
      let run = try BadInputRunner.run(command, in: work, environment: environment)
      let line = command.joined(separator: " ")
      #expect(run.status == 0, "\(line): \(run.stderr)")
      #expect(run.output.contains("3 changed"), "\(line): \(run.output)")
      #expect(ReadOnlyTests.changes(before, try ReadOnlyTests.snapshot(root)).isEmpty, "\(line)")
    }
    #expect(!FileManager.default.fileExists(atPath: work + "/written.c"))
    #expect(!FileManager.default.fileExists(atPath: work + "/pwned.c"))
  }
}
