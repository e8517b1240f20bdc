import Foundation
import SeverCore

/// The complete findings table for `$GITHUB_STEP_SUMMARY`, which has no annotation limit. The
/// Markdown is a pure function; `append` is the only file write any sink does.
public enum GitHubStepSummary {
  /// A Markdown section: a heading with the counts, a table of every finding (changed lines
  /// marked), the tool diagnostics and the coverage line.
  public static func markdown(_ report: Report, options: ReporterOptions = ReporterOptions())
    -> String
  {
    var out = "## \(cell(TextReporter.summary(report)))\n\n"
    if !report.findings.isEmpty {
      out += "| Severity | Location | Rule | Message | Changed line |\n"
      out += "| --- | --- | --- | --- | --- |\n"
      for finding in GitHubReporter.ordered(report.findings, changed: options.changedLines) {
        let changed = options.changedLines.contains(
          path: finding.location.path, line: finding.location.line)
        var message = cell(finding.message)
        if let fix = finding.fix { message += "<br>fix: " + cell(fix) }
        out += "| \(finding.severity.rawValue) | \(cell(finding.location.description)) | "
        out += "\(cell(finding.ruleID)) | \(message) | \(changed ? "yes" : "") |\n"
      }
      out += "\n"
    }
    if !report.diagnostics.isEmpty {
      out += "### Tool diagnostics\n\n"
      for diagnostic in report.diagnostics {
        let place = diagnostic.location.map(\.description) ?? diagnostic.path
        out += "- \(cell(place)): \(cell(diagnostic.message)) (\(diagnostic.kind.rawValue))\n"
      }
      out += "\n"
    }
    if !report.coverage.isEmpty { out += cell(report.coverage) + "\n" }
    return out
  }

  /// Appends `markdown(report, options:)` to the step summary file at `path` (GitHub sets
  /// `$GITHUB_STEP_SUMMARY`; other steps may have written to it already, so it appends).
  public static func append(
    _ report: Report, options: ReporterOptions = ReporterOptions(), to path: String
  ) throws(ReportersError) {
    let data = Data(markdown(report, options: options).utf8)
    do {
      if !FileManager.default.fileExists(atPath: path) {
        guard FileManager.default.createFile(atPath: path, contents: data) else {
          throw ReportersError.stepSummaryUnwritable(path: path, reason: "cannot create it")
        }
        return
      }
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
      defer { try? handle.close() }
      try handle.seekToEnd()
      try handle.write(contentsOf: data)
    } catch let error as ReportersError {
      throw error
    } catch {
      throw .stepSummaryUnwritable(path: path, reason: error.localizedDescription)
    }
  }

  /// Text safe inside a Markdown table cell: HTML-escaped (so a message cannot inject markup),
  /// `|` escaped, line breaks as `<br>`.
  static func cell(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "|": result += "\\|"
      case "\r\n", "\n", "\r": result += "<br>"
      default: result.append(character)
      }
    }
    return result
  }
}
