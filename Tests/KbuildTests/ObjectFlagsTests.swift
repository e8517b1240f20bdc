import Foundation
import Kbuild
import SeverCore
import Testing

/// Kbuild's per-object flags read from the kbuild files of `Fixtures/kbuild-flags`: the
/// architecture Makefile's, `subdir-ccflags-y` inherited from above, `ccflags-y`,
/// `ccflags-remove-y`, `CFLAGS_<obj>.o` and `CFLAGS_REMOVE_<obj>.o`, the module names, and
/// `-DMODULE` for objects linked into a module.
@Suite struct ObjectFlagsTests {
  static let tree: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("Fixtures/kbuild-flags").path
  }()

  /// The configuration the answers are asked for: the demo a module, the core built in.
  static let config = KernelConfig(values: ["FLAGS_DEMO": "m", "FLAGS_CORE": "y", "X86_64": "y"])

  func flags(_ path: String, arch: String = "x86_64") throws -> ObjectFlags {
    try KbuildOracle.load(tree: Self.tree, arch: arch).objectFlags(for: path, config: Self.config)
  }

  @Test func aMemberOfACompositeModuleGetsTheModuleAndTheDirectoryFlags() throws {
    let alpha = try flags("drivers/flags/alpha.c")
    #expect(alpha.object == "drivers/flags/alpha.o")
    #expect(alpha.moduleName == "flagsmod")
    #expect(alpha.baseName == "alpha")
    #expect(alpha.builtAsModule)
    #expect(alpha.directory == "drivers/flags")
    // Architecture, inherited, own; REMOVED_BELOW taken out by ccflags-remove-y; Kbuild reads
    // ccflags-y only, so ccflags-$(CONFIG_FLAGS_DEMO) with the demo a module adds nothing.
    #expect(
      alpha.flags == [
        "-DARCH_FLAG=64", "-mno-red-zone", "-DFROM_PARENT=1", "-I", "drivers/flags/include",
        #"-DDIR_FLAG='"dir"'"#, "-DCORE_ENABLED=1",
      ])
    #expect(alpha.enabling.isEmpty)
    #expect(
      alpha.moduleDefines == [
        #"-DKBUILD_MODNAME="flagsmod""#, "-D__KBUILD_MODNAME=kmod_flagsmod",
        #"-DKBUILD_BASENAME="alpha""#, "-DMODULE",
      ])
  }

  @Test func aBuiltInObjectGetsItsOwnFlagsAndItsModuleFile() throws {
    let special = try flags("drivers/flags/special.c")
    #expect(!special.builtAsModule)
    #expect(special.moduleName == "special")
    #expect(special.moduleFile == "drivers/flags/special")
    #expect(special.flags.contains("-DSPECIAL=1"))
    #expect(!special.flags.contains("-DFROM_PARENT=1"), "CFLAGS_REMOVE_special.o")
    #expect(special.moduleDefines.contains(#"-DKBUILD_MODFILE="drivers/flags/special""#))
    #expect(!special.moduleDefines.contains("-DMODULE"))
  }

  @Test func anObjectTheConfigurationLeavesOutIsCompiledWithItsOwnSymbol() throws {
    let off = try flags("drivers/flags/off.c")
    #expect(off.enabling == ["CONFIG_FLAGS_OFF"])
    #expect(off.moduleDefines.last == "-DCONFIG_FLAGS_OFF=1")
  }

  @Test func theArchitectureMakefileIsTheArchitecturesOwn() throws {
    let armonly = try flags("drivers/armonly/armonly.c", arch: "arm64")
    #expect(armonly.flags.first == "-DARCH_FLAG=8")
    #expect(armonly.flags.contains("-DFROM_PARENT=1"))
  }

  @Test func nameFixIsKbuilds() {
    #expect(ObjectFlags.nameFix("snd-hda-codec,x") == "snd_hda_codec_x")
  }
}
