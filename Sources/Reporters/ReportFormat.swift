/// The output formats `sever check --format` accepts, each mapped to its reporter (Periphery's
/// `OutputFormat.formatter`).
public enum ReportFormat: String, CaseIterable, Sendable, Codable {
  /// gcc-style lines (`path:line:col: error: message [rule-id]`) with `note:` lines.
  case text
  /// sever's own versioned JSON (`formatVersion: 1`), documented in the README.
  case json
  /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
  case sarif
  /// GitHub Actions workflow commands (`::error file=…::…`), limited to what GitHub shows.
  case github
  /// GitLab Code Quality JSON.
  case gitlab

  /// The reporter that produces this format.
  public var reporter: any Reporter {
    switch self {
    case .text: TextReporter()
    case .json: JSONReporter()
    case .sarif: SARIFReporter()
    case .github: GitHubReporter()
    case .gitlab: GitLabReporter()
    }
  }

  /// The usual file extension of the output, for fixtures and `--output` defaults.
  public var fileExtension: String {
    switch self {
    case .text: "txt"
    case .json: "json"
    case .sarif: "sarif"
    case .github: "github"
    case .gitlab: "gitlab.json"
    }
  }
}
