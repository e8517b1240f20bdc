import Foundation
import SeverTestSupport
import Testing

/// `sever review` end to end on the fixture patches: exit status, the lines that must appear,
/// the golden mail reply, b4 lines, standard input, and the git inputs.
@Suite struct ReviewCommandTests {
  let tree = ReviewFixtures.root + "/tree"
  let patches = ReviewFixtures.root + "/patches/"

  /// A fixture patch, the exit status it must give and substrings of its output.
  struct Case: CustomTestStringConvertible, Sendable {
    var patch: String
    var format = "b4"
    var status: Int32
    var stdout: [String] = []
    var stderr: [String] = []
    var testDescription: String { patch }
  }

  static let cases: [Case] = [
    Case(
      patch: "0001-kernfs-free-hook.patch", status: 1,
      stdout: [
        "ERROR: fs/kernfs/file.c:37: ops->free() is called from the last fput",
        "[kernfs-call-after-release]",
      ],
      stderr: [
        "1 introduced, 0 fixed, 1 inherited", "facts: parsed 1 file around the change",
        "from the facts cache when an earlier run parsed them",
      ]),
    Case(
      patch: "0001-demo-per-file-waitqueue.patch", status: 1,
      stdout: [
        "ERROR: drivers/demo/demo_kernfs.c:37: demo_poll hands poll_wait() &of->priv->wait",
        "[kernfs-poll-head-lifetime]",
      ],
      stderr: ["1 introduced, 0 fixed, 1 inherited"]),
    Case(
      patch: "0001-pressure-kernfs-poll.patch", status: 0,
      stderr: ["0 introduced, 1 fixed", "fixed: kernel/sched/pressure.c:23:2: demo_pressure_poll"]),
    Case(
      patch: "series-events.mbox", status: 1,
      stdout: ["ERROR: drivers/demo/demo_events.c:36: demo_events_poll hands poll_wait()"],
      stderr: [
        "patch 1/2 '[PATCH 1/2] demo: add an events file': 0 introduced",
        "patch 2/2 '[PATCH 2/2] demo: let readers poll the events file': 1 introduced",
      ]),
    Case(
      // The header change is a comment: the images parse to the same facts, so nothing is
      // parsed at all.
      patch: "header-only.patch", status: 0,
      stderr: [
        "0 introduced, 0 fixed, 0 inherited",
        "the series changes only comments and whitespace in C files", "nothing was parsed",
      ]),
    Case(
      patch: "header-only-field.patch", status: 0,
      stderr: [
        "0 introduced, 0 fixed, 1 inherited",
        "parsed 1 file around the change (0 changed, 1 beside them)",
      ]),
    Case(
      patch: "malformed.patch", status: 2,
      stderr: ["malformed patch at drivers/demo/demo_kernfs.c, hunk @@ -11,5 +11,6 @@"]),
    Case(
      patch: "does-not-apply.patch", status: 2,
      stdout: ["ERROR: sever could not review the patch: "],
      stderr: [
        "hunk @@ -11,5 +11,6 @@ of drivers/demo/demo_kernfs.c does not apply",
        "where the hunk expects 'kvfree(of->priv);'",
      ]),
    Case(
      patch: "path-traversal.patch", status: 2,
      stderr: ["refusing file name '../../etc/demo.c': '..' leaves the tree"]),
    Case(
      patch: "absolute-path.diff", status: 2,
      stderr: ["refusing file name '/etc/demo.c': absolute paths leave the tree"]),
  ]

  /// In b4's format standard error stays empty (b4 counts each of its lines as a failure)
  /// unless `--verbose` asks for the per-patch summary; a refused input is one `ERROR:` line.
  @Test(arguments: cases)
  func fixturePatch(_ fixture: Case) throws {
    let run = try SeverBinary.run(
      ["review", "--tree", tree, "--format", fixture.format, "--verbose", patches + fixture.patch])
    #expect(run.status == fixture.status, "stderr: \(run.stderr)")
    for part in fixture.stdout { #expect(run.stdout.contains(part), "stdout: \(run.stdout)") }
    let refused = fixture.status == 2
    for part in fixture.stderr {
      let stream = refused ? run.stdout : run.stderr
      #expect(stream.contains(part), "output: \(run.output)")
    }
    let quiet = try SeverBinary.run(
      ["review", "--tree", tree, "--format", fixture.format, patches + fixture.patch])
    #expect(quiet.status == fixture.status)
    #expect(
      quiet.stderr.isEmpty, "b4 shows every standard-error line as a failure: \(quiet.stderr)")
    if refused {
      #expect(quiet.stdout.hasPrefix("ERROR: sever could not review the patch: "))
      #expect(quiet.stdout.split(separator: "\n").count == 1, "\(quiet.stdout)")
    } else if fixture.status == 0 {
      #expect(quiet.stdout.isEmpty, "a clean patch prints nothing: \(quiet.stdout)")
    }
  }

  /// A fixed date and sender, so the reply is the same on every run.
  static let mailEnvironment = ["SOURCE_DATE_EPOCH": "1795687200"]

  @Test func reviewReplyMatchesTheGolden() throws {
    let run = try SeverBinary.run(
      [
        "review", "--tree", tree, "--from", "Rita Reviewer <rita@example.org>",
        patches + "0001-kernfs-free-hook.patch",
      ], environment: Self.mailEnvironment)
    #expect(run.status == 1)
    Golden.check(
      run.stdout, file: FixturePaths.fixtures + "/patches/0001-kernfs-free-hook.review.txt")
  }

