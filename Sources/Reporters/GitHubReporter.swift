import SeverCore

/// GitHub Actions annotations as workflow commands:
/// `::error file=fs/demo.c,line=42,col=3,title=…::message`.
///
/// GitHub shows at most 10 annotations per level per step and 50 per job, and drops the rest
/// silently. So findings on changed lines come first (`ReporterOptions.changedLines`), errors
/// before warnings before notices, and at most the limits are emitted; a plain log line says
/// how many were left out. The full list belongs in the step summary
/// (`GitHubStepSummary.append`). Paths must be relative to the repository root, where GitHub
/// looks for them: absolute paths under the report's root are made relative, others refused.
public struct GitHubReporter: Reporter {
  public static let format = ReportFormat.github

  /// Creates the reporter.
  public init() {}

  public func render(_ report: Report, options: ReporterOptions) throws(ReportersError) -> String {
    let names = Dictionary(report.rules.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    var out = ""
    var perLevel: [Severity: Int] = [:]
    var emitted = 0
    var omitted = 0
    for finding in Self.ordered(report.findings, changed: options.changedLines) {
      let level = finding.severity
      guard perLevel[level, default: 0] < options.annotationLimits.perLevel,
        emitted < options.annotationLimits.perJob
      else {
        omitted += 1
        continue
      }
      perLevel[level, default: 0] += 1
      emitted += 1
      let path = try Self.relative(finding.location.path, root: report.root)
      let title = names[finding.ruleID].map { "\($0) [\(finding.ruleID)]" } ?? finding.ruleID
      out += WorkflowCommand.line(
        Self.command(level),
        properties: [
          ("file", path), ("line", String(max(finding.location.line, 1))),
          ("col", String(max(finding.location.column, 1))), ("title", title),
        ],
        message: Self.message(finding, trace: options.trace))
    }
    if omitted > 0 {
      out +=
        "sever: \(omitted) more finding\(omitted == 1 ? " was" : "s were") not annotated "
        + "(GitHub shows \(options.annotationLimits.perLevel) annotations per level per step and "
        + "\(options.annotationLimits.perJob) per job); the step summary lists every finding\n"
    }
    for diagnostic in report.diagnostics {
      let place = diagnostic.location.map(\.description) ?? diagnostic.path
      out +=
        "sever: tool diagnostic: \(place): \(TextReporter.oneLine(diagnostic.message))"
        + " [\(diagnostic.kind.rawValue)]\n"
    }
    out += TextReporter.summary(report) + "\n"
    return out
  }

  /// Findings on changed lines first, then by severity (errors first), then in report order.
  static func ordered(_ findings: [Finding], changed: ChangedLines) -> [Finding] {
    findings.enumerated().sorted { lhs, rhs in
      let l = changed.contains(path: lhs.element.location.path, line: lhs.element.location.line)
      let r = changed.contains(path: rhs.element.location.path, line: rhs.element.location.line)
      if l != r { return l }
      if lhs.element.severity != rhs.element.severity {
        return lhs.element.severity > rhs.element.severity
      }
      return lhs.offset < rhs.offset
    }.map(\.element)
  }

  /// The annotation text: the message, then the notes that locate the cause (every note and
  /// the trace with `--trace`) and the fix on their own lines
  /// (GitHub shows line breaks in annotation messages).
  static func message(_ finding: Finding, trace: Bool) -> String {
    var lines = [finding.message]
    let notes = trace ? finding.notes : TraceRendering.causalNotes(finding.notes)
    for note in notes { lines.append("note: \(note.location): \(note.message)") }
    if trace, let steps = finding.trace {
      for (index, step) in steps.steps.enumerated() {
        let mirrors = step.mirrors.map { " (\($0))" } ?? ""
        lines.append(
          "trace \(index + 1)/\(steps.steps.count): \(step.event)\(mirrors) — \(step.state)")
      }
      lines.append("trace: \(steps.summary) (violates \(steps.violated.rawValue))")
    }
    if let fix = finding.fix { lines.append("fix: \(fix)") }
    return lines.joined(separator: "\n")
  }

  static func command(_ severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .note: "notice"
    }
  }

  static func relative(_ path: String, root: String) throws(ReportersError) -> String {
    guard path.hasPrefix("/") else { return path }
    let prefix = root.hasSuffix("/") ? root : root + "/"
    guard path.hasPrefix(prefix) else { throw .absolutePath(path, format: format) }
    return String(path.dropFirst(prefix.count))
  }
}
