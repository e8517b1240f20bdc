import SeverCore

/// b4's `am-perpatch-check-cmd` and `prep-perpatch-check-cmd` run a command with one patch on
/// standard input and read its output lines: those starting `ERROR:` count as failures, those
/// starting `WARNING:` as warnings (checkpatch's convention). One line per introduced finding.
public enum B4Renderer {
  /// The lines for every introduced finding, in series and location order; empty when clean.
  public static func render(_ outcome: ReviewOutcome) -> String {
    var lines: [String] = []
    for review in outcome.reviews {
      for finding in review.introduced {
        let level = finding.severity == .error ? "ERROR" : "WARNING"
        lines.append(
          "\(level): \(finding.location.path):\(finding.location.line): "
            + "\(ReplyText.oneLine(finding.message)) [\(finding.ruleID)]")
      }
    }
    return lines.map { $0 + "\n" }.joined()
  }
}
