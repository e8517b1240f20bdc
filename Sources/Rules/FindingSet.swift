import SeverCore

/// Findings of one rule keyed by stable identity: a second finding with the same identity
/// (another cftype entry sharing the poll handler, another table sharing the release) adds a note
/// to the first instead of repeating it.
struct FindingSet {
  private var byIdentity: [String: Finding] = [:]

  /// Adds `finding`, or, when its identity is already present, `note` to the one there.
  mutating func insert(_ finding: Finding, orNote note: @autoclosure () -> Finding.Note) {
    if byIdentity[finding.fingerprint] == nil {
      byIdentity[finding.fingerprint] = finding
    } else {
      byIdentity[finding.fingerprint]?.notes.append(note())
    }
  }

  /// The findings, sorted.
  var sorted: [Finding] { byIdentity.values.sorted() }
}
