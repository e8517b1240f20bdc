import SeverCore
import Testing

@testable import Scan

@Suite struct FileScannerTests {
  static let showAttribute = MacroTable.tableMaking(
    from: Lexer.lex(
      """
      #define DEFINE_SHOW_ATTRIBUTE(__name) \\
      static int __name ## _open(struct inode *inode, struct file *file) \\
      { return single_open(file, __name ## _show, inode->i_private); } \\
      static const struct file_operations __name ## _fops = { \\
        .owner = THIS_MODULE, .open = __name ## _open, .read = seq_read, \\
        .llseek = seq_lseek, .release = single_release, }
      #define DEFINE_WRAPPED(n) DEFINE_SHOW_ATTRIBUTE(n)
      #define NOT_A_TABLE(x) ((x) + 1)
      """
    ).macros)

  func scan(_ text: String, macros: MacroTable = MacroTable()) -> ScannedFile {
    FileScanner.scan(path: "f.c", bytes: Array(text.utf8), macros: macros)
  }

  @Test func designatedTableAndFunctions() {
    let file = scan(
      """
      static int foo_release(struct kernfs_open_file *of)
      {
        kfree(of->priv);
        return 0;
      }
      static const struct kernfs_ops foo_ops __maybe_unused = {
        .release = foo_release,
        .seq_show = &foo_show,
      #ifdef CONFIG_X
        .poll = foo_poll,
      #endif
      };
      int foo_init(void) { return kernfs_create_file(&foo_ops); }
      """)
    #expect(file.tables.count == 1)
    let table = file.tables[0]
    #expect(table.kind == .kernfsOps && table.name == "foo_ops" && table.isStatic)
    #expect(table.line == 6)
    #expect(table.fields.map(\.name) == ["release", "seq_show", "poll"])
    #expect(table.field("seq_show")?.handler == "foo_show")
    #expect(table.field("poll")?.isConditional == true)
    #expect(table.field("release")?.isConditional == false)
    #expect(!table.isOpaque)
    #expect(file.functions.map(\.name) == ["foo_release", "foo_init"])
    #expect(file.functions[0].spells("kfree") && file.functions[0].spells("priv"))
    #expect(!file.functions[1].isStatic)
    #expect(file.spells("foo_ops"))
  }

  @Test func arraysGiveOneTablePerElement() {
    let file = scan(
      """
      static struct cftype files[] = {
        { .name = "a", .seq_show = a_show, },
        { .name = "b", .write = b_write, },
        { }	/* terminate */
      };
      """)
    #expect(file.tables.map(\.index) == [0, 1, 2])
    #expect(file.tables[1].field("write")?.handler == "b_write")
  }

  @Test func positionalValuesMakeATableOpaque() {
    let file = scan("struct file_operations f = { THIS_MODULE, foo_read };")
    #expect(file.tables.first?.isOpaque == true)
  }

  @Test func tableMakingMacrosAreExpandedWithPasting() {
    let file = scan(
      """
      DEFINE_SHOW_ATTRIBUTE(state)
      DEFINE_WRAPPED(other);
      static int later(void) { return NOT_A_TABLE(1); }
      """, macros: Self.showAttribute)
    #expect(file.tables.map(\.name) == ["state_fops", "other_fops"])
    #expect(file.tables.map(\.macro) == ["DEFINE_SHOW_ATTRIBUTE", "DEFINE_WRAPPED"])
    #expect(file.tables[0].field("open")?.handler == "state_open")
    #expect(file.tables[0].field("owner")?.handler == "THIS_MODULE")
    #expect(file.functions.map(\.name) == ["state_open", "other_open", "later"])
    #expect(file.tables[0].line == 1 && file.tables[1].line == 2)
  }

  @Test func aFileOwnMacroShadowsTheTreeOnes() {
    let file = scan(
      """
      #define DEFINE_SHOW_ATTRIBUTE(n) static const struct proc_ops n ## _pops = { .proc_open = n };
      DEFINE_SHOW_ATTRIBUTE(x)
      """, macros: Self.showAttribute)
    #expect(file.tables.map(\.kind) == [.procOps])
  }

  @Test func functionNamesSkipAttributesAndMacroCallsBefore() {
    let file = scan(
      """
      module_init(foo_init)
      static void __exit foo_exit(void) __releases(&lock)
      {
        foo_ops.open(NULL);
        ops->seq_show(m, v);
      }
      """)
    #expect(file.functions.map(\.name) == ["foo_exit"])
    #expect(file.functions[0].memberCalls == ["open", "seq_show"])
  }

  @Test func nonTableInitializersAreDataReferences() {
    let file = scan(
      """
      static const struct { const char *name; const void *fops; } files[] = {
        { "flags", &flags_fops },
      };
      """)
    #expect(file.tables.isEmpty)
    #expect(file.dataReferences.contains("flags_fops"))
  }

  @Test func malformedInputEnds() {
    for text in [
      "struct kernfs_ops x = {", "static int f(void) {", "DEFINE_SHOW_ATTRIBUTE(",
      "}}}}", "struct file_operations = { .open = };", "= { . };",
      String(repeating: "{", count: 10_000),
    ] {
      _ = scan(text, macros: Self.showAttribute)
    }
  }

  @Test func recursiveMacrosStop() {
    let macros = MacroTable.tableMaking(
      from: Lexer.lex("#define LOOP(x) LOOP(x) static struct kernfs_ops x = { };").macros)
    let file = scan("LOOP(a)", macros: macros)
    #expect(file.tables.count <= FileScanner.maximumExpansionDepth)
  }

  @Test func aFileWhoseOwnMacrosMakeTablesOrFilesSaysSo() {
    // A table named by pasting through nested macros tier 1 does not expand, and a
    // registration a macro makes: the file must be parsed.
    let pasted = scan(
      """
      #define OPS(name) static const struct file_operations name##_ops = { .read = r }
      #define FILE_FMT_u(name) OPS(name)
      #define FILE(name, format) FILE_FMT_##format(name)
      FILE(level, u);
      """)
    #expect(pasted.ownMacrosMakeTables)
    let registering = scan(
      """
      #define ADD_FILE(name, mode, parent, data, fops) \\
      \tdebugfs_create_file(#name, mode, parent, data, fops)
      """)
    #expect(registering.ownMacrosMakeTables)
    // Attribute macros, object-like macros and files without macros do not.
    #expect(
      !scan("#define DEMO_ATTR(n) static struct device_attribute n = { }").ownMacrosMakeTables)
    #expect(!scan("#define FOPS file_operations\nstatic int x;").ownMacrosMakeTables)
    #expect(!scan("static const struct file_operations f = { .read = r };").ownMacrosMakeTables)
  }

  @Test func quotedIncludesOutOfTheDirectoryAreKept() {
    let file = scan(
      """
      #include <linux/module.h>
      #include "local.h"
      #include "../core/debugfs.h"
      # include "sub/dir.h"
      #define NAME "not/an/include.h"
      static int x;
      """)
    #expect(file.otherDirectoryIncludes == ["../core/debugfs.h", "sub/dir.h"])
    #expect(Lexer.lex("#include \"a.h\"\n#include <b/c.h>\n").quotedIncludes == ["a.h"])
  }
}
