import Testing

@testable import Scan

@Suite struct LexerTests {
  @Test func commentsStringsAndDirectivesAreNotTokens() {
    let lexed = Lexer.lex(
      """
      /* struct kernfs_ops x = { */
      // .release = nope,
      #include <linux/fs.h>
      #define NAME(a, b) a ## b
      #ifdef CONFIG_X
      static const char *s = "struct proc_ops";
      #endif
      """)
    #expect(
      lexed.tokens.map(\.text) == [
        "#ifdef", "static", "const", "char", "*", "s", "=", "\"struct proc_ops\"", ";", "#endif",
      ])
    #expect(lexed.macros.map(\.name) == ["NAME"])
    #expect(lexed.macros.first?.parameters == ["a", "b"])
    #expect(lexed.macros.first?.body.map(\.text) == ["a", "##", "b"])
  }

  @Test func objectLikeMacroWithParenthesisedBody() {
    let lexed = Lexer.lex("#define X (1 + 2)\n#define F(x) (x)\n")
    #expect(lexed.macros[0].parameters == nil)
    #expect(lexed.macros[1].parameters == ["x"])
  }

  @Test func linesCountContinuationsAndComments() {
    let lexed = Lexer.lex("a\n/* x\n y */ b\n#define M \\\n  1\nc")
    #expect(lexed.tokens.map(\.line) == [1, 3, 6])
  }

  @Test func unterminatedInputEnds() {
    for text in ["/* open", "\"open", "'x", "#define", "#define F(", "a ## ", "\\"] {
      _ = Lexer.lex(text)
    }
  }
}
