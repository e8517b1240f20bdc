/// The headers a C file includes before anything else, read without lexing the file.
///
/// A precompiled header may stand in for a header only if including it first means what the
/// file means: nothing of the file's own may come before it but what the precompiled header
/// repeats. So reading stops at the first line that is not `#include <…>` (comments and blank
/// lines aside): a `#define CREATE_TRACE_POINTS`, an `#ifdef`, code, or a `#include "…"` (a
/// header of the file's own may define what the kernel's headers test). The one exception is
/// the kernel's message prefix, `#define pr_fmt(fmt) …` (or `dev_fmt`) before the first
/// include: its text is kept, for the precompiled header to define it first too.
public enum LeadingIncludes {
  /// What a file starts with.
  public struct Leading: Sendable, Equatable {
    /// The `#define pr_fmt(…)`/`dev_fmt(…)` lines before the first include, as written.
    public var formatDefines: [String] = []
    /// The headers of the leading `#include <…>` lines, in file order (`linux/module.h`).
    public var headers: [String] = []

    /// A leading part.
    public init(formatDefines: [String] = [], headers: [String] = []) {
      self.formatDefines = formatDefines
      self.headers = headers
    }
  }

  /// The macros whose definition may come before the includes: kernel headers define them
  /// only when the file has not (`#ifndef pr_fmt`).
  public static let formatMacros = ["pr_fmt", "dev_fmt"]

  /// What an array of bytes starts with.
  public static func scan(_ bytes: [UInt8]) -> Leading {
    bytes.withUnsafeBytes { scan($0) }
  }

  /// What a file starts with: its format defines, then its leading includes.
  public static func scan(_ bytes: UnsafeRawBufferPointer) -> Leading {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
      return Leading()
    }
    let text = UnsafeBufferPointer(start: base, count: bytes.count)
    var leading = Leading()
    var index = skipBlanksAndComments(text, from: 0)
    while index < text.count, text[index] == UInt8(ascii: "#"),
      let (define, end) = formatDefine(text, at: index)
    {
      leading.formatDefines.append(define)
      index = skipBlanksAndComments(text, from: end)
    }
    while true {
      guard index < text.count, text[index] == UInt8(ascii: "#"),
        let (header, end) = angleInclude(text, at: index + 1)
      else { break }
      leading.headers.append(header)
      // The rest of the line may hold only a comment.
      let next = skipSpacesAndComments(text, from: end)
      guard next >= text.count || text[next] == UInt8(ascii: "\n") else { break }
      index = skipBlanksAndComments(text, from: next)
    }
    // Defines without an include after them are the file's own code.
    if leading.headers.isEmpty { leading.formatDefines = [] }
    return leading
  }

  /// A `#define pr_fmt(…) …` line (its continuation lines included) at the `#` at `index`: its
  /// text and the index of its end, or nil for any other line or one whose comment runs on.
  private static func formatDefine(_ text: UnsafeBufferPointer<UInt8>, at index: Int)
    -> (String, Int)?
  {
    var i = skipSpaces(text, from: index + 1)
    let word = Array("define".utf8)
    guard i + word.count <= text.count, Array(text[i..<(i + word.count)]) == word else {
      return nil
    }
    i = skipSpaces(text, from: i + word.count)
    guard
      formatMacros.contains(where: { name in
        let bytes = Array((name + "(").utf8)
        return i + bytes.count <= text.count && Array(text[i..<(i + bytes.count)]) == bytes
      })
    else { return nil }
    var end = i
    while end < text.count {
      if text[end] == UInt8(ascii: "\n") {
        guard end > 0, text[end - 1] == UInt8(ascii: "\\") else { break }
      }
      end += 1
    }
    // A block comment that the line opens and does not close would swallow what follows.
    var inComment = false
    var j = index
    while j + 1 < end {
      if !inComment, text[j] == UInt8(ascii: "/"), text[j + 1] == UInt8(ascii: "*") {
        inComment = true
        j += 2
      } else if inComment, text[j] == UInt8(ascii: "*"), text[j + 1] == UInt8(ascii: "/") {
        inComment = false
        j += 2
      } else {
        j += 1
      }
    }
    guard !inComment else { return nil }
    return (String(decoding: text[index..<end], as: UTF8.self), end)
  }

  /// `include <name>` after the `#` at `index - 1` (spaces allowed around `include`): the name
  /// and the index after `>`, or nil for anything else (`#include_next`, `#include MACRO`).
  private static func angleInclude(_ text: UnsafeBufferPointer<UInt8>, at index: Int)
    -> (String, Int)?
  {
    var i = skipSpaces(text, from: index)
    let word = Array("include".utf8)
    guard i + word.count <= text.count, Array(text[i..<(i + word.count)]) == word else {
      return nil
    }
    i = skipSpaces(text, from: i + word.count)
    guard i < text.count, text[i] == UInt8(ascii: "<") else { return nil }
    let start = i + 1
    var end = start
    while end < text.count, text[end] != UInt8(ascii: ">"), text[end] != UInt8(ascii: "\n") {
      end += 1
    }
    guard end < text.count, text[end] == UInt8(ascii: ">"), end > start else { return nil }
    return (String(decoding: text[start..<end], as: UTF8.self), end + 1)
  }

  private static func skipSpaces(_ text: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
    var i = index
    while i < text.count, text[i] == UInt8(ascii: " ") || text[i] == UInt8(ascii: "\t") {
      i += 1
    }
    return i
  }

  /// Past spaces and comments on the same line (a block comment may run on to later lines).
  private static func skipSpacesAndComments(_ text: UnsafeBufferPointer<UInt8>, from index: Int)
    -> Int
  {
    var i = index
    while true {
      i = skipSpaces(text, from: i)
      guard let end = pastComment(text, at: i) else { return i }
      i = end
    }
  }

  /// Past whitespace, newlines and comments.
  private static func skipBlanksAndComments(_ text: UnsafeBufferPointer<UInt8>, from index: Int)
    -> Int
  {
    var i = index
    while i < text.count {
      switch text[i] {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
        i += 1
      default:
        guard let end = pastComment(text, at: i) else { return i }
        i = end
      }
    }
    return i
  }

  /// The index after a comment that starts at `index`, or nil when none does. A line comment
  /// ends before its newline; an unterminated block comment ends the text.
  private static func pastComment(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
    guard index + 1 < text.count, text[index] == UInt8(ascii: "/") else { return nil }
    if text[index + 1] == UInt8(ascii: "/") {
      var i = index + 2
      while i < text.count, text[i] != UInt8(ascii: "\n") { i += 1 }
      return i
    }
    guard text[index + 1] == UInt8(ascii: "*") else { return nil }
    var i = index + 2
    while i + 1 < text.count {
      if text[i] == UInt8(ascii: "*"), text[i + 1] == UInt8(ascii: "/") { return i + 2 }
      i += 1
    }
    return text.count
  }
}
