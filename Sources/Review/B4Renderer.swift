import SeverCore

/// b4's `am-perpatch-check-cmd` and `prep-perpatch-check-cmd` run a command with one patch on
/// standard input and read its output: b4 0.16 counts a standard-output line holding `ERROR:` as
/// a failure and any other as a warning, counts every line on standard error as a failure, and
/// shows "passed all checks" only when the command prints nothing and exits 0. So this format
/// prints one line per introduced finding on standard output (`ERROR:` for errors, `WARNING:`
/// for warnings, `CHECK:` for notes, checkpatch's words), one `WARNING:` line per file sever
/// could not parse, and nothing at all for a clean patch; the CLI keeps standard error for real
/// errors.
public enum B4Renderer {
  /// The lines for every introduced finding, in series and location order, then what could not
  /// be parsed; empty when clean.
  public static func render(_ outcome: ReviewOutcome) -> String {
    var lines: [String] = []
    for review in outcome.reviews {
      for finding in review.introduced {
        lines.append(
          "\(level(finding.severity)): \(finding.location.path):\(finding.location.line): "
            + "\(ReplyText.oneLine(finding.message)) [\(finding.ruleID)]")
      }
    }
    // A file sever could not parse is not a failure of the patch, but its findings may be
    // missing: b4 shows the line as a warning.
    for diagnostic in outcome.report.diagnostics
    where [.parseFailure, .unreadableInput].contains(diagnostic.kind) {
      lines.append(
        "WARNING: \(diagnostic.path): sever could not parse it, so findings in it may be "
          + "missing: \(ReplyText.oneLine(diagnostic.message))")
    }
    return lines.map { $0 + "\n" }.joined()
  }

  /// checkpatch's level words.
  static func level(_ severity: Severity) -> String {
    switch severity {
    case .error: "ERROR"
    case .warning: "WARNING"
    case .note: "CHECK"
    }
  }
}
