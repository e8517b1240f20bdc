import Reporters

/// The output formats of `sever review`: a mail reply, b4's check lines, or any `check` format
/// for the findings the series introduces.
public enum ReviewFormat: String, CaseIterable, Sendable {
  /// A plain-text reply to each patch mail, quoting the lines, as an mbox.
  case review
  /// One `ERROR:`/`WARNING:` line per finding, for b4's per-patch check commands.
  case b4
  /// gcc-style lines, as `sever check` prints them.
  case text
  /// sever's JSON.
  case json
  /// SARIF 2.1.0.
  case sarif
  /// GitHub workflow commands.
  case github
  /// GitLab Code Quality JSON.
  case gitlab

  /// The `check` format this maps to, for the formats the existing reporters render.
  public var reportFormat: ReportFormat? {
    switch self {
    case .review, .b4: nil
    case .text: .text
    case .json: .json
    case .sarif: .sarif
    case .github: .github
    case .gitlab: .gitlab
    }
  }
}
