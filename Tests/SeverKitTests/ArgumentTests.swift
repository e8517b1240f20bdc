import Foundation
import SeverCore
import SeverSupport
import SeverTestSupport
import Testing

@testable import SeverKit

/// Compile arguments: compilation databases, shell words, the generated-header shims.
@Suite struct ArgumentTests {
  @Test func shellWordsHonourQuotes() {
    #expect(
      ShellWords.split(#"gcc -DKBUILD_MODNAME='"psi"' -I "a b" x\ y.c"#)
        == ["gcc", #"-DKBUILD_MODNAME="psi""#, "-I", "a b", "x y.c"])
  }

  @Test func databaseArgumentsDropGCCOnlyFlagsAndOutputs() {
    let words = [
      "-Wp,-MMD,x.d", "-nostdinc", "-Iinclude", "-fconserve-stack", "-mindirect-branch=thunk",
      "-c", "-o", "kernel/sched/psi.o", "kernel/sched/psi.c", "-include", "include/linux/kconfig.h",
    ]
    let out = CompilationDatabase.normalise(words, directory: "/src", file: "kernel/sched/psi.c")
    #expect(
      out == ["-nostdinc", "-I", "/src/include", "-include", "/src/include/linux/kconfig.h"])
  }

  @Test func databasesThatAreNotJSONAreRejected() throws {
    let path = NSTemporaryDirectory() + "sever-bad-db-\(UUID().uuidString).json"
    try "not json".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: SeverKitError.self) { try CompilationDatabase.load(path: path) }
  }

  @Test func stableHashIsStable() {
    #expect(StableHash.hex(["a", "bc"]) != StableHash.hex(["ab", "c"]))
    #expect(StableHash.hex(["sever"]) == StableHash.hex(["sever"]))
    #expect(StableHash.hex([]).count == 32)
  }

  @Test func shimsHoldAutoconfAndAsmWrappers() throws {
    let root = NSTemporaryDirectory() + "sever-shim-tree-\(UUID().uuidString)"
    let fm = FileManager.default
    try fm.createDirectory(atPath: root + "/include/asm-generic", withIntermediateDirectories: true)
    try fm.createDirectory(
      atPath: root + "/arch/x86/include/asm", withIntermediateDirectories: true)
    try fm.createDirectory(
      atPath: root + "/arch/x86/entry/syscalls", withIntermediateDirectories: true)
    try "".write(toFile: root + "/include/asm-generic/local.h", atomically: true, encoding: .utf8)
    try "".write(toFile: root + "/include/asm-generic/irq.h", atomically: true, encoding: .utf8)
    try "".write(toFile: root + "/arch/x86/include/asm/irq.h", atomically: true, encoding: .utf8)
    try "0 common read sys_read\n1 64 write sys_write\n512 x32 rt_sigaction compat\n"
      .write(
        toFile: root + "/arch/x86/entry/syscalls/syscall_64.tbl", atomically: true,
        encoding: .utf8)
    // The rule Kbuild follows, as arch/x86/entry/syscalls/Makefile writes it.
    try """
    uapi := arch/$(SRCARCH)/include/generated/uapi/asm
    syscall64 := $(src)/syscall_64.tbl
    syshdr := $(srctree)/scripts/syscallhdr.sh
    $(uapi)/unistd_64.h: abis := common,64
    $(uapi)/unistd_64.h: $(syscall64) $(syshdr) FORCE
    	$(call if_changed,syshdr)

    """.write(
      toFile: root + "/arch/x86/entry/syscalls/Makefile", atomically: true, encoding: .utf8)
    let cache = NSTemporaryDirectory() + "sever-shim-cache-\(UUID().uuidString)"
    let config = KernelConfig(values: ["KERNFS": "y", "BFQ": "m"])
    let shim = try ShimDirectory.prepare(
      root: root, sourceArch: "x86", config: config, cacheBase: cache)
    let autoconf = try String(
      contentsOfFile: shim.path + "/include/generated/autoconf.h", encoding: .utf8)
    #expect(autoconf.contains("#define CONFIG_BFQ_MODULE 1"))
    #expect(fm.fileExists(atPath: shim.fallback + "/asm/local.h"))
    #expect(!fm.fileExists(atPath: shim.fallback + "/asm/irq.h"), "x86 has its own irq.h")
    let unistd = try String(
      contentsOfFile: shim.path + "/arch/x86/include/generated/uapi/asm/unistd_64.h",
      encoding: .utf8)
    #expect(unistd.contains("#define __NR_read 0\n#define __NR_write 1\n"))
    #expect(!unistd.contains("rt_sigaction"))
    // A second run reuses the same folder.
    let again = try ShimDirectory.prepare(
      root: root, sourceArch: "x86", config: config, cacheBase: cache)
    #expect(again.path == shim.path)
    #expect(!fm.fileExists(atPath: root + "/include/generated"), "nothing is written into the tree")
  }

