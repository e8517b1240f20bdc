import Foundation
import SeverTestSupport
import Testing

/// What a terminal user sees: the finding, the notes that locate its cause and the fix by
/// default; the model's trace with `--trace`; colour by `--color`; a suggestion for a mistyped
/// command; `review --verbose`.
@Suite struct OutputOptionsTests {
  let tree = FixturePaths.tree

  @Test func textIsCompactByDefaultAndTraceAddsTheModelsSteps() throws {
    let compact = try SeverBinary.run(["check", "drivers/demo"], in: tree)
    #expect(compact.status == 1)
    #expect(!compact.stdout.contains(": note: trace "), "\(compact.stdout)")
    #expect(compact.stdout.contains(": note: fix: "))
    let traced = try SeverBinary.run(["check", "--trace", "drivers/demo"], in: tree)
    #expect(traced.status == 1)
    #expect(traced.stdout.contains(": note: trace 1/"), "\(traced.stdout)")
    #expect(traced.stdout.contains("(violates "), "\(traced.stdout)")
    // The same findings: only their rendering differs.
    let errors = { (text: String) in text.split(separator: "\n").filter { $0.contains(": error: ") }
    }
    #expect(errors(compact.stdout) == errors(traced.stdout))
  }

  @Test func colourFollowsTheColorOption() throws {
    let always = try SeverBinary.run(
      ["check", "--color", "always", "drivers/demo"], in: tree)
    #expect(always.stdout.contains("\u{1B}[1;31merror:\u{1B}[0m"), "\(always.stdout)")
    // `auto` colours a terminal only; the test's pipe is not one.
    let auto = try SeverBinary.run(["check", "--color", "auto", "drivers/demo"], in: tree)
    #expect(!auto.stdout.contains("\u{1B}["))
    let never = try SeverBinary.run(["check", "--color=never", "drivers/demo"], in: tree)
    #expect(!never.stdout.contains("\u{1B}["))
    let wrong = try SeverBinary.run(["check", "--color", "sometimes", "."], in: tree)
    #expect(wrong.status == 2)
  }

  @Test(arguments: [("chek", "check"), ("revew", "review"), ("hok", "hook"), ("rule", "rules")])
  func aMistypedCommandGetsASuggestion(_ typed: String, _ meant: String) throws {
    let run = try SeverBinary.run([typed, "x"])
    #expect(run.status == 2)
    #expect(
      run.stderr
        == "sever: error: '\(typed)' is not a sever command; did you mean '\(meant)'? "
        + "(`sever --help` lists the commands)\n")
  }

  @Test func reviewVerboseListsInheritedFindings() throws {
    let patch = FixturePaths.fixtures + "/patches/0001-kernfs-free-hook.patch"
    let quiet = try SeverBinary.run(["review", "--tree", tree, "--format", "json", patch])
    #expect(!quiet.stderr.contains("inherited: "))
    let verbose = try SeverBinary.run(
      ["review", "--tree", tree, "--format", "json", "--verbose", patch])
    #expect(verbose.status == 1)
    #expect(
      verbose.stderr.contains(
        "sever: review: inherited: fs/kernfs/file.c:23:9: kn->attr.ops->poll() is guarded only"),
      "\(verbose.stderr)")
  }

  @Test func reviewMailShowsModelStatesOnlyWithTrace() throws {
    let patch = FixturePaths.fixtures + "/patches/0001-kernfs-free-hook.patch"
    let mail = try SeverBinary.run(["review", "--tree", tree, patch])
    #expect(!mail.stdout.contains("N=active"))
    #expect(mail.stdout.contains("How it goes wrong: F1 is opened (kernfs_fop_open)"))
    let traced = try SeverBinary.run(["review", "--tree", tree, "--trace", patch])
    #expect(traced.stdout.contains("1. open(F1) (kernfs_fop_open): N=active"), "\(traced.stdout)")
  }
}
