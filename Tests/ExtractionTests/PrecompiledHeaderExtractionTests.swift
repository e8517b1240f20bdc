import Foundation
import SeverCore
import SeverTestSupport
import Testing

@testable import Extraction

/// A unit parsed over a precompiled header (issue 18) gives the facts of a plain parse, even
/// where they come from the header: a table made by a macro that invokes another macro of the
/// header (found through `PrecompiledMacros`), a `static inline` helper of the header the unit
/// calls (found through the call, not the unit's declarations).
@Suite struct PrecompiledHeaderExtractionTests {
  let arguments = ["-std=gnu11", "-I", FixturePaths.include, "-ferror-limit=0", "-w"]

  /// A unit in a fresh folder, and the folder.
  func unit(_ text: String) throws -> (path: String, folder: String) {
    let folder = FixturePaths.temporary("pch-unit")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/demo_attr.c"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return (path, folder)
  }

  /// Precompiles `#include <…>` of the anchors into the folder; returns the `.pch` and the
  /// files read.
  func precompile(_ anchors: [String], in folder: String) throws -> (String, [String]) {
    let header = folder + "/anchor.h"
    try anchors.map { "#include <\($0)>\n" }.joined().write(
      toFile: header, atomically: true, encoding: .utf8)
    let output = folder + "/anchor.pch"
    let read = try FactExtractor.precompile(
      header: header, arguments: arguments, root: folder, output: output)
    return (output, read)
  }

  static let source = """
    #include <linux/debugfs.h>
    #include <linux/err.h>
    #include <linux/slab.h>

    static inline int demo_helper(void *data)
    {
    \treturn data != NULL;
    }

    static int demo_get(void *data, u64 *val)
    {
    \t*val = demo_helper(data);
    \treturn 0;
    }
    DEFINE_SIMPLE_ATTRIBUTE(demo_attr_fops, demo_get, NULL, "%llu\\n");

    static int demo_release(struct inode *inode, struct file *file)
    {
    \tif (IS_ERR(file->private_data))
    \t\treturn PTR_ERR(file->private_data);
    \tkfree(file->private_data);
    \treturn 0;
    }
    """

  @Test func factsOverAPrecompiledHeaderAreThoseOfAPlainParse() throws {
    let (path, folder) = try unit(Self.source)
    let (pch, read) = try precompile(["linux/debugfs.h", "linux/err.h"], in: folder)
    #expect(read.contains(FixturePaths.include + "/linux/fs.h"))
    #expect(FileManager.default.fileExists(atPath: PrecompiledHeaderFiles.macros(of: pch)))

    let plain = try FactExtractor.extractWithDependencies(
      path: path, arguments: arguments, root: folder)
    let over = try FactExtractor.extractWithDependencies(
      path: path, arguments: arguments, root: folder, precompiledHeader: pch)
    #expect(!plain.precompiled)
    #expect(over.precompiled)
    #expect(over.facts == plain.facts)
    // The table's fields come from the macro the named macro invokes, which only the
    // precompiled header defines.
    let table = try #require(over.facts.first?.tables.first { $0.name == "demo_attr_fops" })
    #expect(table.field("owner")?.value == "THIS_MODULE")
    #expect(table.macro == "DEFINE_SIMPLE_ATTRIBUTE")
    // The `static inline` helpers of the precompiled header the unit calls are summarised.
    let helpers = Set(try #require(over.facts.first).functions.map(\.name))
    #expect(helpers.isSuperset(of: ["IS_ERR", "PTR_ERR"]))
    // What the unit read through the precompiled header is what the builder read.
    let anchorHeader = folder + "/anchor.h"
    #expect(
      Set(over.dependencies + read.filter { $0 != anchorHeader }) == Set(plain.dependencies))
  }

