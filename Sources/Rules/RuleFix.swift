import Scan
import SeverCore

/// One change to a file, in whole lines: the lines at `line` that `removing` holds (none for an
/// insertion) are replaced by `inserting`. Line-level edits are what a patch is made of; a fix
/// computes them from the facts (a field's location, a call's location, a body's extent) and
/// reads a line only to learn its indentation or to confirm what the facts say is there.
public struct LineEdit: Sendable, Hashable, Comparable {
  /// The file, relative to the tree root.
  public var path: String
  /// The first line replaced (1-based); for an insertion, the line the new lines go before.
  public var line: Int
  /// The lines replaced, as they were read: applying the edit checks that they are still there.
  public var removing: [String]
  /// The lines put in their place.
  public var inserting: [String]

  /// Creates an edit.
  public init(path: String, line: Int, removing: [String] = [], inserting: [String]) {
    self.path = path
    self.line = line
    self.removing = removing
    self.inserting = inserting
  }

  /// The lines the edit covers in the old file, as a half-open range of 1-based line numbers.
  public var range: Range<Int> { line..<(line + removing.count) }

  public static func < (lhs: LineEdit, rhs: LineEdit) -> Bool {
    (lhs.path, lhs.line, lhs.removing.count) < (rhs.path, rhs.line, rhs.removing.count)
  }
}

/// A mechanical fix of one finding: the edits, and what a commit message says about them.
public struct FixProposal: Sendable, Hashable {
  /// The edits, in any order; they never overlap.
  public var edits: [LineEdit]
  /// What the patch does, in the imperative, before its target: `set .owner in`. Fixes of one
  /// file with the same action share a subject (`set .owner in a_fops and b_fops`).
  public var action: String
  /// What it does it to: a table, a function.
  public var target: String
  /// What the patch changes and why that removes the bug, one or two sentences.
  public var change: String
  /// The lines whose history names the commit that introduced the bug (the table definition,
  /// the freeing call): `git blame` of them gives the `Fixes:` tag.
  public var introducedAt: [SourceLocation]

  /// Creates a proposal.
  public init(
    edits: [LineEdit], action: String, target: String, change: String,
    introducedAt: [SourceLocation]
  ) {
    self.edits = edits
    self.action = action
    self.target = target
    self.change = change
    self.introducedAt = introducedAt
  }
}

/// What a rule's fix says about one finding.
public enum FixOutcome: Sendable, Hashable {
  /// A patch a maintainer can take as it is.
  case fixed(FixProposal)
  /// No mechanical fix, with the reason (a sentence the user can act on).
  case left(String)
}

/// The sources a fix may read, one file at a time: its lines (to learn an indentation or to
/// confirm a statement ends on a line) and its tokens (tier 1's lexer, to see the braces and
/// directives around a fact). Reading is the caller's: rules stay free of I/O.
public final class FixSources: @unchecked Sendable {
  // Safe: used by one fix session at a time on one thread; the caches are never shared.
  private let read: (String) -> [UInt8]?
  private var lineCache: [String: [String]?] = [:]
  private var tokenCache: [String: LexedFile?] = [:]

  /// Sources read by `read` (a path relative to the tree root to its bytes; nil when it cannot
  /// be read).
  public init(read: @escaping (String) -> [UInt8]?) {
    self.read = read
  }

  /// The lines of a file, without their line ends.
  public func lines(of path: String) -> [String]? {
    if let known = lineCache[path] { return known }
    let lines = read(path).map { bytes in
      var lines = String(decoding: bytes, as: UTF8.self)
        .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      if lines.last == "" { lines.removeLast() }
      return lines
    }
    lineCache[path] = lines
    return lines
  }

  /// One line (1-based) of a file.
  public func line(_ number: Int, of path: String) -> String? {
    guard let lines = lines(of: path), number >= 1, number <= lines.count else { return nil }
    return lines[number - 1]
  }

  /// The file's tokens, with their lines, from tier 1's lexer.
  public func tokens(of path: String) -> LexedFile? {
    if let known = tokenCache[path] { return known }
    let lexed = read(path).map { Lexer.lex($0) }
    tokenCache[path] = lexed
    return lexed
  }
}

/// What a fix reads: the run's facts and analyses, and the sources.
public struct FixContext {
  /// The facts and per-function summaries of the run that found the finding.
  public var rules: RuleContext
  /// The files, as they are now.
  public var sources: FixSources

  /// Creates a context.
  public init(rules: RuleContext, sources: FixSources) {
    self.rules = rules
    self.sources = sources
  }
}

extension Rule {
  /// No mechanical fix unless a rule defines one: the rule's advice needs judgement.
  public static func fix(_ finding: Finding, in context: FixContext) -> FixOutcome {
    .left(
      "no mechanical fix: the change needs judgement (`sever explain \(description.id)` "
        + "describes it)")
  }
}

/// Helpers the rules' fixes share: reading indentation, confirming one-line statements.
enum FixText {
  /// The leading blanks of a line.
  static func indentation(_ line: String) -> String {
    String(line.prefix { $0 == " " || $0 == "\t" })
  }

  /// The column a character index reaches, with tabs every eight columns, as kernel code is read.
  static func displayColumn(of line: String, upTo index: String.Index) -> Int {
    var column = 0
    for character in line[..<index] {
      column = character == "\t" ? (column / 8 + 1) * 8 : column + 1
    }
    return column
  }

  /// The tokens of one line, in order.
  static func tokens(onLine line: Int, of lexed: LexedFile) -> [Token] {
    lexed.tokens.filter { $0.line == line }
  }

  /// Whether the statement starting with `first` at `line` ends on that line: the line's tokens
  /// start with `first`, the parentheses close, and the last token is `;`. A fix inserts after
  /// such a statement only.
  static func isOneLineStatement(
    startingWith first: String, line: Int, sources: FixSources, path: String
  ) -> Bool {
    guard let lexed = sources.tokens(of: path) else { return false }
    let tokens = tokens(onLine: line, of: lexed)
    guard tokens.first?.text == first, tokens.last?.text == ";" else { return false }
    var depth = 0
    for token in tokens {
      if token.text == "(" { depth += 1 }
      if token.text == ")" { depth -= 1 }
      if depth < 0 { return false }
    }
    return depth == 0
  }
}
