import Testing

@testable import Review

/// A file name that is absolute as the patch writes it is refused, whatever prefix stripping
/// would make of it: `+++ /etc/shadow` is never reviewed as `etc/shadow` (issue 16).
@Suite struct AbsolutePatchPathTests {
  @Test(arguments: [
    // One side absolute: the sides differ, so -p1 stripping would apply to both.
    "--- a/drivers/demo/demo_kernfs.c\n+++ /etc/shadow\n@@ -1,1 +1,2 @@\n x\n+y\n",
    // Both sides absolute and alike: taken as written.
    "--- /etc/shadow\n+++ /etc/shadow\n@@ -1,1 +1,2 @@\n x\n+y\n",
    // A new file created at an absolute path.
    "--- /dev/null\n+++ /etc/cron.d/x.c\n@@ -0,0 +1,1 @@\n+y\n",
    // git headers whose ---/+++ lines name an absolute file.
    "diff --git a/x.c b/x.c\n--- /etc/x.c\n+++ /etc/x.c\n@@ -1,1 +1,2 @@\n x\n+y\n",
  ])
  func anAbsoluteNameIsRefused(diff: String) {
    do {
      _ = try PatchParser.parse(diff, name: "abs.patch")
      Issue.record("an absolute file name must be refused")
    } catch {
      #expect(error.description.contains("absolute paths leave the tree"), "\(error)")
    }
  }

  @Test func aStrippedRelativeNameIsStillAccepted() throws {
    let diff = "--- linux.orig/x.c\n+++ linux/x.c\n@@ -1,1 +1,2 @@\n x\n+y\n"
    let mails = try PatchParser.parse(diff, name: "rel.patch")
    #expect(mails.first?.files.first?.path == "x.c")
  }
}
