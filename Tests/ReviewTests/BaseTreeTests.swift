import Foundation
import SeverTestSupport
import Testing

@testable import Review

/// A git base reads the files around a change with one `git cat-file --batch`; what it returns
/// must be what reading each file alone returns.
@Suite struct BaseTreeTests {
  @Test func readingManyFilesOfAGitBaseAtOnceEqualsReadingEachAlone() throws {
    let checkout = try SeverBinary.checkout()
    defer { try? FileManager.default.removeItem(atPath: checkout) }
    let files = [
      "batch/plain.c": "int plain;\n",
      "batch/with space.c": "int spaced;\n",
      "batch/line\nbreak.c": "int broken;\n",
      "batch/empty.c": "",
      "batch/latin1.c": "/* caf\u{E9} */\n",
      // Larger than the reader's 64 KiB chunks, so that bodies and the headers after them
      // cross chunk boundaries.
      "batch/big.c": (0..<9000).map { "int big_\($0);\n" }.joined(),
    ]
    try FileManager.default.createDirectory(
      atPath: checkout + "/batch/folder.c", withIntermediateDirectories: true)
    try "int inner;\n".write(
      toFile: checkout + "/batch/folder.c/inner.c", atomically: true, encoding: .utf8)
    for (path, text) in files {
      try text.write(toFile: checkout + "/" + path, atomically: true, encoding: .utf8)
    }
    #expect(try SeverBinary.git(["add", "-A"], in: checkout).status == 0)
    #expect(try SeverBinary.git(["commit", "-q", "-m", "batch"], in: checkout).status == 0)
    // The checkout's files change after the commit: the base is the revision, not the disk.
    try "int changed;\n".write(
      toFile: checkout + "/batch/plain.c", atomically: true, encoding: .utf8)

    let base = BaseTree.git(root: checkout, revision: "HEAD")
    let paths =
      files.keys.sorted() + ["batch/missing.c", "batch/folder.c", "batch/folder.c/inner.c"]
    let together = try base.contents(of: paths)
    #expect(together.count == paths.count)
    for path in paths {
      let alone = try base.contents(of: path)
      #expect(together[path] == .some(alone), "\(path)")
    }
    #expect(together["batch/plain.c"] == .some("int plain;\n"))
    #expect(together["batch/line\nbreak.c"] == .some("int broken;\n"))
    #expect(together["batch/missing.c"] == .some(nil))
    #expect(together["batch/folder.c"] == .some(nil))
  }

  @Test func aBlobTooLargeToReadIsAnErrorWhenReadWithOthers() throws {
    let checkout = try SeverBinary.checkout()
    defer { try? FileManager.default.removeItem(atPath: checkout) }
    try FileManager.default.createDirectory(
      atPath: checkout + "/large", withIntermediateDirectories: true)
    try Data(count: PatchParser.maximumInputSize + 1).write(
      to: URL(fileURLWithPath: checkout + "/large/huge.c"))
    try "int small;\n".write(
      toFile: checkout + "/large/small.c", atomically: true, encoding: .utf8)
    #expect(try SeverBinary.git(["add", "-A"], in: checkout).status == 0)
    #expect(try SeverBinary.git(["commit", "-q", "-m", "large"], in: checkout).status == 0)
    let base = BaseTree.git(root: checkout, revision: "HEAD")
    #expect(throws: ReviewError.self) {
      _ = try base.contents(of: ["large/huge.c", "large/small.c"])
    }
    #expect(
      try base.contents(of: ["large/small.c", "large/missing.c"])["large/small.c"]
        == .some("int small;\n"))
  }
}
