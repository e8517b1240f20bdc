import Foundation
import SeverTestSupport
import Testing

/// `sever fix` end to end: the patches on the fixture tree (with `Fixtures/fix/tree` laid over
/// it: every shape a fix handles or leaves), mails whose history comes from a git repository
/// made here, and the inputs it refuses.
@Suite struct FixCommandTests {
  /// A git checkout of the fixture tree with the fix fixtures laid over it, one commit deep.
  static func fixCheckout() throws -> String {
    let checkout = try SeverBinary.checkout()
    _ = try SeverBinary.execute(
      "/bin/cp", ["-R", FixturePaths.fixtures + "/fix/tree/.", checkout],
      environment: SeverBinary.environment())
    try commit("demo: add the fix fixtures", in: checkout)
    return checkout
  }

  static func commit(_ message: String, in checkout: String) throws {
    let add = try SeverBinary.git(["add", "-A"], in: checkout)
    let commit = try SeverBinary.git(["commit", "-q", "-m", message], in: checkout)
    #expect(add.status == 0 && commit.status == 0, "\(commit.output)")
  }

  @Test func patchesAndReasonsOnTheFixtureTree() throws {
    let checkout = try Self.fixCheckout()
    let run = try SeverBinary.run(["fix", "--jobs", "2"], in: checkout)
    #expect(run.status == 1, "findings are left: \(run.stderr)")
    Golden.check(run.stdout, file: FixturePaths.fixtures + "/fix/fix.diff")
    Golden.check(run.stderr, file: FixturePaths.fixtures + "/fix/fix.stderr")
    // Nothing was written.
    #expect(try SeverBinary.git(["status", "--porcelain"], in: checkout).stdout.isEmpty)

    // The diff applies, and then sever reports none of the fixed findings and nothing new.
    let before = try findings(in: checkout)
    let patch = FixturePaths.temporary("fix") + ".diff"
    try run.stdout.write(toFile: patch, atomically: true, encoding: .utf8)
    let apply = try SeverBinary.git(["apply", patch], in: checkout)
    #expect(apply.status == 0, "\(apply.output)")
    let after = try findings(in: checkout)
    let fixed = Set(
      run.stderr.split(separator: "\n").filter { $0.hasPrefix("sever: fix: fixed: ") }
        .compactMap { line in line.split(separator: "[").last.map { String($0.dropLast()) } })
    #expect(fixed.count == 7)
    #expect(after.isDisjoint(with: fixed))
    #expect(after.isSubset(of: before), "new: \(after.subtracting(before))")
    #expect(before.subtracting(after) == fixed)
  }

  /// The fingerprints `sever check --format json` reports in a tree.
  func findings(in directory: String) throws -> Set<String> {
    let run = try SeverBinary.run(["check", "--format", "json", "--jobs", "2", "."], in: directory)
    let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    let list = object?["findings"] as? [[String: Any]] ?? []
    return Set(list.compactMap { $0["fingerprint"] as? String })
  }

  /// A repository of two commits, the first adding a driver table without `.owner` (the
  /// README's `0001-demo-extra.patch`), the second unrelated: the mail takes its prefix from the
  /// file's history, names the first commit in `Fixes:`, and `git am` of it makes the edit
  /// `--in-place` makes.
  @Test func mailsCarryTheHistoryAndApplyWithGitAm() throws {
    let checkout = try ReadmeTests.demoCheckout()
    let driver = checkout + "/drivers/demo/demo_extra.c"
    let apply = try SeverBinary.git(["apply", "--index", "0001-demo-extra.patch"], in: checkout)
    #expect(apply.status == 0, "\(apply.output)")
    try Self.commit("demo: add an extra debugfs file", in: checkout)
    let introducing = try SeverBinary.git(["rev-parse", "HEAD"], in: checkout).stdout
    let kernfs = checkout + "/fs/kernfs/file.c"
    try (try String(contentsOfFile: kernfs, encoding: .utf8) + "/* unrelated */\n")
      .write(toFile: kernfs, atomically: true, encoding: .utf8)
    try Self.commit("kernfs: an unrelated change", in: checkout)

    let id = "fops-missing-owner|extra_fops"
    let run = try SeverBinary.run(
      ["fix", "--format", "mbox", "--finding", id, "drivers/demo"], in: checkout,
      environment: ["SOURCE_DATE_EPOCH": "1764151200"])
    #expect(run.status == 0, "the one finding asked for is fixed: \(run.stderr)")
    let mail = run.stdout
    #expect(mail.contains("\nSubject: [PATCH] demo: set .owner in extra_fops\n"), "\(mail)")
    #expect(
      mail.contains("\nFixes: \(introducing.prefix(12)) (\"demo: add an extra debugfs file\")\n"))
    #expect(mail.contains("\nCc: stable@vger.kernel.org\n"))
    #expect(mail.contains("\nFrom: Test <test@example.org>\n"))
    #expect(mail.contains("\nDate: Wed, 26 Nov 2025 10:00:00 +0000\n"))
    #expect(!mail.contains("Signed-off-by"))
    #expect(run.stderr.contains("no Signed-off-by"))
    #expect(run.stderr.contains("sever: fix: fixed: drivers/demo/demo_extra.c:11:37: "))

