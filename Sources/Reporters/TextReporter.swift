import SeverCore

/// gcc-style text, the form gcc, sparse, clang-tidy and Coccinelle print and that editors, `make`
/// logs and CI log scanners parse:
///
/// ```
/// fs/demo.c:42:3: error: poll_wait on a head freed in release [kernfs-poll-head-lifetime]
/// fs/demo.c:17:1: note: the table demo_files is defined here
/// fs/demo.c:42:3: note: fix: poll on kernfs_generic_poll's head
/// sever: 1 error, 0 warnings, 0 notes
/// sever: coverage: …
/// ```
///
/// By default a finding prints with the notes that locate its cause (at most three,
/// `TraceRendering.causalNotes`) and the fix; `--trace` (`ReporterOptions.trace`) adds every
/// note and the model's counterexample, each step at the line it is about
/// (`TraceRendering.stepLocations`). Colour only when asked (`--color`, or a TTY).
public struct TextReporter: Reporter {
  public static let format = ReportFormat.text

  /// Creates the reporter.
  public init() {}

  public func render(_ report: Report, options: ReporterOptions) -> String {
    let style = Style(enabled: options.colorize)
    var out = ""
    for finding in report.findings {
      out += style.line(
        finding.location, finding.severity, Self.oneLine(finding.message),
        rule: finding.ruleID)
      let notes = options.trace ? finding.notes : TraceRendering.causalNotes(finding.notes)
      for note in notes {
        out += style.line(note.location, .note, Self.oneLine(note.message))
      }
      if options.trace, let trace = finding.trace {
        let places = TraceRendering.stepLocations(of: finding)
        for (index, step) in trace.steps.enumerated() {
          let mirrors = step.mirrors.map { " (\($0))" } ?? ""
          let text =
            "trace \(index + 1)/\(trace.steps.count): \(step.event)\(mirrors) — \(step.state)"
          out += style.line(places[index], .note, Self.oneLine(text))
        }
        let summary = "trace: \(trace.summary) (violates \(trace.violated.rawValue))"
        out += style.line(finding.location, .note, Self.oneLine(summary))
      }
      if let fix = finding.fix {
        out += style.line(finding.location, .note, Self.oneLine("fix: \(fix)"))
      }
    }
    guard options.summary else { return out }
    out += Self.summary(report) + "\n"
    if !report.coverage.isEmpty { out += report.coverage + "\n" }
    return out
  }

  /// `sever: 2 errors, 1 warning, 0 notes` (or `sever: no findings`), what the baseline,
  /// suppressions and configuration hid, and the number of tool diagnostics when there are any.
  public static func summary(_ report: Report) -> String {
    var text: String
    if report.findings.isEmpty {
      text = "sever: no findings"
    } else {
      let counts = Severity.allCases.reversed().map { severity in
        counted(report.findings.filter { $0.severity == severity }.count, severity.rawValue)
      }
      text = "sever: " + counts.joined(separator: ", ")
    }
    if !report.hidden.isEmpty { text += "; " + report.hidden.description }
    if !report.diagnostics.isEmpty {
      text += "; " + counted(report.diagnostics.count, "tool diagnostic")
    }
    return text
  }

  /// The text on one line: a log line is one record for every parser of this format, so line
  /// breaks inside a message become spaces.
  static func oneLine(_ text: String) -> String {
    guard text.contains(where: \.isNewline) else { return text }
    var result = ""
    var pendingBreak = false
    for character in text {
      if character.isNewline {
        pendingBreak = true
      } else {
        if pendingBreak { result.append(" ") }
        pendingBreak = false
        result.append(character)
      }
    }
    return result
  }

  private static func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
  }
}

/// ANSI colours in gcc's scheme: bold locations, red errors, magenta warnings, cyan notes.
private struct Style {
  var enabled: Bool

  func line(
    _ location: SourceLocation, _ severity: Severity, _ message: String, rule: String? = nil
  ) -> String {
    let label = "\(severity.rawValue):"
    let rule = rule.map { " [\(paint($0, Self.ruleColor))]" } ?? ""
    return
      "\(paint("\(location):", Self.bold)) \(paint(label, color(severity))) \(message)\(rule)\n"
  }

  private func paint(_ text: String, _ code: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  private func color(_ severity: Severity) -> String {
    switch severity {
    case .error: "1;31"
    case .warning: "1;35"
    case .note: "1;36"
    }
  }

  private static let bold = "1"
  private static let ruleColor = "1;35"
}
