import Scan
import Testing

/// The leading `#include <…>` lines a precompiled header may stand in for.
@Suite struct LeadingIncludesTests {
  func headers(_ source: String) -> [String] {
    LeadingIncludes.scan(Array(source.utf8)).headers
  }

  @Test func theIncludesAfterTheLicenceCommentAreRead() {
    let source = """
      // SPDX-License-Identifier: GPL-2.0
      /*
       * drivers/misc/demo.c
       */

      #include <linux/module.h>
      #  include\t<linux/fs.h>   /* file_operations */
      #include <linux/slab.h> // kzalloc

      static int x;
      #include <linux/late.h>
      """
    #expect(headers(source) == ["linux/module.h", "linux/fs.h", "linux/slab.h"])
  }

  @Test func readingStopsAtTheFirstLineOfTheFilesOwn() {
    // A definition before the includes can change what the headers mean.
    #expect(headers("#define DEBUG\n#include <linux/fs.h>\n") == [])
    #expect(headers("#define CREATE_TRACE_POINTS\n#include <linux/fs.h>\n") == [])
    #expect(
      headers("#include <linux/kernel.h>\n#define DEBUG\n#include <linux/fs.h>\n") == [
        "linux/kernel.h"
      ])
    // The file's own header may define what the kernel's headers test.
    #expect(headers("#include \"demo.h\"\n#include <linux/fs.h>\n") == [])
    #expect(headers("#ifdef CONFIG_X\n#include <linux/fs.h>\n#endif\n") == [])
    #expect(headers("#include_next <linux/fs.h>\n") == [])
    #expect(headers("#include MACRO_HEADER\n#include <linux/fs.h>\n") == [])
    // Anything after the `>` but a comment ends the block after that include.
    #expect(
      headers("#include <linux/fs.h> int x;\n#include <linux/slab.h>\n") == ["linux/fs.h"])
  }

  @Test func aMessagePrefixBeforeTheIncludesIsKeptForThePrecompiledHeader() {
    let source = """
      // SPDX-License-Identifier: GPL-2.0
      #define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

      #define dev_fmt(fmt) "demo: " \\
      \tfmt /* the device prefix */
      #include <linux/module.h>
      #include <linux/fs.h>
      """
    let leading = LeadingIncludes.scan(Array(source.utf8))
    #expect(
      leading.formatDefines == [
        "#define pr_fmt(fmt) KBUILD_MODNAME \": \" fmt",
        "#define dev_fmt(fmt) \"demo: \" \\\n\tfmt /* the device prefix */",
      ])
    #expect(leading.headers == ["linux/module.h", "linux/fs.h"])
    // Only before the first include, only the format macros, only with an include after.
    #expect(
      LeadingIncludes.scan(Array("#include <linux/fs.h>\n#define pr_fmt(fmt) fmt\n".utf8))
        == LeadingIncludes.Leading(headers: ["linux/fs.h"]))
    #expect(LeadingIncludes.scan(Array("#define pr_fmt(fmt) fmt\nint x;\n".utf8)) == .init())
    #expect(
      LeadingIncludes.scan(Array("#define pr_fmt(fmt) fmt /* runs\non */\n#include <a.h>\n".utf8))
        == .init())
  }

  @Test func unfinishedTextIsNotAnInclude() {
    #expect(headers("") == [])
    #expect(headers("#include <linux/fs.h") == [])
    #expect(headers("#include <>\n") == [])
    #expect(headers("/* never closed\n#include <linux/fs.h>\n") == [])
    #expect(headers("#include <linux/fs.h>") == ["linux/fs.h"])
  }
}
