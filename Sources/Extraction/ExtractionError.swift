/// Why a translation unit could not be produced at all. Per-file problems short of this are
/// `ToolDiagnostic`s inside the facts, not errors.
public enum ExtractionError: Error, Sendable, Equatable, Codable, CustomStringConvertible {
  /// The file does not exist or cannot be read.
  case unreadable(path: String)
  /// libclang returned no translation unit (`CXError_Failure`, `InvalidArguments`, `ASTReadError`).
  case parseFailed(path: String, code: Int)
  /// libclang crashed while parsing and recovered (`CXError_Crashed`).
  case crashed(path: String)
  /// A compilation database could not be used.
  case badCompilationDatabase(path: String, reason: String)
  /// Parsing did not finish within `--unit-timeout` seconds and was abandoned.
  case timedOut(path: String, seconds: Double)
  /// The worker process parsing the unit was killed by a signal (a crash).
  case childCrashed(path: String, signal: Int)
  /// The worker process could not be started or gave no usable answer.
  case childFailed(path: String, reason: String)
  /// A header could not be made into a precompiled header (units are parsed without one).
  case notPrecompiled(path: String, reason: String)

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
    case .timedOut(_, let seconds):
      "parsing took longer than \(Self.format(seconds)) s and was abandoned (--unit-timeout); "
        + "its facts are missing"
    case .childCrashed(_, let signal):
      "libclang crashed (signal \(signal)) while parsing; the worker process parsing it died "
        + "and the run went on without its facts"
    case .childFailed(_, let reason):
      "the worker process parsing this unit failed (\(reason)); its facts are missing"
    case .notPrecompiled(let path, let reason):
      "'\(path)' could not be precompiled (\(reason)); the units that include it are parsed "
        + "without a precompiled header"
    }
  }

  /// `120` rather than `120.0`, `0.5` as it is.
  private static func format(_ seconds: Double) -> String {
    seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(seconds)
  }
}
