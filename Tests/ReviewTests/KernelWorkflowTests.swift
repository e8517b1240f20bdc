import Foundation
import SeverTestSupport
import Testing

/// The kernel developer's workflows, each run with the real client on a git checkout of the
/// fixture tree: b4 (`am --check` on a local mbox, `prep --check` on committed patches), the
/// pre-commit hook (git's own hook and the pre-commit framework), and a review reply handed to
/// `git send-email --dry-run`.
@Suite(.serialized) struct KernelWorkflowTests {
  static let patches = FixturePaths.fixtures + "/patches/"

  /// The command b4 runs per patch, as the README's `.git/config` lines write it.
  static var checkCommand: String { SeverBinary.path + " review --format b4 -" }

  /// The environment of a real client: sever's, with a private cache (b4 caches check results
  /// by command and patch), `sever` on `PATH`, and no pager.
  static func clientEnvironment(_ extra: [String: String] = [:]) throws -> [String: String] {
    let bin = (SeverBinary.path as NSString).deletingLastPathComponent
    var environment: [String: String] = [
      "XDG_CACHE_HOME": try ExternalTool.temporaryDirectory("client-cache"),
      "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
      "GIT_PAGER": "cat", "PAGER": "cat",
    ]
    environment.merge(extra) { _, new in new }
    return SeverBinary.environment(environment)
  }

  /// A checkout with b4's per-patch check commands set to sever, and a committer identity.
  static func b4Checkout() throws -> String {
    let checkout = try SeverBinary.checkout()
    for (key, value) in [
      ("b4.am-perpatch-check-cmd", checkCommand), ("b4.prep-perpatch-check-cmd", checkCommand),
      ("user.name", "Test"), ("user.email", "test@example.org"),
    ] {
      _ = try SeverBinary.git(["config", key, value], in: checkout)
    }
    return checkout
  }

  /// The lines b4 printed about sever's check.
  static func severLines(_ text: String) -> [String] {
    text.split(separator: "\n").map(String.init).filter { $0.contains("sever: ") }
  }

  @Test func b4AmCheckShowsOneFailurePerFindingAndPassesACleanPatch() throws {
    let b4 = try #require(ExternalTool.find("b4"), "\(ExternalTool.missing("b4"))")
    let checkout = try Self.b4Checkout()
    let out = try ExternalTool.temporaryDirectory("b4-am")
    func am(_ patch: String) throws -> SeverBinary.Run {
      try SeverBinary.execute(
        b4, ["am", "-m", Self.patches + patch, "--check", "-o", out], in: checkout,
        environment: try Self.clientEnvironment())
    }
    let finding = try am("0001-kernfs-free-hook.patch")
    #expect(finding.status == 0, "\(finding.output)")
    let lines = Self.severLines(finding.output)
    #expect(lines.count == 1, "one line per finding, nothing else:\n\(finding.output)")
    #expect(
      lines.first?.contains(
        "sever: ERROR: fs/kernfs/file.c:37: ops->free() is called from the last fput") == true,
      "\(finding.output)")
    #expect(!finding.output.contains("sever: sever:"), "\(finding.output)")