  @Test func aChainOfIncludedFilesIsParsedThroughTheOutermost() throws {
    // hostap_cs.c includes hostap_hw.c, which includes hostap_download.c: only the outermost
    // is compiled, the others do not parse alone.
    let directory = NSTemporaryDirectory() + "sever-chain-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for (name, text) in [
      ("outer.c", "#define FROM_OUTER 1\n#include \"middle.c\"\n"),
      ("middle.c", "#include \"inner.c\"\nint middle = FROM_OUTER;\n"),
      ("inner.c", "int inner = FROM_OUTER;\n"),
    ] {
      try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
    }
    let inputs = try InputSet.discover(paths: [directory])
    #expect(inputs.units.map { inputs.relativePath($0.path) } == ["outer.c"])
    #expect(inputs.units.first?.keep == ["inner.c", "middle.c", "outer.c"])
  }

  @Test func wrappersComeFromThePrefilterCacheWhileTheirStatusHolds() throws {
    // What a file includes is part of its prefilter verdict: a re-run does not read the
    // tree's files again to find wrappers.
    let tree = try FixturePaths.copyOfTree()
    let cache = FixturePaths.temporary("wrapper-verdicts")
    let wrapper = tree + "/kernel/sched/build_wrapper.c"
    let first = try InputSet.discover(paths: [tree], cacheBase: cache)
    #expect(first.sourceIncludes[wrapper] == ["pressure.c"])
    let grouped = try #require(first.units.first { $0.path == wrapper })
    // The wrapper spells no table word; the file it includes does, and is parsed through it.
    #expect(grouped.keep == ["kernel/sched/pressure.c"])

    // The same bytes but for the include, written in place with the time put back: the
    // status is the one the cache holds, so its verdict stands.
    let before = try #require(FileStatus(path: wrapper))
    let text = try String(contentsOfFile: wrapper, encoding: .utf8)
    let include = "#include \"pressure.c\""
    let blanked = text.replacingOccurrences(
      of: include, with: String(repeating: " ", count: include.count))
    let handle = try #require(FileHandle(forWritingAtPath: wrapper))
    try handle.write(contentsOf: Data(blanked.utf8))
    try handle.close()
    let time = timespec(
      tv_sec: before.modified / 1_000_000_000, tv_nsec: before.modified % 1_000_000_000)
    #expect(utimensat(AT_FDCWD, wrapper, [time, time], 0) == 0)
    #expect(FileStatus(path: wrapper) == before)
    let cached = try InputSet.discover(paths: [tree], cacheBase: cache)
    #expect(cached.units == first.units)
    // Without the cache the file is read: no include, no wrapper.
    let read = try InputSet.discover(paths: [tree])
    #expect(read.sourceIncludes[wrapper] == [])
    #expect(!read.units.contains { $0.path == wrapper })
    #expect(read.units.contains { $0.path == tree + "/kernel/sched/pressure.c" })
  }

  @Test func wrappersAreParsedInsteadOfTheFilesTheyInclude() throws {
    let tree =
      URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().path + "/Fixtures/tree"
    let inputs = try InputSet.discover(paths: [tree + "/kernel/sched/pressure.c"])
    #expect(inputs.mode == .kernelTree)
    #expect(inputs.units.map { inputs.relativePath($0.path) } == ["kernel/sched/build_wrapper.c"])
    #expect(inputs.units.first?.keep == ["kernel/sched/pressure.c"])
  }
}
