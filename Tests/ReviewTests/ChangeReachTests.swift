import Foundation
import SeverTestSupport
import Testing

/// A review parses the changed units and, of the files beside them, only those some rule's reach
/// crosses the change with: a one-file change of a driver among many unrelated ones parses that
/// driver alone, while a change to a function another file's table calls also parses that file.
@Suite struct ChangeReachTests {
  /// A self-contained debugfs driver: its table, its handler and its registration.
  static func driver(_ name: String, release: String? = nil) -> String {
    """
    #include <linux/debugfs.h>
    #include <linux/module.h>

    \(release == nil ? """
      static int \(name)_release(struct inode *inode, struct file *file)
      {
      \treturn 0;
      }
      """ : "int \(release!)(struct inode *inode, struct file *file);")

    static const struct file_operations \(name)_fops = {
    \t.release = \(release ?? name + "_release"),
    };

    void \(name)_init(struct dentry *dir)
    {
    \tdebugfs_create_file("\(name)", 0444, dir, NULL, &\(name)_fops);
    }

    """
  }

  /// A helper file: a release another file's table names, and nothing that spells a table.
  static let core = """
    #include <linux/fs.h>
    #include <linux/slab.h>

    int many_core_release(struct inode *inode, struct file *file)
    {
    \treturn 0;
    }

    """

  /// The fixture checkout with `drivers/many`: six unrelated drivers, and a driver whose table
  /// names a release defined in `many_core.c`.
  static func checkout() throws -> String {
    let checkout = try SeverBinary.checkout()
    let directory = checkout + "/drivers/many"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for index in 1...6 {
      try driver("many\(index)").write(
        toFile: directory + "/many\(index).c", atomically: true, encoding: .utf8)
    }
    try driver("many_user", release: "many_core_release").write(
      toFile: directory + "/many_user.c", atomically: true, encoding: .utf8)
    try core.write(toFile: directory + "/many_core.c", atomically: true, encoding: .utf8)
    _ = try SeverBinary.git(["add", "-A"], in: checkout)
    _ = try SeverBinary.git(["commit", "-q", "-m", "many drivers"], in: checkout)
    return checkout
  }

  /// The findings and diagnostics of a JSON report (its coverage line counts what was parsed).
  static func findings(_ json: String) throws -> String {
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
    let kept = object.filter { ["findings", "diagnostics", "summary"].contains($0.key) }
    let data = try JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
  }

