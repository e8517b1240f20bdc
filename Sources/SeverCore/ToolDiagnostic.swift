/// Something sever could not do, or did only in part, for one input: a parse error, a missing
/// header, a table whose type did not resolve. Tool diagnostics are coverage, never findings.
public struct ToolDiagnostic: Codable, Sendable, Hashable, Comparable {
  /// What kind of problem this is; stable so reports can count by kind.
  public enum Kind: String, Codable, Sendable, Hashable {
    /// clang reported an error while parsing.
    case parseError = "parse-error"
    /// clang could not produce a translation unit at all (a missing or unreadable file, a crash).
    case parseFailure = "parse-failure"
    /// A table's struct type could not be resolved (an incomplete type, an unknown macro).
    case unresolvedTable = "unresolved-table"
    /// The input is not C sever can read (binary data, not UTF-8).
    case unreadableInput = "unreadable-input"
    /// The Kbuild oracle could not answer whether files can be modules.
    case moduleCapability = "module-capability"
    /// A `sever: ignore[…]` comment that does not suppress anything (no reason given, or no
    /// such rule).
    case invalidSuppression = "invalid-suppression"
    /// sever itself failed (a behaviour summary the model rejects): the run is incomplete and
    /// exits with status 3.
    case internalError = "internal-error"
    /// The model could not finish exploring a summary within its state limit.
    case modelIncomplete = "model-incomplete"
    /// Extraction left part of a parsed file out on purpose (code nested deeper than it walks),
    /// so facts from that part are missing.
    case incompleteFacts = "incomplete-facts"
  }

  /// The kind.
  public var kind: Kind
  /// The file the problem concerns.
  public var path: String
  /// A sentence a user can act on.
  public var message: String
  /// Where in the file, when known.
  public var location: SourceLocation?

  /// Creates a tool diagnostic.
  public init(kind: Kind, path: String, message: String, location: SourceLocation? = nil) {
    self.kind = kind
    self.path = path
    self.message = message
    self.location = location
  }

  public static func < (lhs: ToolDiagnostic, rhs: ToolDiagnostic) -> Bool {
    let l = lhs.location ?? SourceLocation(path: lhs.path, line: 0, column: 0)
    let r = rhs.location ?? SourceLocation(path: rhs.path, line: 0, column: 0)
    return (l, lhs.message) < (r, rhs.message)
  }
}
