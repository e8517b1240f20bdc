import Foundation
import Rules
import SeverCore
import SeverKit
import SeverTestSupport
import Testing

/// Tier 1 must never lose a finding: every rule example and every rule fixture, placed in a
/// kernel tree (the fixture tree's Kconfig, Kbuild, `include/` and `arch/`, and the file alone
/// under `drivers/example/`, a module when it spells `MODULE_LICENSE`), gives exactly the same
/// findings in the default two-tier run as with `--exhaustive`; a triggering example or a bad
/// fixture is selected by tier 1 and found where it is marked.
@Suite struct SelectionSoundnessTests {
  static var cases: [RuleCorpus.Case] { RuleCorpus.cases }

  /// One cache for the whole suite: facts are keyed by contents and arguments.
  static let cache = FixturePaths.temporary("selection-cache")

  /// A kernel tree holding only the fixture tree's skeleton and `code` as
  /// `drivers/example/example.c`.
  static func tree(for code: String) throws -> String {
    let root = FixturePaths.temporary("selection-tree")
    let fm = FileManager.default
    try fm.createDirectory(atPath: root + "/drivers/example", withIntermediateDirectories: true)
    for item in ["Kconfig", "include", "arch"] {
      try fm.copyItem(atPath: FixturePaths.tree + "/" + item, toPath: root + "/" + item)
    }
    try "obj-y += drivers/example/\n".write(
      toFile: root + "/Makefile", atomically: true, encoding: .utf8)
    let module = code.contains("MODULE_LICENSE")
    try (module ? "obj-$(CONFIG_DEMO_DRIVERS) += example.o\n" : "obj-y += example.o\n").write(
      toFile: root + "/drivers/example/Makefile", atomically: true, encoding: .utf8)
    try code.write(
      toFile: root + "/drivers/example/example.c", atomically: true, encoding: .utf8)
    return root
  }

