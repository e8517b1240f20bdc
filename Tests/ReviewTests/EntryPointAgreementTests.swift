import Foundation
import SeverTestSupport
import Testing

/// The same code gives the same finding, with the same identity and severity, whichever way it
/// reaches sever: `check` on the patched tree, `review` of the patch, Kbuild's checker call
/// (`make C=1 CHECK=sever`, run by make with Kbuild's command line shape) on the object, and the
/// pre-commit hook; and a suppression the patch adds is honoured by all four.
@Suite struct EntryPointAgreementTests {
  static let driver = """
    /* An extra debugfs file of the demo module: a release in module text and no .owner. */
    #include <linux/debugfs.h>
    #include <linux/module.h>
    MODULE_LICENSE("GPL");

    static int extra_release(struct inode *inode, struct file *file)
    {
    \treturn 0;
    }

    static const struct file_operations extra_fops = {%@
    \t.release = extra_release,
    };

    void extra_init(struct dentry *dir)
    {
    \tdebugfs_create_file("extra", 0444, dir, NULL, &extra_fops);
    }

    """

  /// What each entry point reported about the new file: rule, severity, line and message.
  struct Seen: Equatable, CustomStringConvertible {
    var rule: String
    var severity: String
    var line: Int
    var message: String
    var description: String { "\(line): \(severity): \(message) [\(rule)]" }
  }

  /// A checkout of the fixture tree and the patch that adds the driver (with `suppression`
  /// written after the table's opening brace), made by git.
  static func setUp(suppression: String) throws -> (checkout: String, patch: String) {
    let checkout = try SeverBinary.checkout()
    let path = checkout + "/drivers/demo/demo_extra.c"
    try driver.replacingOccurrences(of: "%@", with: suppression)
      .write(toFile: path, atomically: true, encoding: .utf8)
    let makefile = checkout + "/drivers/demo/Makefile"
    let rules = try String(contentsOfFile: makefile, encoding: .utf8)
    try rules.replacingOccurrences(of: "demo_sysfs.o", with: "demo_sysfs.o demo_extra.o")
      .write(toFile: makefile, atomically: true, encoding: .utf8)
    _ = try SeverBinary.git(["add", "-A"], in: checkout)
    let diff = try SeverBinary.git(["diff", "--cached"], in: checkout)
    _ = try SeverBinary.git(["reset", "-q", "--hard"], in: checkout)
    let patch = checkout + "/../" + UUID().uuidString + ".patch"
    try diff.stdout.write(toFile: patch, atomically: true, encoding: .utf8)
    return (checkout, patch)
  }

  /// Lines `path:line:col: severity: message [rule]` about the new file in gcc-style text.
  static func seen(inText text: String) -> [Seen] {
    text.split(separator: "\n").compactMap { line -> Seen? in
      let prefix = "drivers/demo/demo_extra.c:"
      guard line.hasPrefix(prefix), let open = line.lastIndex(of: "["), line.hasSuffix("]")
      else { return nil }
      let parts = line.dropFirst(prefix.count).split(separator: ":", maxSplits: 3)
      guard parts.count == 4, let number = Int(parts[0]) else { return nil }
      let severity = parts[2].trimmingCharacters(in: .whitespaces)
      guard severity != "note" || !line.contains("note: ") || line.hasSuffix("]") else {
        return nil
      }
      let rest = String(parts[3])
      let message = rest[..<(rest.lastIndex(of: "[") ?? rest.endIndex)]
        .trimmingCharacters(in: .whitespaces)
      return Seen(
        rule: String(line[line.index(after: open)..<line.index(before: line.endIndex)]),
        severity: severity, line: number, message: message)
    }
  }

  /// Findings about the new file in sever's JSON (check) or the introduced findings (review).
  static func seen(inJSON text: String) throws -> [Seen] {
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let findings = json["findings"] as? [[String: Any]] ?? []
    return findings.compactMap { finding in
      guard let location = finding["location"] as? [String: Any],
        location["path"] as? String == "drivers/demo/demo_extra.c"
      else { return nil }
      return Seen(
        rule: finding["rule"] as? String ?? "", severity: finding["severity"] as? String ?? "",
        line: location["line"] as? Int ?? 0, message: finding["message"] as? String ?? "")
    }
  }

