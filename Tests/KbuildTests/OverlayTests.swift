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

  /// The estimate's rounds re-evaluate a symbol only when something it reads changed: a chain
  /// that needs several rounds (a symbol read before its definition's turn, a select, a
  /// default on the selected symbol, a select whose only change is the selector's value) still
  /// ends where full sweeps end.
  @Test func theEstimateFollowsAChainOverSeveralRounds() async throws {
    let kconfig = try String(contentsOfFile: Self.tree + "/Kconfig", encoding: .utf8)
    let overlay = [
      "Kconfig": kconfig + """

        config EST_LATE_USER
        \tbool "uses a symbol whose turn comes after it"
        \tdepends on EST_ZLATE
        config EST_ZLATE
        \tbool "late"
        config EST_HIDDEN
        \ttristate
        config EST_SELECTOR
        \tbool "selects"
        \tdepends on EST_LATE_USER
        \tselect EST_HIDDEN
        config EST_DEFAULTED
        \ttristate
        \tdefault m if EST_HIDDEN
        config EST_NEVER
        \tbool "never"
        \tdepends on !EST_ZLATE
        config EST_HIDDEN2
        \ttristate
        config EST_SELECTOR2
        \tbool "selects, depending on nothing"
        \tselect EST_HIDDEN2

        """
    ]
    let oracle = try await KbuildOracle.load(tree: Self.tree, arch: "x86_64", overlay: overlay)
    let values = oracle.allmodconfigEstimate(choices: []).values
    #expect(values["EST_ZLATE"] == "y")
    #expect(values["EST_LATE_USER"] == "y")
    #expect(values["EST_SELECTOR"] == "y")
    #expect(values["EST_HIDDEN"] == "y")
    #expect(values["EST_DEFAULTED"] == "m")
    #expect(values["EST_NEVER"] == nil)
    #expect(values["EST_HIDDEN2"] == "y")
  }
}
