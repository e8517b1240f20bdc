import Foundation
import Testing

@testable import Review

/// Applying hunks in memory: exact, shifted, fuzzy, at the end of a file without a newline,
/// and refusals that name the hunk.
@Suite struct HunkApplierTests {
  let base = (1...12).map { "line \($0)" }.joined(separator: "\n") + "\n"

  func hunk(_ text: String) throws -> [Hunk] {
    let diff = "--- a/f.c\n+++ b/f.c\n" + text
    return try #require(try PatchParser.parse(diff, name: "t").first?.files.first?.hunks)
  }

  @Test func appliesAtTheStatedLine() throws {
    let hunks = try hunk("@@ -4,3 +4,4 @@\n line 4\n line 5\n+inserted\n line 6\n")
    let result = try HunkApplier.apply(hunks, to: base, path: "f.c", patch: "t")
    #expect(result.contains("line 5\ninserted\nline 6\n"))
  }

  @Test func findsShiftedContext() throws {
    // The hunk says line 1, but its context is at line 7.
    let hunks = try hunk("@@ -1,3 +1,3 @@\n line 7\n-line 8\n+line eight\n line 9\n")
    let result = try HunkApplier.apply(hunks, to: base, path: "f.c", patch: "t")
    #expect(result.contains("line 7\nline eight\nline 9\n"))
  }

  @Test func fuzzIgnoresAnOuterContextLine() throws {
    let hunks = try hunk("@@ -4,3 +4,3 @@\n changed 4\n-line 5\n+line five\n line 6\n")
    let result = try HunkApplier.apply(hunks, to: base, path: "f.c", patch: "t")
    #expect(result.contains("line 4\nline five\nline 6\n"))
  }

  @Test func mismatchNamesTheHunkAndLine() throws {
    let hunks = try hunk("@@ -4,3 +4,3 @@\n other 4\n-other 5\n+x\n other 6\n")
    #expect(
      throws: ReviewError.doesNotApply(
        patch: "t", path: "f.c", hunk: "@@ -4,3 +4,3 @@",
        reason:
          "line 4 is 'line 4' where the hunk expects 'other 4', and no place in the file "
          + "matches its context")
    ) {
      try HunkApplier.apply(hunks, to: base, path: "f.c", patch: "t")
    }
  }

  @Test func newFileAndMissingNewline() throws {
    let hunks = try hunk("@@ -0,0 +1,2 @@\n+int a;\n+int b;\n\\ No newline at end of file\n")
    #expect(try HunkApplier.apply(hunks, to: "", path: "f.c", patch: "t") == "int a;\nint b;")
  }

  @Test func treeStateRenamesDeletesAndRefusesMissingFiles() throws {
    let diff = """
      diff --git a/drivers/demo/demo_misc.c b/drivers/demo/renamed.c
      similarity index 100%
      rename from drivers/demo/demo_misc.c
      rename to drivers/demo/renamed.c
      diff --git a/drivers/demo/missing.c b/drivers/demo/missing.c
      --- a/drivers/demo/missing.c
      +++ b/drivers/demo/missing.c
      @@ -1 +1 @@
      -a
      +b

      """
    let patch = try #require(try PatchParser.parse(diff, name: "r").first)
    var state = TreeState(base: .directory(root: ReviewFixtures.root + "/tree"))
    do {
      _ = try state.applying(patch)
      Issue.record("a patch to a missing file must be refused")
    } catch {
      #expect(error.description.contains("drivers/demo/missing.c"))
    }
    var renameOnly = patch
    renameOnly.files.removeLast()
    var after = try state.applying(renameOnly)
    #expect(try after.contents(of: "drivers/demo/demo_misc.c") == nil)
    #expect(
      try after.contents(of: "drivers/demo/renamed.c")
        == state.contents(of: "drivers/demo/demo_misc.c"))
  }

  @Test func deletionsMustListTheWholeFileAndCopiesKeepTheOriginal() throws {
    let tree = ReviewFixtures.root + "/tree"
    let original = try String(contentsOfFile: tree + "/drivers/demo/demo_misc.c", encoding: .utf8)
    let lines = HunkApplier.Text(original).lines
    let removal = lines.map { "-" + $0 }.joined(separator: "\n")
    let delete = """
      diff --git a/drivers/demo/demo_misc.c b/drivers/demo/demo_misc.c
      deleted file mode 100644
      --- a/drivers/demo/demo_misc.c
      +++ /dev/null
      @@ -1,\(lines.count) +0,0 @@
      \(removal)

      """
    let state = TreeState(base: .directory(root: tree))
    var deleted = try state.applying(try #require(try PatchParser.parse(delete, name: "d").first))
    #expect(try deleted.contents(of: "drivers/demo/demo_misc.c") == nil)

    let copy = """
      diff --git a/drivers/demo/demo_misc.c b/drivers/demo/demo_copy.c
      similarity index 100%
      copy from drivers/demo/demo_misc.c
      copy to drivers/demo/demo_copy.c

      """
    var copied = try state.applying(try #require(try PatchParser.parse(copy, name: "c").first))
    #expect(try copied.contents(of: "drivers/demo/demo_misc.c") == original)
    #expect(try copied.contents(of: "drivers/demo/demo_copy.c") == original)
  }
}
