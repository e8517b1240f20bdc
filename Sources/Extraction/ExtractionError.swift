/// Why a translation unit could not be produced at all. Per-file problems short of this are
/// `ToolDiagnostic`s inside the facts, not errors.
public enum ExtractionError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file does not exist or cannot be read.
  case unreadable(path: String)
  /// libclang returned no translation unit (`CXError_Failure`, `InvalidArguments`, `ASTReadError`).
  case parseFailed(path: String, code: Int)
  /// libclang crashed while parsing and recovered (`CXError_Crashed`).
  case crashed(path: String)
  /// A compilation database could not be used.
  case badCompilationDatabase(path: String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let path):
      "cannot read '\(path)': check that the file exists and is readable"
    case .parseFailed(let path, let code):
      "libclang could not parse '\(path)' (error code \(code)); check the compile arguments"
    case .crashed(let path):
      "libclang crashed while parsing '\(path)'; the file was skipped"
    case .badCompilationDatabase(let path, let reason):
      "cannot use compilation database '\(path)': \(reason)"
    }
  }
}