  /// Kbuild's checker call for one object, as scripts/Makefile.build makes it
  /// (`$(CHECK) $(CHECKFLAGS) $(c_flags) $<`), run by make in the tree.
  static func makeCheck(in tree: String) throws -> SeverBinary.Run {
    let generated = tree + "/include/generated"
    try FileManager.default.createDirectory(atPath: generated, withIntermediateDirectories: true)
    try "#define CONFIG_DEMO_DRIVERS_MODULE 1\n".write(
      toFile: generated + "/autoconf.h", atomically: true, encoding: .utf8)
    let makefile = """
      CHECK ?= sparse
      CHECKFLAGS := -D__linux__ -Dlinux -D__STDC__ -Dunix -D__unix__ -Wbitwise -Wno-return-void \\
      \t-Wno-unknown-attribute -D__x86_64__ -D__CHECKER__
      c_flags := -Wp,-MMD,drivers/demo/.$(basename $(notdir $(OBJ))).o.d -nostdinc -I./include \\
      \t-include ./include/linux/kconfig.h -include ./include/linux/compiler_types.h \\
      \t-D__KERNEL__ -std=gnu11 -DMODULE -DKBUILD_BASENAME='"demo_extra"' \\
      \t-DKBUILD_MODNAME='"demo"' -D__KBUILD_MODNAME=kmod_demo
      check:
      \t$(CHECK) $(CHECKFLAGS) $(c_flags) $(OBJ)

      """
    try makefile.write(toFile: tree + "/Checker.mk", atomically: true, encoding: .utf8)
    return try SeverBinary.execute(
      "/usr/bin/env",
      [
        "make", "-s", "-f", "Checker.mk", "CHECK=" + SeverBinary.path,
        "OBJ=drivers/demo/demo_extra.c",
      ],
      in: tree, environment: SeverBinary.environment())
  }

  /// The hook's verdict on committing the patch: its exit status and what it printed.
  static func hook(_ checkout: String, patch: String) throws -> SeverBinary.Run {
    let install = try SeverBinary.run(["hook", "install"], in: checkout)
    try #require(install.status == 0, "\(install.output)")
    _ = try SeverBinary.git(["apply", "--index", patch], in: checkout)
    return try SeverBinary.git(["commit", "-q", "-m", "Add the extra file"], in: checkout)
  }

  @Test func everyEntryPointGivesTheSameFinding() throws {
    let (checkout, patch) = try Self.setUp(suppression: "")
    let review = try SeverBinary.run(["review", "--format", "json", patch], in: checkout)
    #expect(review.status == 1, "\(review.output)")
    let reviewed = try Self.seen(inJSON: review.stdout)
    let tree = checkout
    let applied = try SeverBinary.git(["apply", patch], in: tree)
    try #require(applied.status == 0, "\(applied.output)")
    let check = try SeverBinary.run(["check", "--format", "json", "drivers/demo"], in: tree)
    #expect(check.status == 1, "\(check.stderr)")
    let checked = try Self.seen(inJSON: check.stdout)
    let object = try Self.makeCheck(in: tree)
    #expect(object.status == 0, "\(object.output)")
    // Where sparse prints: standard error, gcc-style, without a run's summary and coverage lines
    // (make calls the checker once per object) and without the model's states.
    #expect(object.stdout.isEmpty, "\(object.stdout)")
    #expect(!object.stderr.contains("sever: coverage"), "\(object.stderr)")
    #expect(!object.stderr.contains("note: trace "), "\(object.stderr)")
    let built = Self.seen(inText: object.stderr)
    _ = try SeverBinary.git(["checkout", "--", "."], in: tree)
    _ = try SeverBinary.git(["clean", "-fdq"], in: tree)
    let hooked = try Self.hook(checkout, patch: patch)
    #expect(hooked.status != 0, "the hook must block the commit: \(hooked.output)")
    let blocked = Self.seen(inText: hooked.stderr + hooked.stdout)

    #expect(checked.count == 1, "\(check.stdout)")
    #expect(checked.first?.rule == "fops-missing-owner")
    #expect(checked.first?.severity == "error")
    #expect(reviewed == checked)
    #expect(built == checked, "\(object.output)")
    #expect(blocked == checked, "\(hooked.output)")
    // The review and check agree on the identity too.
    #expect(review.stdout.contains("\"fingerprint\" : \"fops-missing-owner|extra_fops\""))
    #expect(check.stdout.contains("\"fingerprint\" : \"fops-missing-owner|extra_fops\""))
  }

  @Test func aSuppressionThePatchAddsIsHonouredByEveryEntryPoint() throws {
    let comment = " /* sever: ignore[fops-missing-owner] the module pins itself elsewhere */"
    let (checkout, patch) = try Self.setUp(suppression: comment)
    let review = try SeverBinary.run(["review", "--format", "text", patch], in: checkout)
    #expect(review.status == 0, "\(review.output)")
    #expect(Self.seen(inText: review.stdout).isEmpty)
    #expect(review.output.contains("1 suppressed"), "\(review.output)")
    #expect(review.output.contains("the module pins itself elsewhere"), "\(review.output)")
    let applied = try SeverBinary.git(["apply", patch], in: checkout)
    try #require(applied.status == 0)
    let check = try SeverBinary.run(["check", "drivers/demo"], in: checkout)
    #expect(Self.seen(inText: check.stdout).isEmpty, "\(check.stdout)")
    #expect(check.stdout.contains("1 suppressed"), "\(check.stdout)")
    let object = try Self.makeCheck(in: checkout)
    #expect(Self.seen(inText: object.stderr).isEmpty, "\(object.output)")
    _ = try SeverBinary.git(["checkout", "--", "."], in: checkout)
    _ = try SeverBinary.git(["clean", "-fdq"], in: checkout)
    let hooked = try Self.hook(checkout, patch: patch)
    #expect(hooked.status == 0, "the hook must let the commit through: \(hooked.output)")
  }
}
