import Foundation
import SeverTestSupport
import Testing

@testable import SeverKit

/// `--compile-commands` with databases as the kernel's
/// `scripts/clang-tools/gen_compile_commands.py` writes them: in-tree (the command names the
/// source relative to `directory`) and `O=` (`directory` is the object tree, the source is
/// absolute, generated headers are under `./include`).
@Suite struct CompilationDatabaseTests {
  /// One entry of an in-tree database, as gen_compile_commands.py writes it for `make` run in
  /// the tree root (flags copied from the shape of a gcc x86_64 kernel build).
  static func inTreeEntry(root: String, source: String) -> [String: String] {
    let object = String(source.dropLast(2)) + ".o"
    let directory = (source as NSString).deletingLastPathComponent
    let base = ((source as NSString).lastPathComponent as NSString).deletingPathExtension
    return [
      "directory": root,
      "file": root + "/" + source,
      "command":
        "gcc -Wp,-MMD,\(directory)/.\(base).o.d -nostdinc -I./arch/x86/include "
        + "-I./arch/x86/include/generated -I./include -I./arch/x86/include/uapi "
        + "-include ./include/linux/compiler-version.h -include ./include/linux/kconfig.h "
        + "-include ./include/linux/compiler_types.h -D__KERNEL__ -std=gnu11 -fshort-wchar "
        + "-funsigned-char -fno-PIE -m64 -mno-red-zone -mcmodel=kernel "
        + "-mindirect-branch=thunk-extern -mindirect-branch-register "
        + "-mindirect-branch-cs-prefix -fpatchable-function-entry=16,16 -fconserve-stack "
        + "-fno-allow-store-data-races -ftrivial-auto-var-init=zero -O2 "
        + "-Wimplicit-fallthrough=5 -Werror=date-time -I \(directory)/include "
        + "-DFROM_PARENT=1 -DCORE_ENABLED=1 -DDIR_FLAG='\"dir\"' -DARCH_FLAG=64 -DMODULE "
        + "-DKBUILD_BASENAME='\"\(base)\"' -DKBUILD_MODNAME='\"flagsmod\"' "
        + "-D__KBUILD_MODNAME=kmod_flagsmod -c -o \(object) \(source)",
    ]
  }

  static func write(_ entries: [[String: String]], to path: String) throws {
    let data = try JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted])
    try data.write(to: URL(fileURLWithPath: path))
  }

  @Test func anInTreeDatabaseNamesTheSourceOnceAndDropsGCCOnlyFlags() throws {
    let root = FixturePaths.fixtures + "/kbuild-flags"
    let path = FixturePaths.temporary("db") + ".json"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Self.write([Self.inTreeEntry(root: root, source: "drivers/flags/alpha.c")], to: path)
    let database = try CompilationDatabase.load(path: path)
    let arguments = try #require(database.arguments(for: root + "/drivers/flags/alpha.c"))
    #expect(!arguments.contains { $0.hasSuffix("alpha.c") }, "the source reaches libclang once")
    for dropped in [
      "-mindirect-branch-cs-prefix", "-fconserve-stack", "-Wp,-MMD,drivers/flags/.alpha.o.d",
      "-o", "-c", "-fpatchable-function-entry=16,16", "-mcmodel=kernel",
    ] {
      #expect(!arguments.contains(dropped), "\(dropped)")
    }
    #expect(arguments.contains(#"-DKBUILD_MODNAME="flagsmod""#))
    #expect(arguments.contains("-O2") && arguments.contains("-funsigned-char"))
    let include = try #require(arguments.firstIndex(of: "-include"))
    #expect(arguments[include + 1] == root + "/include/linux/compiler-version.h")
    #expect(arguments.contains(root + "/drivers/flags/include"))
  }

  @Test func anObjectTreeDatabaseResolvesAgainstItsDirectory() {
    let words = ShellWords.split(
      "aarch64-linux-gnu-gcc -nostdinc -I/src/arch/arm64/include -I./arch/arm64/include/generated "
        + "-I./include -c -o fs/kernfs/file.o /src/fs/kernfs/file.c")
    let out = CompilationDatabase.normalise(
      Array(words.dropFirst()), directory: "/obj", file: "/src/fs/kernfs/file.c")
    #expect(
      out == [
        "-nostdinc", "-I", "/src/arch/arm64/include", "-I", "/obj/arch/arm64/include/generated",
        "-I", "/obj/include",
      ])
    #expect(CompilationDatabase.target(ofCompiler: "aarch64-linux-gnu-gcc") == "aarch64-linux-gnu")
    #expect(CompilationDatabase.target(ofCompiler: "/usr/bin/gcc-12") == nil)
  }
}
