import Foundation
import Testing

@testable import Review

/// Reading diffs, format-patch mails and mbox series: headers, file names, hunks, and the
/// inputs that must be refused with a message naming the file and hunk.
@Suite struct PatchParserTests {
  @Test func crlfLineEndsAreReadLineByLine() throws {
    let text =
      "diff --git a/x.c b/x.c\r\nnew file mode 100644\r\n--- /dev/null\r\n+++ b/x.c\r\n"
      + "@@ -0,0 +1,2 @@\r\n+int a;\r\n+int b;\r\n"
    let patch = try #require(try PatchParser.parse(text, name: "crlf.patch").first)
    #expect(patch.files.map(\.path) == ["x.c"])
    #expect(patch.files.first?.hunks.first?.newLines == ["int a;", "int b;"])
  }

  @Test func hunkStartsPastAnyReadableFileAreRefused() {
    // 2^63 - 8 would overflow the applier's offsets; the header is refused instead.
    #expect(DiffReader.parseHeader("@@ -9223372036854775800,1 +9223372036854775800,2 @@") == nil)
    #expect(DiffReader.parseHeader("@@ -16777216,1 +16777216,2 @@") != nil)
  }

  @Test func formatPatchMailKeepsItsHeadersAndFiles() throws {
    let text = try ReviewFixtures.patch("0001-kernfs-free-hook.patch")
    let patches = try PatchParser.parse(text, name: "free.patch")
    let patch = try #require(patches.first)
    #expect(patches.count == 1)
    #expect(patch.subject == "[PATCH] kernfs: add a free() op called at last fput")
    #expect(patch.messageID == "<20261126100000.1-free@example.org>")
    #expect(patch.from == "Ada Developer <ada@example.org>")
    #expect(patch.files.map(\.path) == ["fs/kernfs/file.c", "include/linux/kernfs.h"])
    #expect(patch.files[0].hunks.map(\.header) == ["@@ -30,8 +30,11 @@"])
  }

  @Test func mboxSeriesSkipsTheCoverLetterAndKeepsTheThread() throws {
    let text = try ReviewFixtures.patch("series-events.mbox")
    let patches = try PatchParser.parse(text, name: "series.mbox")
    #expect(patches.map(\.index) == [1, 2])
    #expect(patches.allSatisfy { $0.count == 2 })
    #expect(patches[0].files.first?.isNew == true)
    #expect(patches[1].references == ["<20261126130000.0-events@example.org>"])
    #expect(
      patches[1].label
        == "series.mbox: patch 2/2 '[PATCH 2/2] demo: let readers poll the events file'")
  }

  @Test func plainDiffWithoutHeaders() throws {
    let diff = """
      --- a/x.c
      +++ b/x.c
      @@ -1 +1 @@
      -int a;
      +int b;

      """
    let patch = try #require(try PatchParser.parse(diff, name: "x.diff").first)
    #expect(patch.subject == nil)
    #expect(patch.files.map(\.path) == ["x.c"])
    #expect(patch.files[0].hunks[0].oldLines == ["int a;"])
  }

  @Test func renamesAndQuotedNames() throws {
    let diff = """
      diff --git a/old.c "b/dir/new\\tname.c"
      similarity index 90%
      rename from old.c
      rename to "dir/new\\tname.c"
      --- a/old.c
      +++ "b/dir/new\\tname.c"
      @@ -1 +1 @@
      -int a;
      +int b;

      """
    let file = try #require(try PatchParser.parse(diff, name: "r.diff").first?.files.first)
    #expect(file.oldPath == "old.c")
    #expect(file.newPath == "dir/new\tname.c")
    #expect(file.isRenamed)
  }

  @Test func encodedSubjectsAreDecoded() {
    #expect(
      MailHeaders.decodeEncodedWords("=?UTF-8?q?caf=C3=A9?= =?UTF-8?B?IGJhcg==?=") == "café bar")
  }

  @Test(arguments: [
    ("../../etc/passwd", "'..' leaves the tree"),
    ("/etc/passwd", "absolute paths leave the tree"),
    ("a/../../x.c", "'..' leaves the tree"),
    (".git/hooks/pre-commit", "files under .git are not source"),
  ])
  func namesLeavingTheTreeAreRefused(name: String, reason: String) {
    #expect(throws: ReviewError.unsafePath(patch: "p", path: name, reason: reason)) {
      try PatchPath.validated(name, patch: "p")
    }
  }

  @Test func traversalInAPatchIsRefusedBeforeAnythingIsRead() throws {
    let text = try ReviewFixtures.patch("path-traversal.patch")
    #expect(throws: ReviewError.self) { try PatchParser.parse(text, name: "t.patch") }
    do {
      _ = try PatchParser.parse(text, name: "t.patch")
    } catch {
      #expect(error.description.contains("refusing file name '../../etc/demo.c'"))
    }
  }

  @Test func malformedHunkNamesTheFileAndHunk() throws {
    let text = try ReviewFixtures.patch("malformed.patch")
    do {
      _ = try PatchParser.parse(text, name: "m.patch")
      Issue.record("a malformed hunk must be refused")
    } catch {
      #expect(error.description.contains("drivers/demo/demo_kernfs.c, hunk @@ -11,5 +11,6 @@"))
      #expect(error.description.contains("is not a hunk line"))
    }
  }

  @Test func truncatedHunkIsMalformed() {
    let diff = "--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n int a;\n"
    #expect(throws: ReviewError.self) { try PatchParser.parse(diff, name: "x") }
  }

  @Test func inputWithoutADiffIsRefused() {
    #expect(throws: ReviewError.noPatch(name: "n")) {
      try PatchParser.parse("Subject: hello\n\njust words\n", name: "n")
    }
  }
}

/// Locates the fixtures from this file's path.
enum ReviewFixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    .path

  static func patch(_ name: String) throws -> String {
    try String(contentsOfFile: root + "/patches/" + name, encoding: .utf8)
  }
}

/// Mail bodies in a transfer encoding.
@Suite struct MailBodyTests {
  @Test func quotedPrintablePatchIsDecoded() throws {
    let mail = """
      From: A <a@example.org>
      Subject: [PATCH] qp
      Message-ID: <qp@example.org>
      Content-Transfer-Encoding: quoted-printable

      diff --git a/x.c b/x.c
      --- a/x.c
      +++ b/x.c
      @@ -1 +1 @@
      -int a =3D 1;
      +int a =3D 2; /* a long line that the mailer wrapped with a soft break=
       here */

      """
    let patch = try #require(try PatchParser.parse(mail, name: "qp").first)
    #expect(
      patch.files.first?.hunks.first?.newLines
        == ["int a = 2; /* a long line that the mailer wrapped with a soft break here */"])
  }
}
