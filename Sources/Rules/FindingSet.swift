import SeverCore

/// Findings of one rule keyed by stable identity and file: a second finding with the same
/// identity in the same file (another cftype entry sharing the poll handler, another table
/// sharing the release) adds a note to the first instead of repeating it. Static tables and
/// handlers of the same name in two files are two findings.
struct FindingSet {
  private var byIdentity: [String: Finding] = [:]

  /// Adds `finding`, or, when its identity is already present, `note` to the one there.
  mutating func insert(_ finding: Finding, orNote note: @autoclosure () -> Finding.Note) {
    let key = Self.key(finding)
    if byIdentity[key] == nil {
      byIdentity[key] = finding
    } else {
      byIdentity[key]?.notes.append(note())
    }
  }

  /// The key a finding is kept under: its file and its identity.
  static func key(_ finding: Finding) -> String {
    finding.location.path + "\u{0}" + finding.fingerprint
  }

  /// The findings, sorted.
  var sorted: [Finding] { byIdentity.values.sorted() }
}
