import SeverCore

/// The gcc-style text of findings: `path:line:col: error: message [rule-id]`, then `note:` lines
/// for related locations and for each step of the model's trace.
public enum FindingText {
  /// Renders findings, one block each.
  public static func render(_ findings: [Finding]) -> String {
    var out = ""
    for finding in findings {
      out += "\(finding.location): \(finding.severity.rawValue): \(finding.message) "
        + "[\(finding.ruleID)]\n"
      for note in finding.notes {
        out += "\(note.location): note: \(note.message)\n"
      }
      if let trace = finding.trace {
        out += "\(finding.location): note: model trace, violates \(trace.violated.rawValue) "
          + "(\(trace.violated.title)):\n"
        for (number, step) in trace.steps.enumerated() {
          let mirrors = step.mirrors.map { " [\($0)]" } ?? ""
          out += "\(finding.location): note:   \(number + 1). \(step.event)\(mirrors): \(step.state)\n"
        }
      }
      if let fix = finding.fix { out += "\(finding.location): note: fix: \(fix)\n" }
    }
    return out
  }
}
