import SeverCore

/// GitLab Code Quality JSON (`artifacts: reports: codequality:`), the Code Climate issue subset
/// GitLab reads: `description`, `check_name`, `fingerprint`, `severity`, `location.path`,
/// `location.lines.begin`.
///
/// The fingerprint must be unique per issue or GitLab merges them: it hashes the path, the
/// stable identity and the occurrence index among findings sharing that identity, so it
/// survives line shifts like the baseline does. Severity mapping:
///
/// | sever | confidence | GitLab |
/// | --- | --- | --- |
/// | error | high | critical |
/// | error | moderate, low | major |
/// | warning | high | major |
/// | warning | moderate, low | minor |
/// | note | any | info |
///
/// `blocker` is never used: sever cannot know a finding blocks anything.
public struct GitLabReporter: Reporter {
  public static let format = ReportFormat.gitlab

  /// Creates the reporter.
  public init() {}

  public func render(_ report: Report, options: ReporterOptions) throws(ReportersError) -> String {
    var issues: [Issue] = []
    let fingerprints = StableHash.fingerprints(report.findings)
    for (finding, fingerprint) in zip(report.findings, fingerprints) {
      let path = try GitHubReporter.relative(finding.location.path, root: report.root)
      issues.append(
        Issue(
          description: finding.message, check_name: finding.ruleID, fingerprint: fingerprint,
          severity: Self.severity(finding),
          location: Issue.Location(
            path: path, lines: Issue.Lines(begin: max(finding.location.line, 1)))))
    }
    return try JSONOutput.encode(issues, format: Self.format)
  }

  /// The Code Quality severity of a finding (see the table above).
  public static func severity(_ finding: Finding) -> String {
    switch (finding.severity, finding.confidence) {
    case (.error, .high): "critical"
    case (.error, _): "major"
    case (.warning, .high): "major"
    case (.warning, _): "minor"
    case (.note, _): "info"
    }
  }

  // Property names are GitLab's (snake_case), hence the underscores.
  struct Issue: Encodable {
    var type = "issue"
    var categories = ["Bug Risk"]
    var description: String
    // swift-format-ignore: AlwaysUseLowerCamelCase
    var check_name: String
    var fingerprint: String
    var severity: String
    var location: Location

    struct Location: Encodable {
      var path: String
      var lines: Lines
    }

    struct Lines: Encodable {
      var begin: Int
    }
  }
}
