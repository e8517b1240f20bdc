import SeverCore
import SeverSupport

/// A finding hidden by an inline suppression, with the reason `--verbose` shows.
public struct SuppressedFinding: Codable, Sendable, Hashable {
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

/// A suppression comment that does not work, for the tool diagnostics.
public struct SuppressionProblem: Codable, Sendable, Hashable, Comparable {
  /// Where the comment is.
  public var location: SourceLocation
  /// What is wrong and how to fix it.
  public var message: String

  /// Creates a problem.
  public init(location: SourceLocation, message: String) {
    self.location = location
    self.message = message
  }

  /// The problem as a tool diagnostic.
  public var toolDiagnostic: ToolDiagnostic {
    ToolDiagnostic(
      kind: .invalidSuppression, path: location.path, message: message, location: location)
  }

  public static func < (lhs: SuppressionProblem, rhs: SuppressionProblem) -> Bool {
    (lhs.location, lhs.message) < (rhs.location, rhs.message)
  }
}

/// What applying inline suppressions left: the findings still reported, the hidden ones with
/// their reasons, and the comments that do not work.
public struct SuppressionResult: Sendable, Hashable {
  /// Findings still reported, in their original order.
  public var kept: [Finding]
  /// Findings hidden by a suppression with a reason.
  public var suppressed: [SuppressedFinding]
  /// Suppressions without a reason (they hid nothing) and suppressions naming no rule, one per
  /// comment and problem, sorted.
  public var problems: [SuppressionProblem]
}

/// Applies inline suppressions. The comments are facts of the files extraction read
/// (`FileFacts.suppressions`), so a suppression a patch adds in memory is honoured exactly like
/// one on disk; nothing here reads a source file.
public struct SuppressionFilter: Sendable {
  /// The suppressions of every file of the run, by path relative to the tree root.
  public var suppressions: [String: [Suppression]]
  /// The rule ids sever has; a suppression naming another is reported.
  public var knownRules: Set<String>

  /// Creates a filter.
  public init(suppressions: [String: [Suppression]], knownRules: Set<String>) {
    self.suppressions = suppressions
    self.knownRules = knownRules
  }

  /// Splits `findings` into kept and suppressed, and lists the comments that do not work.
  public func apply(to findings: [Finding]) -> SuppressionResult {
    var kept: [Finding] = []
    var suppressed: [SuppressedFinding] = []
    var problems = Set(unknownRules())
    for finding in findings {
      let matching = (suppressions[finding.location.path] ?? []).filter {
        $0.applies(toLine: finding.location.line) && $0.covers(finding.ruleID)
      }
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

  /// Suppressions that name a rule sever does not have: they can never hide anything, and are
  /// usually a typo or a renamed rule.
  func unknownRules() -> [SuppressionProblem] {
    var problems: [SuppressionProblem] = []
    for path in suppressions.keys.sorted() {
      for suppression in suppressions[path] ?? [] {
        for id in suppression.ruleIDs where !knownRules.contains(id) {
          problems.append(
            SuppressionProblem(
              location: suppression.location,
              message: "the suppression names '\(id)', which is no rule of sever, so it "
                + "suppresses nothing" + Spelling.suggestion(for: id, in: knownRules)))
        }
      }
    }
    return problems
  }
}
