/// A point in a source file: a path relative to the tree root (or as given for a lone file),
/// with 1-based line and column, as gcc, SARIF and editors expect.
public struct SourceLocation: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The file, relative to the tree root when there is one.
  public var path: String
  /// 1-based line.
  public var line: Int
  /// 1-based column (in bytes, as clang counts).
  public var column: Int

  /// Creates a location.
  public init(path: String, line: Int, column: Int) {
    self.path = path
    self.line = line
    self.column = column
  }

  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    (lhs.path, lhs.line, lhs.column) < (rhs.path, rhs.line, rhs.column)
  }

  /// `path:line:col`, the form every kernel tool prints.
  public var description: String { "\(path):\(line):\(column)" }
}

/// A half-open stretch of one file, such as a function body.
public struct SourceRange: Codable, Sendable, Hashable {
  /// Where the range starts.
  public var start: SourceLocation
  /// Where the range ends (the last character's position as clang reports it).
  public var end: SourceLocation

  /// Creates a range.
  public init(start: SourceLocation, end: SourceLocation) {
    self.start = start
    self.end = end
  }
}
