import SeverCore

/// Something that turns a `Report` into the text of one output format (Periphery's
/// `OutputFormatter`, SwiftLint's `Reporter`). Reporters are pure: values in, a string out; the
/// only file a sink writes (GitHub's step summary) is written by a separate function the CLI calls.
public protocol Reporter: Sendable {
  /// The format this reporter produces.
  static var format: ReportFormat { get }

  /// Renders the whole report.
  /// - parameter report: findings, rules, diagnostics and run metadata, with findings sorted.
  /// - parameter options: what the environment adds (a TTY, changed lines, limits).
  /// - returns: the complete output, ending with a newline when it is not empty.
  /// - throws: `ReportersError` when the report breaks a precondition of the format.
  func render(_ report: Report, options: ReporterOptions) throws(ReportersError) -> String
}