  @Test func seriesGetsOneReplyPerPatchAsAnMbox() throws {
    let run = try SeverBinary.run([
      "review", "--tree", tree, "--reply-when-clean", patches + "series-events.mbox",
    ])
    #expect(run.status == 1)
    let replies = run.stdout.components(separatedBy: "From sever Thu Jan  1 00:00:00 1970\n")
    #expect(replies.count == 3)
    #expect(replies[1].contains("Subject: Re: [PATCH 1/2] demo: add an events file"))
    #expect(replies[1].contains("sever found nothing this patch introduces."))
    #expect(replies[2].contains("In-Reply-To: <20261126130000.2-events@example.org>"))
    #expect(replies[2].contains("> +\tpoll_wait(of->file, &ev->wait, pt);\n\nerror: "))
    // Without --reply-when-clean only the patch that introduces something gets a reply.
    let quiet = try SeverBinary.run(["review", "--tree", tree, patches + "series-events.mbox"])
    let only = quiet.stdout.components(separatedBy: "From sever Thu Jan  1 00:00:00 1970\n")
    #expect(only.count == 2)
    #expect(only[1].contains("Subject: Re: [PATCH 2/2] demo: let readers poll the events file"))
  }

  @Test func fixedFindingIsNamedInTheReply() throws {
    let run = try SeverBinary.run(
      ["review", "--tree", tree, "--reply-when-clean", patches + "0001-pressure-kernfs-poll.patch"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("This patch fixes what sever found before it:"))
    #expect(run.stdout.contains("sever: 0 problems introduced, 1 fixed."))
  }

  @Test func b4ReadsThePatchOnStandardInput() throws {
    let patch = try ReviewFixtures.patch("0001-demo-per-file-waitqueue.patch")
    let run = try SeverBinary.run(["review", "--format", "b4", "-"], in: tree, input: patch)
    #expect(run.status == 1)
    #expect(run.stdout.split(separator: "\n").count == 1)
    #expect(run.stdout.hasPrefix("ERROR: drivers/demo/demo_kernfs.c:37: "))
  }

  @Test func jsonFormatHoldsOnlyIntroducedFindings() throws {
    let run = try SeverBinary.run(
      ["review", "--tree", tree, "--format", "json", patches + "0001-kernfs-free-hook.patch"])
    #expect(run.status == 1)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let findings = try #require(object["findings"] as? [[String: Any]])
    #expect(findings.count == 1)
    #expect(findings.first?["rule"] as? String == "kernfs-call-after-release")
  }

  @Test func nothingOnDiskChanges() throws {
    let before = try String(contentsOfFile: tree + "/fs/kernfs/file.c", encoding: .utf8)
    _ = try SeverBinary.run(["review", "--tree", tree, patches + "0001-kernfs-free-hook.patch"])
    #expect(try String(contentsOfFile: tree + "/fs/kernfs/file.c", encoding: .utf8) == before)
    #expect(!FileManager.default.fileExists(atPath: tree + "/drivers/demo/demo_events.c"))
  }

  @Test func usageErrors() throws {
    let none = try SeverBinary.run(["review", "--tree", tree])
    #expect(none.status == 2)
    #expect(none.stderr.contains("give exactly one of a patch file"))
    let range = try SeverBinary.run(["review", "--git", "--upload-pack=x"], in: tree)
    #expect(range.status == 2)
    let badRange = try SeverBinary.run(["review", "--git=-x"], in: tree)
    #expect(badRange.status == 2)
    #expect(badRange.stderr.contains("is not a revision range"))
  }

  @Test func aTreeThatAlreadyHoldsThePatchIsReviewedBackwards() throws {
    // b4's prep-perpatch-check-cmd runs on patches already committed in the checkout.
    let checkout = try SeverBinary.checkout()
    defer { try? FileManager.default.removeItem(atPath: checkout) }
    let patch = patches + "0001-demo-per-file-waitqueue.patch"
    #expect(try SeverBinary.git(["apply", patch], in: checkout).status == 0)
    let run = try SeverBinary.run(
      ["review", "--format", "b4", "-"], in: checkout,
      input: try ReviewFixtures.patch(
        "0001-demo-per-file-waitqueue.patch"))
    #expect(run.status == 1, "\(run.stderr)")
    #expect(run.stdout.hasPrefix("ERROR: drivers/demo/demo_kernfs.c:37: demo_poll"))
    #expect(run.stderr.isEmpty, "\(run.stderr)")
    let verbose = try SeverBinary.run(
      ["review", "--format", "b4", "--verbose", "-"], in: checkout,
      input: try ReviewFixtures.patch("0001-demo-per-file-waitqueue.patch"))
    #expect(verbose.stderr.contains("the tree already holds the series"))
  }

  @Test func stagedAndRangeReadTheirBaseFromGit() throws {
    let checkout = try SeverBinary.checkout()
    defer { try? FileManager.default.removeItem(atPath: checkout) }
    let apply = try SeverBinary.git(
      ["apply", "--index", patches + "0001-demo-per-file-waitqueue.patch"], in: checkout)
    #expect(apply.status == 0, "\(apply.stderr)")
    let staged = try SeverBinary.run(["review", "--staged", "--format", "b4"], in: checkout)
    #expect(staged.status == 1, "\(staged.stderr)")
    #expect(staged.stdout.hasPrefix("ERROR: drivers/demo/demo_kernfs.c:37: demo_poll"))
    // Committed, the working tree holds the change; the base is the commit's parent.
    _ = try SeverBinary.git(["commit", "-q", "-m", "demo: per-file waitqueue"], in: checkout)
    let range = try SeverBinary.run(
      ["review", "--git", "HEAD~1", "--format", "b4"], in: checkout)
    #expect(range.status == 1, "\(range.stderr)")
    #expect(range.stdout == staged.stdout)
    let nothing = try SeverBinary.run(["review", "--staged"], in: checkout)
    #expect(nothing.status == 0)
    #expect(nothing.stderr.contains("nothing staged"))
  }
}
