/// Why a reporter or a sink could not produce its output. Each case reads as a sentence a user
/// can act on.
public enum ReportersError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A finding's path is absolute, but the format needs paths relative to the tree root.
  case absolutePath(String, format: ReportFormat)
  /// The report could not be encoded as JSON (a non-finite number or an encoder failure).
  case encodingFailed(format: ReportFormat, reason: String)
  /// The step summary file could not be written.
  case stepSummaryUnwritable(path: String, reason: String)
  /// A unified diff given for changed lines could not be read.
  case diffUnreadable(path: String, reason: String)

  public var description: String {
    switch self {
    case .absolutePath(let path, let format):
      "the \(format.rawValue) format needs paths relative to the tree root, but '\(path)' is "
        + "absolute; run sever from inside the tree or pass the tree root"
    case .encodingFailed(let format, let reason):
      "could not encode the \(format.rawValue) report: \(reason)"
    case .stepSummaryUnwritable(let path, let reason):
      "could not append the findings table to the GitHub step summary '\(path)': \(reason); "
        + "check that $GITHUB_STEP_SUMMARY names a writable file"
    case .diffUnreadable(let path, let reason):
      "could not read the diff '\(path)' for changed lines: \(reason)"
    }
  }
}