  @Test(arguments: cases) func twoTierFindsWhatExhaustiveFinds(_ input: RuleCorpus.Case)
    async throws
  {
    let root = try Self.tree(for: input.code)
    defer { try? FileManager.default.removeItem(atPath: root) }
    var options = CheckOptions(paths: [root], jobs: 1, cacheBase: Self.cache)
    var request = Pipeline.Request(options: options, rules: [input.rule])
    request.useMemo = false
    let twoTier = try await Pipeline.check(request)
    options.exhaustive = true
    request.options = options
    let exhaustive = try await Pipeline.check(request)
    #expect(twoTier.check.coverage.parseErrors == 0)
    #expect(
      !twoTier.report.diagnostics.contains { $0.kind == .internalError },
      "\(twoTier.report.diagnostics)")
    #expect(twoTier.analysis.findings == exhaustive.analysis.findings)
    let lines = twoTier.analysis.findings.filter { $0.location.path == "drivers/example/example.c" }
      .map(\.location.line).sorted()
    #expect(lines == input.expectedLines.sorted())
    if !input.expectedLines.isEmpty {
      let scan = try await Pipeline.scan(
        CheckOptions(paths: [root], jobs: 1, cacheBase: Self.cache))
      #expect(scan.selection?.files.contains("drivers/example/example.c") == true)
    }
  }

  /// `check` of `directory` without the run memo, in the two-tier or the exhaustive mode.
  static func check(_ directory: String, exhaustive: Bool) async throws -> Pipeline.Outcome {
    var options = CheckOptions(paths: [directory], jobs: 1, cacheBase: Self.cache)
    options.exhaustive = exhaustive
    var request = Pipeline.Request(options: options)
    request.useMemo = false
    return try await Pipeline.check(request)
  }

  /// A helper defined in a file without table words (the prefilter leaves it out) is parsed
  /// when a handler's reach calls it, in both modes: `demo_core_get()` in
  /// `drivers/demo/demo_core.c` takes the reference that pins the object demo_stats.c's release
  /// reads, so the directory is quiet on it; named alone, the file gets the note that says
  /// what sever could not see.
  @Test func helpersInPrefilteredFilesAreParsed() async throws {
    let directory = FixturePaths.tree + "/drivers/demo"
    let stats = "drivers/demo/demo_stats.c"
    for exhaustive in [false, true] {
      let run = try await Self.check(directory, exhaustive: exhaustive)
      #expect(
        !run.analysis.findings.contains { $0.location.path == stats },
        "exhaustive: \(exhaustive)")
    }
    var request = Pipeline.Request(
      options: CheckOptions(paths: [directory + "/demo_stats.c"], jobs: 1, cacheBase: Self.cache))
    request.useMemo = false
    let alone = try await Pipeline.check(request)
    let notes = alone.analysis.findings.filter { $0.location.path == stats }
    #expect(notes.map(\.severity) == [.note])
    #expect(notes.first?.message.contains("demo_core_get(), which sever did not parse") == true)
  }

  /// A helper file that another file of its directory includes is parsed inside that file, as
  /// Kbuild compiles it (`kernel/sched/clock.c` inside `build_utility.c`): alone it may not
  /// parse at all. Here demo_core.c uses a type its wrapper defines.
  @Test func helperFilesIncludedByAWrapperAreParsedInIt() async throws {
    let tree = try FixturePaths.copyOfTree()
    defer { try? FileManager.default.removeItem(atPath: tree) }
    let directory = tree + "/drivers/demo"
    let makefile = directory + "/Makefile"
    try String(contentsOfFile: makefile, encoding: .utf8)
      .replacingOccurrences(of: " demo_core.o", with: " demo_all.o")
      .write(toFile: makefile, atomically: true, encoding: .utf8)
    try "typedef int demo_count_t;\n#include \"demo_core.c\"\n"
      .write(toFile: directory + "/demo_all.c", atomically: true, encoding: .utf8)
    let core = directory + "/demo_core.c"
    try (String(contentsOfFile: core, encoding: .utf8) + "\ndemo_count_t demo_core_count;\n")
      .write(toFile: core, atomically: true, encoding: .utf8)
    for exhaustive in [false, true] {
      let run = try await Self.check(directory, exhaustive: exhaustive)
      #expect(
        !run.analysis.findings.contains { $0.location.path == "drivers/demo/demo_stats.c" },
        "exhaustive: \(exhaustive)")
      let unparsed = run.check.files.filter { $0.parseErrorCount > 0 }.map(\.path)
      #expect(unparsed.isEmpty, "exhaustive: \(exhaustive)")
      #expect(run.check.files.contains { $0.path == "drivers/demo/demo_core.c" })
    }
  }

  /// A helper file is parsed with its own Kbuild flags when a kbuild file names it: a built-in
  /// helper beside modular objects gets no `-DMODULE` (linux-6.12's `kernel/reboot.c`, built
  /// in, borrowed `kernel/configs.c`'s and failed on its two `late_initcall`s).
  @Test func helperFilesGetTheirOwnKbuildFlags() async throws {
    let tree = try FixturePaths.copyOfTree()
    defer { try? FileManager.default.removeItem(atPath: tree) }
    let directory = tree + "/drivers/demo"
    let makefile = directory + "/Makefile"
    try
      (String(contentsOfFile: makefile, encoding: .utf8)
      .replacingOccurrences(of: " demo_core.o", with: "") + "obj-y += demo_core.o\n")
      .write(toFile: makefile, atomically: true, encoding: .utf8)
    let core = directory + "/demo_core.c"
    try
      ("#ifdef MODULE\n#error \"demo_core.o is built in\"\n#endif\n"
      + String(contentsOfFile: core, encoding: .utf8))
      .write(toFile: core, atomically: true, encoding: .utf8)
    for exhaustive in [false, true] {
      let run = try await Self.check(directory, exhaustive: exhaustive)
      let unparsed = run.check.files.filter { $0.parseErrorCount > 0 }.map(\.path)
      #expect(unparsed.isEmpty, "exhaustive: \(exhaustive)")
      #expect(run.check.files.contains { $0.path == "drivers/demo/demo_core.c" })
    }
  }

  /// What an anonymous file holds is read from the function that makes it and its callers,
  /// through helpers in files without table words (iommufd's selftest: the file's creator is
  /// handed an access made in `device.c`, which takes a reference on the context's file): the
  /// two-tier run parses those helpers too, and gives the note an exhaustive run gives, not an
  /// error that says nothing pins the module.
  @Test func helpersOfAnAnonymousFilesCreatorAreParsed() async throws {
    let code = """
      #include <linux/anon_inodes.h>
      #include <linux/slab.h>
      MODULE_LICENSE("GPL");
      struct demo_ctx;
      struct demo_access { struct file *file; struct demo_ctx *ctx; };
      void demo_ctx_put(struct demo_ctx *ctx);
      struct demo_ctx *demo_ctx_hold(struct demo_ctx *ctx);

      static int access_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_access *access = file->private_data;

      \tdemo_ctx_put(access->ctx);
      \tkfree(access);
      \treturn 0;
      }

      static const struct file_operations access_fops = {
      \t.release = access_release,
      };

      static struct demo_access *access_alloc(void)
      {
      \tstruct demo_access *access = kzalloc(sizeof(*access), GFP_KERNEL);

      \tif (!access)
      \t\treturn NULL;
      \taccess->file = anon_inode_getfile("[demo_access]", &access_fops, access, 0);
      \treturn access;
      }

      struct file *access_create(struct demo_ctx *ctx)
      {
      \tstruct demo_access *access = access_alloc();

      \tif (!access)
      \t\treturn NULL;
      \taccess->ctx = demo_ctx_hold(ctx);
      \treturn access->file;
      }
      """
    let root = try Self.tree(for: code)
    defer { try? FileManager.default.removeItem(atPath: root) }
    try """
    #include <linux/anon_inodes.h>
    struct demo_ctx { struct file *file; };

    static void demo_ctx_get(struct demo_ctx *ctx)
    {
    \tget_file(ctx->file);
    }

    struct demo_ctx *demo_ctx_hold(struct demo_ctx *ctx)
    {
    \tdemo_ctx_get(ctx);
    \treturn ctx;
    }

    void demo_ctx_put(struct demo_ctx *ctx)
    {
    \tfput(ctx->file);
    }
    """.write(toFile: root + "/drivers/example/ctx.c", atomically: true, encoding: .utf8)
    try "obj-$(CONFIG_DEMO_DRIVERS) += example.o ctx.o\n".write(
      toFile: root + "/drivers/example/Makefile", atomically: true, encoding: .utf8)
    for exhaustive in [false, true] {
      let run = try await Self.check(root, exhaustive: exhaustive)
      let owner = run.analysis.findings.filter { $0.ruleID == "fops-missing-owner" }
      #expect(owner.map(\.severity) == [.note], "exhaustive: \(exhaustive)")
      #expect(
        owner.first?.message.contains("access_create takes a reference on another file") == true,
        "exhaustive: \(exhaustive)")
      #expect(run.check.files.contains { $0.path == "drivers/example/ctx.c" })
    }
  }

  /// A module reference taken inside another module's function pins that module, not this
  /// one (intel_scu_ipcutil.c's open calls `intel_scu_ipc_dev_get()`, which pins the IPC
  /// provider): the finding stands once that function is parsed, as it is now for the open's
  /// helpers.
  @Test func aModuleReferenceTakenByAnotherModulesFunctionPinsNothingHere() async throws {
    let code = """
      #include <linux/cdev.h>
      #include <linux/module.h>
      MODULE_LICENSE("GPL");
      struct demo_ipc;
      struct demo_ipc *demo_ipc_get(void);
      void demo_ipc_put(struct demo_ipc *ipc);
      static struct demo_ipc *ipc;

      static int util_open(struct inode *inode, struct file *file)
      {
      \tipc = demo_ipc_get();
      \treturn ipc ? 0 : -ENODEV;
      }

      static int util_release(struct inode *inode, struct file *file)
      {
      \tdemo_ipc_put(ipc);
      \treturn 0;
      }

      static const struct file_operations util_fops = {
      \t.open = util_open,
      \t.release = util_release,
      };

      int util_init(void)
      {
      \treturn register_chrdev(0, "demo_util", &util_fops);
      }
      """
    let root = try Self.tree(for: code)
    defer { try? FileManager.default.removeItem(atPath: root) }
    try """
    #include <linux/module.h>
    struct demo_ipc { struct module *owner; };
    static struct demo_ipc *provider;

    struct demo_ipc *demo_ipc_get(void)
    {
    \tif (!provider || !try_module_get(provider->owner))
    \t\treturn 0;
    \treturn provider;
    }

    void demo_ipc_put(struct demo_ipc *ipc)
    {
    \tmodule_put(ipc->owner);
    }
    """.write(toFile: root + "/drivers/example/ipc.c", atomically: true, encoding: .utf8)
    try "obj-$(CONFIG_DEMO_DRIVERS) += example.o ipc.o\n".write(
      toFile: root + "/drivers/example/Makefile", atomically: true, encoding: .utf8)
    for exhaustive in [false, true] {
      let run = try await Self.check(root, exhaustive: exhaustive)
      let owner = run.analysis.findings.filter { $0.ruleID == "fops-missing-owner" }
      #expect(owner.map(\.severity) == [.error], "exhaustive: \(exhaustive)")
      #expect(run.check.files.contains { $0.path == "drivers/example/ipc.c" })
    }
  }

  /// Static tables of one name in two files are two findings, not one that hides the other.
  @Test func sameNamedStaticTablesInTwoFilesAreBothReported() async throws {
    let code = """
      #include <linux/miscdevice.h>
      MODULE_LICENSE("GPL");

      static long demo_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
      {
      \treturn 0;
      }

      static const struct file_operations demo_fops = {
      \t.unlocked_ioctl = demo_ioctl,
      };

      static struct miscdevice demo_dev = {
      \t.minor = MISC_DYNAMIC_MINOR, .name = "demo", .fops = &demo_fops,
      };

      int demo_init(void)
      {
      \treturn misc_register(&demo_dev);
      }
      """
    let root = try Self.tree(for: code)
    defer { try? FileManager.default.removeItem(atPath: root) }
    try code.write(
      toFile: root + "/drivers/example/other.c", atomically: true, encoding: .utf8)
    try "obj-$(CONFIG_DEMO_DRIVERS) += example.o other.o\n".write(
      toFile: root + "/drivers/example/Makefile", atomically: true, encoding: .utf8)
    var request = Pipeline.Request(
      options: CheckOptions(paths: [root], jobs: 1, cacheBase: Self.cache))
    request.useMemo = false
    let run = try await Pipeline.check(request)
    let paths = run.analysis.findings.filter { $0.ruleID == "fops-missing-owner" }
      .map(\.location.path)
    #expect(paths == ["drivers/example/example.c", "drivers/example/other.c"])
  }

  /// Macros that make a debugfs table by pasting through nested macros and register it
  /// (`net/mac80211`'s `IEEE80211_IF_FILE`, `wcn36xx`'s `ADD_FILE`).
  static let tableMacros = """
    #define DEMO_OPS(name, _read) \\
    static const struct file_operations name##_ops = { \\
    \t.read = (_read), \\
    \t.open = simple_open, \\
    }
    #define DEMO_FILE_FMT_u(name) DEMO_OPS(name, demo_read_##name)
    #define DEMO_FILE(name, format) DEMO_FILE_FMT_##format(name)
    #define DEMO_ADD(name, parent) \\
    \tdebugfs_create_file(#name, 0400, parent, NULL, &name##_ops)
    """

  /// A table a macro of the file's own makes, named by token pasting through nested macros, and
  /// registered by another of its macros (`net/mac80211/debugfs_netdev.c`'s `IEEE80211_IF_FILE`,
  /// `wcn36xx/debug.c`'s `ADD_FILE`): tier 1 cannot expand it, so the file is parsed, and the
  /// two-tier run reports what `--exhaustive` does (on linux-6.12 it missed 385 such warnings).
  @Test func aFileWhoseOwnMacrosMakeTablesIsParsed() async throws {
    let code = """
      #include <linux/debugfs.h>
      #include <linux/module.h>
      MODULE_LICENSE("GPL");

      static ssize_t demo_read_level(struct file *file, char *buf, size_t len, loff_t *ppos)
      {
      \treturn 0;
      }

      \(Self.tableMacros)
      DEMO_FILE(level, u);

      void demo_add(struct dentry *parent)
      {
      \tDEMO_ADD(level, parent);
      }
      """
    let root = try Self.tree(for: code)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let twoTier = try await Self.check(root, exhaustive: false)
    let exhaustive = try await Self.check(root, exhaustive: true)
    #expect(twoTier.check.coverage.parseErrors == 0)
    #expect(twoTier.check.coverage.unitsParsed == 1)
    let owners = twoTier.analysis.findings.filter { $0.ruleID == "fops-missing-owner" }
    #expect(owners.map(\.location.path) == ["drivers/example/example.c"])
    #expect(twoTier.analysis.findings == exhaustive.analysis.findings)
  }

  /// A driver that makes and registers a debugfs table with the macros of
  /// `../examplecore/demo.h` (`tableMacros`, in a folder of its own).
  static let otherDirectoryMacroUser = """
    #include <linux/debugfs.h>
    #include <linux/module.h>
    #include "../examplecore/demo.h"
    MODULE_LICENSE("GPL");

    static ssize_t demo_read_level(struct file *file, char *buf, size_t len, loff_t *ppos)
    {
    \treturn 0;
    }
    DEMO_FILE(level, u);
    const struct file_operations demo_fops = { .owner = THIS_MODULE, .read = demo_read_level };

    void demo_add(struct dentry *parent)
    {
    \tDEMO_ADD(level, parent);
    }
    """

  /// The same macros in a header of another directory, included by a quoted relative path
  /// (`wl18xx/debugfs.c` and `"../wlcore/debugfs.h"`): tier 1 reads only the shared headers
  /// and those next to a file, so a file that names such a header's table-making macro is
  /// parsed; one that includes the header without naming them is not.
  @Test func aFileNamingTableMacrosOfAnotherDirectorysHeaderIsParsed() async throws {
    let user = Self.otherDirectoryMacroUser
    let bystander = """
      #include <linux/module.h>
      #include "../examplecore/demo.h"
      MODULE_LICENSE("GPL");

      static ssize_t demo_read(struct file *file, char *buf, size_t len, loff_t *ppos)
      {
      \treturn 0;
      }
      const struct file_operations demo_fops = { .owner = THIS_MODULE, .read = demo_read };
      """
    for (code, parsed) in [(user, 1), (bystander, 0)] {
      let root = try Self.tree(for: code)
      defer { try? FileManager.default.removeItem(atPath: root) }
      try FileManager.default.createDirectory(
        atPath: root + "/drivers/examplecore", withIntermediateDirectories: true)
      try Self.tableMacros.write(
        toFile: root + "/drivers/examplecore/demo.h", atomically: true, encoding: .utf8)
      let twoTier = try await Self.check(root, exhaustive: false)
      let exhaustive = try await Self.check(root, exhaustive: true)
      #expect(twoTier.check.coverage.parseErrors == 0)
      #expect(twoTier.check.coverage.unitsParsed == parsed)
      #expect(twoTier.analysis.findings == exhaustive.analysis.findings)
      let owners = twoTier.analysis.findings.filter { $0.ruleID == "fops-missing-owner" }
      #expect(owners.map(\.location.path) == (parsed == 1 ? ["drivers/example/example.c"] : []))
    }
  }
}
