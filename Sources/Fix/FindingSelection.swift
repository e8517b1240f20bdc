import SeverCore
import SeverSupport

/// Which findings `sever fix --finding ID` means. An id is what `sever check` already prints: the
/// finding's `fingerprint` in JSON output (`fops-missing-owner|acpi_aml_operations`, its stable
/// identity), or at least eight leading hex digits of the hash SARIF
/// (`partialFingerprints`) and GitLab (`fingerprint`) output give each finding.
public enum FindingSelection {
  /// The fewest hex digits of a hash that count as an id.
  public static let minimumHashLength = 8

  /// An id that names no finding of the run.
  public struct UnknownID: Error, Sendable, CustomStringConvertible {
    /// The id as given.
    public var id: String
    /// The nearest fingerprint, when one is close.
    public var suggestion: String?

    public var description: String {
      "no finding of this run has the id '\(id)'"
        + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        + " (`sever check --format json` prints each finding's fingerprint, which is its id)"
    }
  }

  /// The findings named by `ids`, in report order; all of them when `ids` is empty. `findings`
  /// are the report's, in its order (the hashes count repeats of an identity in that order).
  public static func select(_ ids: [String], from findings: [Finding]) throws(UnknownID)
    -> [Finding]
  {
    guard !ids.isEmpty else { return findings }
    let hashes = StableHash.fingerprints(findings)
    var chosen = Set<Int>()
    for id in ids {
      let matches = findings.indices.filter { index in
        findings[index].fingerprint == id
          || (id.count >= minimumHashLength && id.allSatisfy(\.isHexDigit)
            && hashes[index].hasPrefix(id.lowercased()))
      }
      guard !matches.isEmpty else {
        throw UnknownID(
          id: id, suggestion: Spelling.nearest(to: id, in: findings.map(\.fingerprint)))
      }
      chosen.formUnion(matches)
    }
    return chosen.sorted().map { findings[$0] }
  }
}
