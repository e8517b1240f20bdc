import Foundation
import SeverTestSupport
import Testing

/// Coverage from the command line: `--compile-commands` with a database as
/// gen_compile_commands.py writes it, `--arch auto`, `--build-dir`, and the exit status of a
/// run in which a unit could not be parsed at all.
@Suite struct CoverageTests {
  static let flagsTree = FixturePaths.fixtures + "/kbuild-flags"

  @Test func aGenCompileCommandsDatabaseParsesCleanly() throws {
    // A configured in-tree build: the tree with what `make prepare` generated.
    let tree = FixturePaths.temporary("cli-db-tree")
    defer { try? FileManager.default.removeItem(atPath: tree) }
    try FileManager.default.copyItem(atPath: Self.flagsTree, toPath: tree)
    try FileManager.default.createDirectory(
      atPath: tree + "/include/generated", withIntermediateDirectories: true)
    try "#define CONFIG_FLAGS_DEMO_MODULE 1\n#define CONFIG_FLAGS_CORE 1\n".write(
      toFile: tree + "/include/generated/autoconf.h", atomically: true, encoding: .utf8)
    let path = tree + "/compile_commands.json"
    try CompilationDatabaseFixture.write(tree: tree, to: path)
    let run = try SeverBinary.run(
      ["check", "--no-prefilter", "--compile-commands", path, tree + "/drivers/flags"])
    #expect(run.status == 0, "stderr: \(run.stderr)")
    #expect(run.stdout.contains("0 with parse errors (0 errors)"), "\(run.stdout)")
  }

  @Test func autoLeavesOutWhatNoArchitectureBuilds() throws {
    let run = try SeverBinary.run(
      ["check", "--no-prefilter", "--arch", "auto", "--no-cache", Self.flagsTree])
    #expect(run.status == 0, "stderr: \(run.stderr)")
    #expect(run.stdout.contains("0 with parse errors (0 errors)"))
    #expect(run.stdout.contains("2 units no supported architecture builds left out"))
    #expect(!run.stderr.contains("nowhere.c"), "listed only with --verbose")
    let verbose = try SeverBinary.run(
      ["check", "--no-prefilter", "--arch", "auto", "--verbose", Self.flagsTree])
    #expect(verbose.stderr.contains("drivers/nowhere/nowhere.c"))
  }

  @Test func aBuildDirectoryGivesItsConfigurationAndHeaders() throws {
    let build = FixturePaths.temporary("build-dir")
    defer { try? FileManager.default.removeItem(atPath: build) }
    try FileManager.default.createDirectory(
      atPath: build + "/include/generated", withIntermediateDirectories: true)
    // The build turns the demo into built-in code: alpha.c then has no -DMODULE and #errors.
    try "CONFIG_X86_64=y\nCONFIG_FLAGS_DEMO=y\nCONFIG_FLAGS_CORE=y\n".write(
      toFile: build + "/.config", atomically: true, encoding: .utf8)
    try "#define CONFIG_FLAGS_DEMO 1\n#define CONFIG_FROM_BUILD 1\n".write(
      toFile: build + "/include/generated/autoconf.h", atomically: true, encoding: .utf8)
    let run = try SeverBinary.run(
      [
        "check", "--no-prefilter", "--no-cache", "--build-dir", build, "--verbose",
        Self.flagsTree + "/drivers/flags/beta.c",
      ])
    #expect(run.stderr.contains("-DMODULE is missing"), "stderr: \(run.stderr)")
    let wrong = try SeverBinary.run(
      ["check", "--arch", "arm64", "--build-dir", build, Self.flagsTree + "/drivers/flags"])
    #expect(wrong.status == 2)
    #expect(wrong.stderr.contains("it is configured for x86_64, not arm64"))
  }

  @Test func aUnitNotParsedAtAllEndsWithStatusFour() throws {
    let tree = try FixturePaths.copyOfTree()
    defer { try? FileManager.default.removeItem(atPath: tree) }
    let environment = ["SEVER_FAULT_INJECTION": "hang:demo_proc.c", "SWIFT_BACKTRACE": "enable=no"]
    let run = try SeverBinary.run(
      ["check", "--no-cache", "--unit-timeout", "1", "."], in: tree, environment: environment)
    #expect(run.status == 4, "stderr: \(run.stderr)")
    #expect(run.stderr.contains("1 unit could not be parsed at all"))
    let allowed = try SeverBinary.run(
      ["check", "--no-cache", "--unit-timeout", "1", "--allow-unparsed", "."], in: tree,
      environment: environment)
    #expect(allowed.status == 1, "the findings of the other units; stderr: \(allowed.stderr)")
  }
}

/// A database in gen_compile_commands.py's in-tree shape for the flags fixture tree.
enum CompilationDatabaseFixture {
  static func write(tree: String, to path: String) throws {
    var entries: [[String: String]] = []
    for (source, defines) in [
      (
        "drivers/flags/alpha.c",
        "-DFROM_PARENT=1 -DMODULE -DKBUILD_MODNAME='\"flagsmod\"' -DCORE_ENABLED=1"
      ),
      ("drivers/flags/beta.c", "-DFROM_PARENT=1 -DMODULE -DKBUILD_MODNAME='\"flagsmod\"'"),
      ("drivers/flags/special.c", "-DSPECIAL=1 -DKBUILD_MODFILE='\"drivers/flags/special\"'"),
      ("drivers/flags/off.c", "-DFROM_PARENT=1 -DCONFIG_FLAGS_OFF=1"),
    ] {
      let base = ((source as NSString).lastPathComponent as NSString).deletingPathExtension
      entries.append([
        "directory": tree, "file": tree + "/" + source,
        "command":
          "gcc -Wp,-MMD,drivers/flags/.\(base).o.d -nostdinc -I./include -include "
          + "./include/linux/kconfig.h -D__KERNEL__ -std=gnu11 -mindirect-branch-cs-prefix "
          + "-fconserve-stack -DARCH_FLAG=64 -I drivers/flags/include "
          + "-DDIR_FLAG='\"dir\"' \(defines) -DKBUILD_BASENAME='\"\(base)\"' -c -o "
          + "drivers/flags/\(base).o \(source)",
      ])
    }
    let data = try JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted])
    try data.write(to: URL(fileURLWithPath: path))
  }
}
