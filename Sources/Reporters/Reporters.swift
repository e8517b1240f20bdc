import SeverCore

/// The entry point the CLI calls: render a report in a format.
public enum Reporters {
  /// Renders `report` in `format`.
  /// - parameter report: the report, findings sorted (the `Report` initializer sorts them).
  /// - parameter format: the output format.
  /// - parameter options: TTY, changed lines and limits; the defaults suit a plain run.
  /// - returns: the output to print to standard output.
  public static func render(
    _ report: Report, format: ReportFormat, options: ReporterOptions = ReporterOptions()
  ) throws(ReportersError) -> String {
    try format.reporter.render(report, options: options)
  }

  /// The tool diagnostics as gcc-style lines for standard error
  /// (`path:line:col: warning: message [sever-parse-error]`), one per diagnostic, sorted.
  ///
  /// Tool diagnostics are coverage, not findings, so the text reporter leaves them out of
  /// standard output; the CLI prints these lines to standard error (all of them with
  /// `--verbose`).
  public static func diagnosticLines(_ report: Report) -> String {
    report.diagnostics.map { diagnostic in
      let place = diagnostic.location.map(\.description) ?? diagnostic.path
      // A parse error in a header names the file whose parse it broke.
      let unit =
        diagnostic.location.map { $0.path != diagnostic.path } == true
        ? " (parsing \(diagnostic.path))" : ""
      // sever's own failure makes the run incomplete: an error, not a coverage warning.
      let level = diagnostic.kind == .internalError ? "error" : "warning"
      return "\(place): \(level): \(TextReporter.oneLine(diagnostic.message))\(unit)"
        + " [sever-\(diagnostic.kind.rawValue)]\n"
    }.joined()
  }
}
