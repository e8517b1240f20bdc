import Foundation
import SeverCore
import SeverTestSupport
import Testing

@testable import SeverKit

/// The run memo answers a re-run only while everything the remembered run read is unchanged,
/// the headers its units read from outside the checked paths included.
@Suite struct RunMemoTests {
  /// The cache keeps the memos used last, each with its list of facts.
  @Test func theMemosUsedLastAreKept() throws {
    let directory = FixturePaths.temporary("memo-prune")
    let fm = FileManager.default
    try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? fm.removeItem(atPath: directory) }
    func touch(_ name: String, hoursAgo: Double) throws {
      try FixturePaths.touch(name, in: directory, hoursAgo: hoursAgo)
    }
    for (key, hoursAgo) in [("old", 30.0), ("recent", 2.0), ("newest", 0.5)] {
      try touch(key + ".json", hoursAgo: hoursAgo)
      try touch(key + ".units", hoursAgo: 40)
    }
    // Lists whose memo was never stored: one two days old, one of a run just now.
    try touch("stale.units", hoursAgo: 48)
    try touch("young.units", hoursAgo: 0.1)
    try touch(".tmp-1234", hoursAgo: 48)

    RunMemo.prune(directory, keeping: 2)
    #expect(
      try fm.contentsOfDirectory(atPath: directory).sorted() == [
        ".tmp-1234", "newest.json", "newest.units", "recent.json", "recent.units", "young.units",
      ])
  }

  /// `sever check drivers/example`, whose unit includes `../examplecore/demo.h` (as
  /// `wl18xx/debugfs.c` includes `../wlcore/debugfs.h`): the walk of the checked folder does
  /// not see the header, so the memo records its status, and an edit to it is a new run.
  @Test func aHeaderOutsideTheCheckedFolderInvalidatesTheMemo() async throws {
    let code = SelectionSoundnessTests.otherDirectoryMacroUser
    let root = try SelectionSoundnessTests.tree(for: code)
    let cache = FixturePaths.temporary("memo-cache")
    defer {
      try? FileManager.default.removeItem(atPath: root)
      try? FileManager.default.removeItem(atPath: cache)
    }
    let header = root + "/drivers/examplecore/demo.h"
    try FileManager.default.createDirectory(
      atPath: root + "/drivers/examplecore", withIntermediateDirectories: true)
    try SelectionSoundnessTests.tableMacros.write(toFile: header, atomically: true, encoding: .utf8)
    let request = Pipeline.Request(
      options: CheckOptions(paths: [root + "/drivers/example"], jobs: 1, cacheBase: cache))
    func owners() async throws -> [String] {
      try await Pipeline.check(request).analysis.findings
        .filter { $0.ruleID == "fops-missing-owner" }.map(\.location.path)
    }
    #expect(try await owners() == ["drivers/example/example.c"])
    // Remembered: the same answer again, from the memo.
    #expect(try await owners() == ["drivers/example/example.c"])
    try SelectionSoundnessTests.tableMacros
      .replacingOccurrences(of: "\t.open = simple_open,", with: "\t.owner = THIS_MODULE,")
      .write(toFile: header, atomically: true, encoding: .utf8)
    #expect(try await owners() == [])
  }

  /// Which files tier 1 has parsed depends on the table-making macros of the headers they
  /// include from other folders: a header that comes to define the macro a file names makes a
  /// new run, although no parsed unit read it before.
  @Test func aSiblingHeaderTierOneReadInvalidatesTheMemo() async throws {
    let root = try SelectionSoundnessTests.tree(
      for: SelectionSoundnessTests.otherDirectoryMacroUser)
    let cache = FixturePaths.temporary("memo-cache-tier-one")
    defer {
      try? FileManager.default.removeItem(atPath: root)
      try? FileManager.default.removeItem(atPath: cache)
    }
    let other = """
      #include <linux/debugfs.h>
      #include <linux/module.h>
      MODULE_LICENSE("GPL");

      static ssize_t other_read(struct file *file, char *buf, size_t len, loff_t *ppos)
      {
      \treturn 0;
      }
      static const struct file_operations other_fops = { .read = other_read };

      void other_add(struct dentry *parent)
      {
      \tdebugfs_create_file("other", 0400, parent, NULL, &other_fops);
      }
      """
    try other.write(
      toFile: root + "/drivers/example/other.c", atomically: true, encoding: .utf8)
    try "obj-$(CONFIG_DEMO_DRIVERS) += example.o other.o\n".write(
      toFile: root + "/drivers/example/Makefile", atomically: true, encoding: .utf8)
    let header = root + "/drivers/examplecore/demo.h"
    try FileManager.default.createDirectory(
      atPath: root + "/drivers/examplecore", withIntermediateDirectories: true)
    try "#define DEMO_LEVEL 1\n".write(toFile: header, atomically: true, encoding: .utf8)
    let request = Pipeline.Request(
      options: CheckOptions(paths: [root + "/drivers/example"], jobs: 1, cacheBase: cache))
    func owners() async throws -> [String] {
      try await Pipeline.check(request).analysis.findings
        .filter { $0.ruleID == "fops-missing-owner" }.map(\.location.path).sorted()
    }
    // example.c names DEMO_FILE, which nothing defines yet: tier 1 leaves it.
    #expect(try await owners() == ["drivers/example/other.c"])
    #expect(try await owners() == ["drivers/example/other.c"])
    try SelectionSoundnessTests.tableMacros.write(
      toFile: header, atomically: true, encoding: .utf8)
    #expect(try await owners() == ["drivers/example/example.c", "drivers/example/other.c"])
  }
}