  /// A one-file change of a driver among unrelated ones parses that unit alone; a change to
  /// the release another file's table names parses that file too.
  @Test(arguments: [
    // The helper file many_core.c is beside many3.c too (a table's reach calls into it).
    ("drivers/many/many3.c", "parsed 1 file around the change (1 changed, 0 beside them", 7),
    ("drivers/many/many_core.c", "parsed 2 files around the change (1 changed, 1 beside them", 6),
  ])
  func aChangeParsesOnlyWhatReachesIt(_ path: String, _ parsed: String, _ leftOut: Int) throws {
    let checkout = try Self.checkout()
    try KbuildEffectTests.stage(path, in: checkout) {
      $0.replacingOccurrences(of: "\treturn 0;", with: "\treturn 1;")
    }
    let review = try SeverBinary.run(["review", "--staged", "--format", "text"], in: checkout)
    #expect(review.status == 0, "\(review.output)")
    #expect(
      review.stdout.contains(
        "facts: \(parsed); \(leftOut) beside them left out: no rule's reach crosses the change) "
          + "in 2 "
          + "images"), "\(review.stdout)")
  }

  /// The narrowed review reports what the whole directory's review reports, on every patch of
  /// the fixtures and on the changes above.
  @Test(arguments: [
    "0001-demo-per-file-waitqueue.patch", "0001-kernfs-free-hook.patch",
    "0001-pressure-kernfs-poll.patch", "header-only-field.patch", "header-only.patch",
    "series-events.mbox",
  ])
  func findingsEqualTheWholeDirectorysReview(_ patch: String) throws {
    let tree = FixturePaths.tree
    let file = FixturePaths.fixtures + "/patches/" + patch
    func review(_ reach: String) throws -> String {
      let run = try SeverBinary.run(
        ["review", "--format", "json", "--reach", reach, "--tree", tree, file], in: tree)
      #expect(run.status <= 1, "\(run.output)")
      return try Self.findings(run.stdout)
    }
    #expect(try review("affected") == review("directory"))
  }

  @Test func findingsThroughANeighbourEqualTheWholeDirectorysReview() throws {
    let checkout = try Self.checkout()
    try KbuildEffectTests.stage("drivers/many/many_core.c", in: checkout) {
      $0.replacingOccurrences(of: "\treturn 0;", with: "\tkfree(file);\n\treturn 0;")
    }
    func review(_ reach: String) throws -> String {
      try Self.findings(
        SeverBinary.run(
          ["review", "--staged", "--format", "json", "--reach", reach], in: checkout
        ).stdout)
    }
    #expect(try review("affected") == review("directory"))
  }

  /// The helper files a review parses come from each image, not from the files on disk: a
  /// patch that adds a debugfs file whose open pins its object through a helper defined beside
  /// it (the first call of that helper) introduces nothing, as `check` of the patched tree says.
  @Test(arguments: ["affected", "directory"])
  func helpersOnlyThePatchCallsAreParsed(_ reach: String) throws {
    let checkout = try SeverBinary.checkout()
    let directory = checkout + "/drivers/demo"
    try KbuildEffectTests.stage("drivers/demo/Makefile", in: checkout) {
      $0.replacingOccurrences(of: " demo_core.o", with: " demo_core.o pin_core.o pin_user.o")
    }
    try """
    #include <linux/refcount.h>
    #include <linux/slab.h>

    struct pin {
    \tstruct kref ref;
    \tint stats;
    };

    static void pin_free(struct kref *ref)
    {
    \tkfree(ref);
    }

    void pin_get(struct pin *p)
    {
    \tkref_get(&p->ref);
    }

    void pin_put(struct pin *p)
    {
    \tkref_put(&p->ref, pin_free);
    }

    """.write(toFile: directory + "/pin_core.c", atomically: true, encoding: .utf8)
    _ = try SeverBinary.git(["add", "-A"], in: checkout)
    _ = try SeverBinary.git(["commit", "-q", "-m", "pin core"], in: checkout)
    let user = directory + "/pin_user.c"
    try """
    #include <linux/debugfs.h>
    #include <linux/refcount.h>
    #include <linux/module.h>

    struct pin {
    \tstruct kref ref;
    \tint stats;
    };

    void pin_get(struct pin *p);
    void pin_put(struct pin *p);

    static int pin_open(struct inode *inode, struct file *file)
    {
    \tstruct pin *p = inode->i_private;

    \tpin_get(p);
    \tfile->private_data = p;
    \treturn 0;
    }

    static int pin_release(struct inode *inode, struct file *file)
    {
    \tstruct pin *p = inode->i_private;

    \tp->stats = 0;
    \tpin_put(p);
    \treturn 0;
    }

    static const struct file_operations pin_fops = {
    \t.owner = THIS_MODULE,
    \t.open = pin_open,
    \t.release = pin_release,
    };

    void pin_init(struct dentry *dir, struct pin *p)
    {
    \tdebugfs_create_file("pin", 0444, dir, p, &pin_fops);
    }

    """.write(toFile: user, atomically: true, encoding: .utf8)
    let check = try SeverBinary.run(["check", "drivers/demo"], in: checkout)
    #expect(
      check.status <= 1 && check.stdout.contains("demo_core.c") == false
        && !check.stdout.contains("pin_user.c"), "check of the patched tree: \(check.output)")
    _ = try SeverBinary.git(["add", "-A"], in: checkout)
    let diff = try SeverBinary.git(["diff", "--cached"], in: checkout)
    _ = try SeverBinary.git(["reset", "-q"], in: checkout)
    try FileManager.default.removeItem(atPath: user)
    let patch = checkout + "/../pin.patch"
    try diff.stdout.write(toFile: patch, atomically: true, encoding: .utf8)
    let review = try SeverBinary.run(
      ["review", "--format", "text", "--reach", reach, patch], in: checkout)
    #expect(review.status == 0 && !review.stdout.contains("pin_user.c"), "\(review.output)")
  }
}