    // git am of the mail makes the edit that --in-place makes.
    let mbox = FixturePaths.temporary("fix") + ".mbox"
    try mail.write(toFile: mbox, atomically: true, encoding: .utf8)
    let am = try SeverBinary.git(["am", mbox], in: checkout)
    #expect(am.status == 0, "\(am.output)")
    let applied = try String(contentsOfFile: driver, encoding: .utf8)
    #expect(applied.contains("{\n\t.owner = THIS_MODULE,\n\t.release = extra_release,\n};"))
    let subject = try SeverBinary.git(["log", "-1", "--format=%s"], in: checkout).stdout
    #expect(subject == "demo: set .owner in extra_fops\n")
    _ = try SeverBinary.git(["reset", "-q", "--hard", "HEAD~1"], in: checkout)
    let inPlace = try SeverBinary.run(["fix", "--finding", id, "--in-place"], in: checkout)
    #expect(inPlace.status == 0, "\(inPlace.stderr)")
    #expect(inPlace.stdout.isEmpty)
    #expect(try String(contentsOfFile: driver, encoding: .utf8) == applied)
  }

  @Test func anUnknownFindingIDIsAUsageError() throws {
    let checkout = try SeverBinary.checkout()
    let run = try SeverBinary.run(
      ["fix", "--finding", "fops-missing-owner|demo_raw_fop", "drivers/demo"], in: checkout)
    #expect(run.status == 2)
    #expect(
      run.stderr.contains(
        "no finding of this run has the id 'fops-missing-owner|demo_raw_fop'; did you mean "
          + "'fops-missing-owner|demo_raw_fops'?"), "\(run.stderr)")
    #expect(run.stdout.isEmpty)
  }

  @Test func aPathOutsideTheTreeIsRefused() throws {
    let checkout = try SeverBinary.checkout()
    let outside = FixturePaths.temporary("outside") + ".c"
    try "int x;\n".write(toFile: outside, atomically: true, encoding: .utf8)
    let run = try SeverBinary.run(["fix", outside], in: checkout)
    #expect(run.status == 2)
    #expect(run.stderr.contains("is outside the tree"), "\(run.stderr)")
    let climbing = try SeverBinary.run(["fix", "../"], in: checkout + "/drivers")
    #expect(climbing.status == 0 || climbing.status == 1, "drivers/.. is the tree root")
    let above = try SeverBinary.run(["fix", "--tree", checkout + "/drivers", "fs"], in: checkout)
    #expect(above.status == 2 && above.stderr.contains("is outside the tree"))
  }

  @Test func inPlaceRefusesADirtyTreeUnlessForced() throws {
    let checkout = try SeverBinary.checkout()
    let proc = checkout + "/drivers/demo/demo_proc.c"
    try (try String(contentsOfFile: proc, encoding: .utf8) + "/* mine */\n")
      .write(toFile: proc, atomically: true, encoding: .utf8)
    let refused = try SeverBinary.run(["fix", "--in-place", "drivers/demo"], in: checkout)
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("has uncommitted changes"), "\(refused.stderr)")
    #expect(
      try SeverBinary.git(["diff", "--stat"], in: checkout).stdout.contains("1 file changed"))

    let forced = try SeverBinary.run(
      ["fix", "--in-place", "--force", "drivers/demo"], in: checkout)
    #expect(forced.status == 1, "the proc finding is left: \(forced.stderr)")
    #expect(forced.stderr.contains("1 finding fixed in 1 patch, 1 left; applied to the tree"))
    let changed = try SeverBinary.git(["diff", "--name-only"], in: checkout).stdout
    #expect(changed == "drivers/demo/demo_debugfs.c\ndrivers/demo/demo_proc.c\n")

    // Outside git, --in-place needs --force too.
    let plain = try FixturePaths.copyOfTree()
    let notGit = try SeverBinary.run(["fix", "--in-place", "drivers/demo"], in: plain)
    #expect(notGit.status == 2 && notGit.stderr.contains("is not a git checkout"))
    let usage = try SeverBinary.run(["fix", "--force", "drivers/demo"], in: plain)
    #expect(usage.status == 2 && usage.stderr.contains("--force only applies to --in-place"))
  }

  @Test func outputDirectoryHoldsOnePatchPerFile() throws {
    let checkout = try Self.fixCheckout()
    let directory = FixturePaths.temporary("fix-out")
    let run = try SeverBinary.run(
      ["fix", "--format", "mbox", "--output-directory", directory, "--rule", "fops-missing-owner"],
      in: checkout)
    #expect(run.status == 1, "\(run.stderr)")
    #expect(run.stdout.isEmpty)
    let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    #expect(
      names == [
        "0001-demo-set-owner-in-demo-raw-fops.patch",
        "0002-demo-set-owner-in-fix-aligned-fops-and-2-more.patch",
      ])
    #expect(try SeverBinary.git(["status", "--porcelain"], in: checkout).stdout.isEmpty)
  }
}