    let clean = try am("0001-pressure-kernfs-poll.patch")
    #expect(clean.status == 0, "\(clean.output)")
    let cleanLines = Self.severLines(clean.output)
    #expect(cleanLines.count == 1, "\(clean.output)")
    #expect(cleanLines.first?.hasSuffix("sever: passed all checks") == true, "\(clean.output)")
  }

  @Test func b4PrepCheckCountsOneErrorForOneFinding() throws {
    let b4 = try #require(ExternalTool.find("b4"), "\(ExternalTool.missing("b4"))")
    let checkout = try Self.b4Checkout()
    let environment = try Self.clientEnvironment()
    _ = try SeverBinary.git(["checkout", "-q", "-b", "topic"], in: checkout)
    let enroll = try SeverBinary.execute(
      b4, ["prep", "-e", "HEAD"], in: checkout, environment: environment)
    try #require(enroll.status == 0, "\(enroll.output)")
    for patch in ["0001-kernfs-free-hook.patch", "0001-pressure-kernfs-poll.patch"] {
      let applied = try SeverBinary.git(["am", "-q", Self.patches + patch], in: checkout)
      try #require(applied.status == 0, "\(applied.output)")
    }
    let check = try SeverBinary.execute(
      b4, ["prep", "--check", "--no-cache"], in: checkout, environment: environment)
    #expect(check.output.contains("Success: 1, Warning: 0, Error: 1"), "\(check.output)")
    #expect(
      check.output.contains("sever: ERROR: fs/kernfs/file.c:37: ops->free() is called"),
      "\(check.output)")
    // The clean commit shows no line of sever's; the other shows the finding alone.
    #expect(Self.severLines(check.output).count == 1, "\(check.output)")
  }

  @Test func reviewReplyIsAcceptedByGitSendEmail() throws {
    try #require(ExternalTool.hasGitSendEmail, "\(ExternalTool.missing("git-send-email"))")
    let checkout = try SeverBinary.checkout()
    let reviewer = "Rita Reviewer <rita@example.org>"
    let reply = try SeverBinary.run(
      ["review", "--from", reviewer, Self.patches + "0001-kernfs-free-hook.patch"],
      in: checkout)
    #expect(reply.status == 1)
    // Tool messages go to standard error, never into the mail.
    #expect(!reply.stdout.contains("facts: parsed"))
    #expect(reply.stderr.contains("facts: parsed"))
    let mbox = try ExternalTool.temporaryDirectory("reply") + "/reply.mbox"
    try reply.stdout.write(toFile: mbox, atomically: true, encoding: .utf8)
    let send = try SeverBinary.execute(
      "/usr/bin/env",
      ["git", "send-email", "--dry-run", "--confirm=never", "--from", reviewer, mbox],
      in: checkout, environment: try Self.clientEnvironment())
    #expect(send.status == 0, "\(send.output)")
    #expect(send.output.contains("Dry-OK"), "\(send.output)")
    #expect(send.output.contains("To: Ada Developer <ada@example.org>"), "\(send.output)")
    for recipient in [
      "RCPT TO:<tj@kernel.org>", "RCPT TO:<linux-kernel@vger.kernel.org>",
      "RCPT TO:<zoe@example.org>", "RCPT TO:<ada@example.org>",
    ] {
      #expect(send.output.contains(recipient), "\(send.output)")
    }
    #expect(send.output.contains("In-Reply-To: <20261126100000.1-free@example.org>"))
    #expect(send.output.contains("Content-Type: text/plain; charset=UTF-8"))
    #expect(
      send.output.contains("Subject: Re: [PATCH] kernfs: add a free() op called at last fput"))
  }

  /// The hook is silent when the staged change passes, and blocks with the finding and one line
  /// saying what to do when it does not.
  @Test func hookIsSilentOnSuccessAndSaysHowToGoOnWhenItBlocks() throws {
    let checkout = try SeverBinary.checkout()
    #expect(try SeverBinary.run(["hook", "install"], in: checkout).status == 0)
    let clean = try SeverBinary.git(
      ["apply", "--index", Self.patches + "0001-pressure-kernfs-poll.patch"], in: checkout)
    try #require(clean.status == 0, "\(clean.output)")
    let passed = try SeverBinary.git(["commit", "-q", "-m", "pressure: kernfs poll"], in: checkout)
    #expect(passed.status == 0, "\(passed.output)")
    #expect(passed.output.isEmpty, "the hook must be silent when it passes: \(passed.output)")

    let apply = try SeverBinary.git(
      ["apply", "--index", Self.patches + "0001-kernfs-free-hook.patch"], in: checkout)
    try #require(apply.status == 0)
    let blocked = try SeverBinary.git(["commit", "-q", "-m", "free hook"], in: checkout)
    #expect(blocked.status != 0)
    let lines = blocked.stderr.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix("fs/kernfs/file.c:37:") == true, "\(blocked.stderr)")
    let verdict =
      "sever: commit blocked: the staged change introduces 1 finding; fix, suppress with "
      + "a reason (/* sever: ignore[kernfs-call-after-release] why */), or commit with "
      + "`git commit --no-verify`"
    #expect(lines.last == verdict, "\(blocked.stderr)")
    #expect(!blocked.stderr.contains("trace 1/"), "no model states by default")
  }

  /// The pre-commit framework's hook definition (`.pre-commit-hooks.yaml`), installed with the
  /// README's configuration, blocks the same commit.
  @Test func preCommitFrameworkRunsTheHook() throws {
    let preCommit = try #require(
      ExternalTool.find("pre-commit"), "\(ExternalTool.missing("pre-commit"))")
    // A repository holding the hook definition, as sever's own repository does.
    let hooks = try ExternalTool.temporaryDirectory("hooks-repo")
    try FileManager.default.copyItem(
      atPath: FixturePaths.repository + "/.pre-commit-hooks.yaml",
      toPath: hooks + "/.pre-commit-hooks.yaml")
    for arguments in [
      ["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "hooks"],
    ] {
      _ = try SeverBinary.git(arguments, in: hooks)
    }
    let checkout = try SeverBinary.checkout()
    let block = try #require(ReadmeBlocks.preCommitConfiguration())
    try block.replacingOccurrences(of: "<the sever repository>", with: hooks)
      .write(toFile: checkout + "/.pre-commit-config.yaml", atomically: true, encoding: .utf8)
    _ = try SeverBinary.git(["add", ".pre-commit-config.yaml"], in: checkout)
    _ = try SeverBinary.git(["commit", "-q", "-m", "pre-commit"], in: checkout)
    let environment = try Self.clientEnvironment([
      "PRE_COMMIT_HOME": try ExternalTool.temporaryDirectory("pre-commit-home")
    ])
    let install = try SeverBinary.execute(
      preCommit, ["install"], in: checkout, environment: environment)
    try #require(install.status == 0, "\(install.output)")
    let apply = try SeverBinary.git(
      ["apply", "--index", Self.patches + "0001-kernfs-free-hook.patch"], in: checkout)
    try #require(apply.status == 0)
    let blocked = try SeverBinary.execute(
      "/usr/bin/env", ["git", "commit", "-q", "-m", "free hook"], in: checkout,
      environment: environment)
    #expect(blocked.status != 0, "\(blocked.output)")
    #expect(blocked.output.contains("sever review"), "\(blocked.output)")
    #expect(blocked.output.contains("Failed"), "\(blocked.output)")
    #expect(blocked.output.contains("fs/kernfs/file.c:37:"), "\(blocked.output)")
    #expect(blocked.output.contains("sever: commit blocked"), "\(blocked.output)")
  }
}

/// The README's pre-commit configuration block, for the framework test.
enum ReadmeBlocks {
  static func preCommitConfiguration() -> String? {
    let text =
      (try? String(contentsOfFile: FixturePaths.repository + "/README.md", encoding: .utf8)) ?? ""
    guard let start = text.range(of: "```yaml pre-commit\n"),
      let end = text[start.upperBound...].range(of: "```")
    else { return nil }
    return String(text[start.upperBound..<end.lowerBound])
  }
}
