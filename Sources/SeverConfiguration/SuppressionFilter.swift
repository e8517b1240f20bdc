import Foundation
import SeverCore

/// A finding hidden by an inline suppression, with the reason `--verbose` shows.
public struct SuppressedFinding: Sendable, Hashable {
  /// The finding.
  public var finding: Finding
  /// The suppression's reason.
  public var reason: String
  /// Where the suppression comment is.
  public var suppression: SourceLocation

  /// Creates a suppressed finding.
  public init(finding: Finding, reason: String, suppression: SourceLocation) {
    self.finding = finding
    self.reason = reason
    self.suppression = suppression
  }
}

/// A suppression comment that did not work, for the tool diagnostics.
public struct SuppressionProblem: Sendable, Hashable, Comparable {
  /// Where the comment is.
  public var location: SourceLocation
  /// What is wrong and how to fix it.
  public var message: String

  /// Creates a problem.
  public init(location: SourceLocation, message: String) {
    self.location = location
    self.message = message
  }

  /// The problem as a tool diagnostic of the given kind.
  public func toolDiagnostic(kind: ToolDiagnostic.Kind) -> ToolDiagnostic {
    // ToolDiagnostic.Kind has no case for suppressions yet, so the caller picks one (the lead
    // is asked to add `invalidSuppression = "invalid-suppression"`).
    ToolDiagnostic(kind: kind, path: location.path, message: message, location: location)
  }

  public static func < (lhs: SuppressionProblem, rhs: SuppressionProblem) -> Bool {
    (lhs.location, lhs.message) < (rhs.location, rhs.message)
  }
}

/// What applying inline suppressions left: the findings still reported, the hidden ones with
/// their reasons, and the comments that did not work.
public struct SuppressionResult: Sendable, Hashable {
  /// Findings still reported, in their original order.
  public var kept: [Finding]
  /// Findings hidden by a suppression with a reason.
  public var suppressed: [SuppressedFinding]
  /// Suppressions without a reason (they hid nothing), one per comment, sorted.
  public var problems: [SuppressionProblem]
}

/// Applies inline suppressions by reading each finding's line and the line above from the
/// source. This is the only module code that reads C sources; it reads at most `maxBytes` of a
/// file (kernel sources are far smaller; a generated monster is not worth more), and a file it
/// cannot read simply has no suppressions.
public struct SuppressionFilter: Sendable {
  /// The tree root relative paths are resolved against.
  public var root: String
  /// The most bytes read from one file.
  public var maxBytes: Int

  /// Creates a filter.
  public init(root: String, maxBytes: Int = 8 << 20) {
    self.root = root
    self.maxBytes = maxBytes
  }

  /// Splits `findings` into kept and suppressed.
  public func apply(to findings: [Finding]) -> SuppressionResult {
    var cache: [String: [Substring]] = [:]
    var kept: [Finding] = []
    var suppressed: [SuppressedFinding] = []
    var problems: Set<SuppressionProblem> = []
    for finding in findings {
      let path = finding.location.path
      if cache[path] == nil { cache[path] = lines(of: path) }
      let lines = cache[path] ?? []
      var candidates: [Suppression] = []
      for number in [finding.location.line, finding.location.line - 1]
      where number >= 1 && number <= lines.count {
        candidates += Suppression.parse(line: String(lines[number - 1]), path: path, line: number)
      }
      let matching = candidates.filter { $0.covers(finding.ruleID) }
      if let used = matching.first(where: { $0.reason != nil }), let reason = used.reason {
        suppressed.append(
          SuppressedFinding(finding: finding, reason: reason, suppression: used.location))
        continue
      }
      for reasonless in matching {
        problems.insert(
          SuppressionProblem(
            location: reasonless.location,
            message:
              "the suppression of \(finding.ruleID) has no reason, so it suppresses nothing; "
              + "write `sever: ignore[\(finding.ruleID)] <why this is safe>`"))
      }
      kept.append(finding)
    }
    return SuppressionResult(kept: kept, suppressed: suppressed, problems: problems.sorted())
  }

  private func lines(of path: String) -> [Substring] {
    let full = path.hasPrefix("/") ? path : (root.hasSuffix("/") ? root : root + "/") + path
    guard let handle = FileHandle(forReadingAtPath: full) else { return [] }
    defer { try? handle.close() }
    guard let data = try? handle.read(upToCount: maxBytes) else { return [] }
    let text = String(decoding: data, as: UTF8.self)
    // "\r\n" is one Character; splitting the scalars finds the "\n" of CRLF line ends too.
    return text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
      .map(Substring.init)
  }
}
