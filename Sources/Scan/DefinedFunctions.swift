/// The names of the functions a C file defines, read without lexing the file: the kernel's
/// coding style opens a function body with `{` alone at the start of a line, so each `\n{` is
/// traced back to the identifier before its parameter list (`static int foo(struct x *x)\n{`),
/// skipping annotations written between the `)` and the `{` (`__releases(&lock)`, `__init`).
///
/// It is how tier 1 finds the file that defines a helper in a file the text prefilter left out
/// (one that spells no table word, such as `drivers/gpu/drm/xe/xe_pm.c` for
/// `xe_pm_runtime_get`): a few memory scans per file, where lexing every such file would cost
/// more than the rest of the run. A name it misses (a body opened on the signature's line) only
/// keeps a helper unseen, as before; a name it finds wrongly is checked by tier 1's own scan of
/// the file before the file is used.
public enum DefinedFunctions {
  /// The names, in file order, without duplicates.
  public static func names(in bytes: UnsafeRawBufferPointer) -> [String] {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 1
    else { return [] }
    let text = UnsafeBufferPointer(start: base, count: bytes.count)
    var result: [String] = []
    var seen: Set<String> = []
    var index = 1
    while index < text.count {
      // memchr-like: the next `{` that starts a line.
      guard let brace = nextLineBrace(text, from: index) else { break }
      index = brace + 1
      if let name = functionName(before: brace, in: text), seen.insert(name).inserted {
        result.append(name)
      }
    }
    return result
  }

  /// The names in an array of bytes.
  public static func names(in bytes: [UInt8]) -> [String] {
    bytes.withUnsafeBytes { names(in: $0) }
  }

  /// Adds to `names` every identifier of `bytes` followed at once by `(`: the calls a file
  /// spells (and macro calls), by whole name.
  public static func calledNames(in bytes: UnsafeRawBufferPointer, into names: inout Set<String>) {
    var index = 0
    while index < bytes.count {
      guard isWordByte(bytes[index]) else {
        index += 1
        continue
      }
      let start = index
      while index < bytes.count, isWordByte(bytes[index]) { index += 1 }
      // A number (`0x1f(`) is no name: an identifier does not start with a digit.
      if index < bytes.count, bytes[index] == openParen, !(0x30...0x39).contains(bytes[start]) {
        names.insert(
          String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
      }
    }
  }

  private static let newline = UInt8(ascii: "\n")
  private static let openBrace = UInt8(ascii: "{")
  private static let openParen = UInt8(ascii: "(")
  private static let closeParen = UInt8(ascii: ")")

  private static func nextLineBrace(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    var index = start
    while index < text.count {
      if text[index] == openBrace, text[index - 1] == newline { return index }
      index += 1
    }
    return nil
  }

  /// Annotations that may stand between a function's `)` and its `{`.
  private static func isAnnotation(_ name: String) -> Bool {
    name.hasPrefix("__") || name == "noinline" || name == "notrace" || name == "asmlinkage"
  }

  private static func isWordByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
      || (byte >= 0x61 && byte <= 0x7A)
      || byte == 0x5F
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
  }

  /// The identifier before the parameter list that ends just before `brace`, or nil when what
  /// precedes the brace is not `name(…)` (a struct or an initializer opened at column 0).
  private static func functionName(before brace: Int, in text: UnsafeBufferPointer<UInt8>)
    -> String?
  {
    var index = brace - 1
    // A few annotations at most: `) __releases(x) __acquires(y)\n{`.
    for _ in 0..<4 {
      while index >= 0, isSpace(text[index]) { index -= 1 }
      // A bare annotation word (`__init` after the list is rare, but `__attribute__((x))` and
      // `__releases(x)` are parenthesised).
      if index >= 0, isWordByte(text[index]) {
        let end = index
        while index >= 0, isWordByte(text[index]) { index -= 1 }
        let word = String(
          decoding: UnsafeBufferPointer(rebasing: text[(index + 1)...end]), as: UTF8.self)
        guard isAnnotation(word) else { return nil }
        continue
      }
      guard index >= 0, text[index] == closeParen else { return nil }
      // Back to the matching `(`.
      var depth = 0
      while index >= 0 {
        if text[index] == closeParen { depth += 1 }
        if text[index] == openParen {
          depth -= 1
          if depth == 0 { break }
        }
        // A `;` or `}` before the match: not a parameter list.
        if depth > 0, text[index] == UInt8(ascii: ";") || text[index] == UInt8(ascii: "}") {
          return nil
        }
        index -= 1
      }
      guard index > 0 else { return nil }
      index -= 1
      while index >= 0, text[index] == 0x20 || text[index] == 0x09 { index -= 1 }
      let end = index
      while index >= 0, isWordByte(text[index]) { index -= 1 }
      guard end > index else { return nil }
      let name = String(
        decoding: UnsafeBufferPointer(rebasing: text[(index + 1)...end]), as: UTF8.self)
      guard let first = name.utf8.first, !(first >= 0x30 && first <= 0x39) else { return nil }
      if isAnnotation(name) { continue }
      // `if (x)\n{` in badly indented code, and macro calls: keywords are not functions.
      guard !["if", "for", "while", "switch", "return", "sizeof"].contains(name) else {
        return nil
      }
      return name
    }
    return nil
  }
}