  @Test func anUnusablePrecompiledHeaderGivesAPlainParse() throws {
    let (path, folder) = try unit(Self.source)
    let plain = try FactExtractor.extractWithDependencies(
      path: path, arguments: arguments, root: folder)
    let bogus = folder + "/bogus.pch"
    try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: bogus))
    let over = try FactExtractor.extractWithDependencies(
      path: path, arguments: arguments, root: folder, precompiledHeader: bogus)
    #expect(!over.precompiled)
    #expect(over.facts == plain.facts)
    #expect(over.dependencies == plain.dependencies)

    // A header the precompiled header read, changed since: clang refuses it.
    let include = folder + "/include"
    try FileManager.default.copyItem(atPath: FixturePaths.include, toPath: include)
    let copied = ["-std=gnu11", "-I", include, "-ferror-limit=0", "-w"]
    let header = folder + "/anchor.h"
    try "#include <linux/debugfs.h>\n".write(toFile: header, atomically: true, encoding: .utf8)
    let pch = folder + "/anchor.pch"
    _ = try FactExtractor.precompile(header: header, arguments: copied, root: folder, output: pch)
    let fsHeader = include + "/linux/fs.h"
    try (String(contentsOfFile: fsHeader, encoding: .utf8) + "\nstruct demo_added;\n").write(
      toFile: fsHeader, atomically: true, encoding: .utf8)
    let stale = try FactExtractor.extractWithDependencies(
      path: path, arguments: copied, root: folder, precompiledHeader: pch)
    let stalePlain = try FactExtractor.extractWithDependencies(
      path: path, arguments: copied, root: folder)
    #expect(!stale.precompiled)
    #expect(stale.facts == stalePlain.facts)
  }

  @Test func aMessagePrefixDefinedFirstIsDefinedFirstInThePrecompiledHeader() throws {
    // A header that defaults `pr_fmt` and uses it in a helper, as `linux/printk.h` does.
    let folder = FixturePaths.temporary("pch-prfmt")
    try FileManager.default.createDirectory(
      atPath: folder + "/include/demo", withIntermediateDirectories: true)
    try """
    #ifndef DEMO_PRINTK_H
    #define DEMO_PRINTK_H
    const char *demo_prefixed(const char *text);
    #ifndef pr_fmt
    #define pr_fmt(fmt) fmt
    #endif
    void demo_printk(const char *text);
    static inline void demo_warn(void)
    {
    \tdemo_printk(pr_fmt("warned"));
    }
    #endif
    """.write(toFile: folder + "/include/demo/printk.h", atomically: true, encoding: .utf8)
    let prefix = "#define pr_fmt(fmt) demo_prefixed(fmt)"
    let path = folder + "/unit.c"
    try """
    \(prefix)
    #include <demo/printk.h>
    static int demo_release(void *data)
    {
    \tdemo_warn();
    \treturn 0;
    }
    """.write(toFile: path, atomically: true, encoding: .utf8)
    let args = ["-std=gnu11", "-I", folder + "/include", "-ferror-limit=0", "-w"]
    let header = folder + "/anchor.h"
    try (prefix + "\n#include <demo/printk.h>\n").write(
      toFile: header, atomically: true, encoding: .utf8)
    let pch = folder + "/anchor.pch"
    _ = try FactExtractor.precompile(header: header, arguments: args, root: folder, output: pch)

    let plain = try FactExtractor.extractWithDependencies(path: path, arguments: args, root: folder)
    let over = try FactExtractor.extractWithDependencies(
      path: path, arguments: args, root: folder, precompiledHeader: pch)
    #expect(over.precompiled)
    #expect(over.facts == plain.facts)
    let warn = try #require(plain.facts.first?.functions.first { $0.name == "demo_warn" })
    // The helper of the header calls what the unit's `pr_fmt` says, in both parses.
    #expect(warn.calls.map(\.callee).contains("demo_prefixed"))
  }

  @Test func aHeaderThatDoesNotParseIsNotPrecompiled() throws {
    let folder = FixturePaths.temporary("pch-broken")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let header = folder + "/anchor.h"
    try "#include <linux/no_such_header.h>\n".write(
      toFile: header, atomically: true, encoding: .utf8)
    #expect(throws: ExtractionError.self) {
      try FactExtractor.precompile(
        header: header, arguments: arguments, root: folder, output: folder + "/anchor.pch")
    }
    #expect(!FileManager.default.fileExists(atPath: folder + "/anchor.pch"))
  }
}
