import Foundation
import Kbuild
import SeverCore
import Testing

/// A patch under review is held in memory: the oracle answers through its Kconfig and Makefile
/// changes and knows the C files it adds, without anything on disk changing.
@Suite struct OverlayTests {
  static let tree =
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path + "/Fixtures/tree"

  @Test func aMakefileChangeInMemoryMakesANewFileModuleCapable() async throws {
    let makefile = try String(contentsOfFile: Self.tree + "/drivers/demo/Makefile", encoding: .utf8)
    let overlay = [
      "drivers/demo/Makefile": makefile.replacingOccurrences(
        of: "demo_sysfs.o", with: "demo_sysfs.o demo_extra.o"),
      "drivers/demo/demo_extra.c": "int demo_extra;\n",
    ]
    let patched = try await KbuildOracle.load(tree: Self.tree, arch: "x86_64", overlay: overlay)
    #expect(patched.answer(for: "drivers/demo/demo_extra.c").verdict == .moduleCapable)
    let disk = try await KbuildOracle.load(tree: Self.tree, arch: "x86_64")
    #expect(disk.answer(for: "drivers/demo/demo_extra.c").verdict == .unknown)
  }
}
