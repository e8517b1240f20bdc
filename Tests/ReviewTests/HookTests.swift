import Foundation
import SeverTestSupport
import Testing

@testable import Review

/// `sever hook install`: writes a marked pre-commit hook, refuses foreign hooks unless forced,
/// returns quickly when nothing relevant is staged, and blocks a commit that introduces a
/// finding.
@Suite struct HookTests {
  @Test func installRefusesForeignHooksAndForceReplacesThem() throws {
    let checkout = try SeverBinary.checkout()
    defer { try? FileManager.default.removeItem(atPath: checkout) }
    let hook = checkout + "/.git/hooks/pre-commit"
    try FileManager.default.createDirectory(
      atPath: checkout + "/.git/hooks", withIntermediateDirectories: true)
    try "#!/bin/sh\nexit 0\n".write(toFile: hook, atomically: true, encoding: .utf8)
    let refused = try SeverBinary.run(["hook", "install"], in: checkout)
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("was not written by sever; move it aside or use --force"))
    let forced = try SeverBinary.run(["hook", "install", "--force"], in: checkout)
    #expect(forced.status == 0, "\(forced.stderr)")
    let script = try String(contentsOfFile: hook, encoding: .utf8)
    #expect(script.contains(HookInstaller.marker))
    #expect(FileManager.default.isExecutableFile(atPath: hook))
    // Its own hook is rewritten without --force, and removed by uninstall.
    #expect(try SeverBinary.run(["hook", "install"], in: checkout).status == 0)
    #expect(try SeverBinary.run(["hook", "uninstall"], in: checkout).status == 0)
    #expect(!FileManager.default.fileExists(atPath: hook))
  }

  @Test func hookSkipsUnrelatedChangesQuicklyAndBlocksIntroducedFindings() throws {
    let checkout = try SeverBinary.checkout()
    defer { try? FileManager.default.removeItem(atPath: checkout) }
    #expect(try SeverBinary.run(["hook", "install"], in: checkout).status == 0)
    try "notes\n".write(toFile: checkout + "/NOTES.txt", atomically: true, encoding: .utf8)
    _ = try SeverBinary.git(["add", "NOTES.txt"], in: checkout)
    var timings: [Double] = []
    for _ in 0..<5 {
      let start = Date()
      let run = try SeverBinary.execute(
        "/bin/sh", [".git/hooks/pre-commit"], in: checkout, environment: SeverBinary.environment())
      timings.append(Date().timeIntervalSince(start))
      #expect(run.status == 0)
      #expect(run.stderr.isEmpty, "sever must not start: \(run.stderr)")
    }
    #expect(timings.sorted()[2] < 0.3, "median \(timings.sorted()[2]) s")
    #expect(try SeverBinary.git(["commit", "-q", "-m", "notes"], in: checkout).status == 0)

    let apply = try SeverBinary.git(
      ["apply", "--index", ReviewFixtures.root + "/patches/0001-kernfs-free-hook.patch"],
      in: checkout)
    #expect(apply.status == 0)
    let commit = try SeverBinary.git(["commit", "-q", "-m", "free hook"], in: checkout)
    #expect(commit.status != 0)
    #expect(commit.stderr.contains("ops->free() is called from the last fput"), "\(commit.stderr)")
  }
}
