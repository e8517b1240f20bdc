import Foundation
import SeverTestSupport
import Testing

@testable import Review

/// A Kconfig or Makefile change is reviewed by its effect: the C files it builds differently are
/// re-checked before and after, and what it introduces is reported at its own line. A change
/// that only edits comments or whitespace in C is not parsed at all.
@Suite struct KbuildEffectTests {
  /// A debugfs file without `.owner`, harmless while it is built in.
  static let driver = """
    /* Debug files of the demo driver: a release in module text and no .owner. */
    #include <linux/debugfs.h>
    #include <linux/module.h>

    static int dbg_release(struct inode *inode, struct file *file)
    {
    \treturn 0;
    }

    static const struct file_operations dbg_fops = {
    \t.release = dbg_release,
    };

    void dbg_init(struct dentry *dir)
    {
    \tdebugfs_create_file("dbg", 0444, dir, NULL, &dbg_fops);
    }

    """

  /// A checkout whose base commit builds `demo_dbg.c` under `config DEMO_DBG` (`bool`), placed
  /// by `makefileLine`.
  static func checkout(makefileLine: String) throws -> String {
    let checkout = try SeverBinary.checkout()
    let kconfig = checkout + "/Kconfig"
    try
      (try String(contentsOfFile: kconfig, encoding: .utf8)
      + "\nconfig DEMO_DBG\n\tbool \"Demo debug files\"\n\tdefault y\n")
      .write(toFile: kconfig, atomically: true, encoding: .utf8)
    let makefile = checkout + "/drivers/demo/Makefile"
    try (try String(contentsOfFile: makefile, encoding: .utf8) + makefileLine + "\n")
      .write(toFile: makefile, atomically: true, encoding: .utf8)
    try driver.write(
      toFile: checkout + "/drivers/demo/demo_dbg.c", atomically: true, encoding: .utf8)
    _ = try SeverBinary.git(["add", "-A"], in: checkout)
    _ = try SeverBinary.git(["commit", "-q", "-m", "demo: debug files"], in: checkout)
    return checkout
  }

  /// Rewrites `path` in the checkout and stages it.
  static func stage(_ path: String, in checkout: String, _ edit: (String) -> String) throws {
    let file = checkout + "/" + path
    try edit(try String(contentsOfFile: file, encoding: .utf8))
      .write(toFile: file, atomically: true, encoding: .utf8)
    _ = try SeverBinary.git(["add", path], in: checkout)
  }

  @Test func boolToTristateIsReportedAtTheKconfigLine() throws {
    let checkout = try Self.checkout(makefileLine: "obj-$(CONFIG_DEMO_DBG) += demo_dbg.o")
    let before = try SeverBinary.run(["check", "drivers/demo/demo_dbg.c"], in: checkout)
    #expect(!before.stdout.contains("[fops-missing-owner]"), "built in: \(before.stdout)")
    try Self.stage("Kconfig", in: checkout) {
      $0.replacingOccurrences(
        of: "\tbool \"Demo debug files\"", with: "\ttristate \"Demo debug files\"")
    }
    let review = try SeverBinary.run(["review", "--staged", "--format", "text"], in: checkout)
    #expect(review.status == 1, "\(review.output)")
    let lines = review.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix("Kconfig:7:1: error: dbg_fops has module callbacks") == true)
    #expect(lines.first?.hasSuffix("[fops-missing-owner]") == true, "\(review.stdout)")
    #expect(
      lines.dropFirst().first
        == "drivers/demo/demo_dbg.c:10:37: note: the finding is here: this change makes "
        + "drivers/demo/demo_dbg.c module-capable (it was built-in only)", "\(review.stdout)")
    #expect(review.stdout.contains("1 built differently by its Kconfig or Makefile change"))

    // The same finding as check reports on the patched tree.
    let json = try SeverBinary.run(["review", "--staged", "--format", "json"], in: checkout)
    #expect(json.stdout.contains("\"fingerprint\" : \"fops-missing-owner|dbg_fops\""))
    let checked = try SeverBinary.run(
      ["check", "--format", "json", "drivers/demo/demo_dbg.c"], in: checkout)
    #expect(checked.stdout.contains("\"fingerprint\" : \"fops-missing-owner|dbg_fops\""))

    // The hook blocks the commit.
    #expect(try SeverBinary.run(["hook", "install"], in: checkout).status == 0)
    let commit = try SeverBinary.git(
      ["commit", "-q", "-m", "demo: DEMO_DBG as a module"], in: checkout)
    #expect(commit.status != 0)
    #expect(commit.stderr.contains("Kconfig:7:1: error: dbg_fops"), "\(commit.stderr)")
  }

  @Test func objYToObjMIsReportedAtTheMakefileLine() throws {
    let checkout = try Self.checkout(makefileLine: "obj-y += demo_dbg.o")
    try Self.stage("drivers/demo/Makefile", in: checkout) {
      $0.replacingOccurrences(of: "obj-y += demo_dbg.o", with: "obj-m += demo_dbg.o")
    }
    let review = try SeverBinary.run(["review", "--staged", "--format", "b4"], in: checkout)
    #expect(review.status == 1, "\(review.output)")
    #expect(
      review.stdout.hasPrefix("ERROR: drivers/demo/Makefile:2: dbg_fops has module callbacks"),
      "\(review.stdout)")
  }

  @Test func commentAndWhitespaceOnlyChangesAreNotParsed() throws {
    let checkout = try SeverBinary.checkout()
    try Self.stage("drivers/demo/demo_debugfs.c", in: checkout) { text in
      "/* A comment that explains nothing new. */\n"
        + text.replacingOccurrences(of: "\t", with: "        ")
    }
    let review = try SeverBinary.run(["review", "--staged", "--format", "text"], in: checkout)
    #expect(review.status == 0, "\(review.output)")
    #expect(
      review.stdout.contains(
        "the series changes only comments and whitespace in C files, which parse to the same "
          + "facts; nothing was parsed"), "\(review.stdout)")
    // A comment that suppresses a finding is a fact: that change is parsed.
    _ = try SeverBinary.git(["reset", "-q", "--hard"], in: checkout)
    try Self.stage("drivers/demo/demo_debugfs.c", in: checkout) { text in
      text.replacingOccurrences(
        of: "static const struct file_operations demo_raw_fops = {",
        with:
          "/* sever: ignore[fops-missing-owner] the module pins itself */\n"
          + "static const struct file_operations demo_raw_fops = {")
    }
    let suppressed = try SeverBinary.run(["review", "--staged", "--format", "text"], in: checkout)
    #expect(!suppressed.stdout.contains("nothing was parsed"), "\(suppressed.stdout)")
    #expect(suppressed.stdout.contains("1 suppressed"), "\(suppressed.stdout)")
  }

  @Test(arguments: [
    ("int a; /* c */ int b;", "int a;\n\tint b; // other\n", true),
    ("a + +b;", "a ++b;", false),
    ("#define X 1\nint y;", "#define X 1 int y;", false),
    ("s = \"a  b\";", "s = \"a b\";", false),
    ("x = 1; /* sever: ignore[r] why */", "x = 1;", false),
    ("f(a,b);", "f( a , b ) ;", true),
  ])
  func signaturesIgnoreOnlyCommentsAndSpacing(_ a: String, _ b: String, _ same: Bool) {
    #expect((SourceTokens.signature(a) == SourceTokens.signature(b)) == same, "\(a) | \(b)")
  }
}
