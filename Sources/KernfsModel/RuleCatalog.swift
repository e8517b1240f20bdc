import SeverCore

/// How the model treats each clause of the contract: which ones it can report with a trace,
/// which ones its own transitions obey by construction, and which it does not model.
public enum RuleCatalog {
  /// The model's relation to one clause.
  public enum Coverage: String, Codable, Sendable, Hashable, CaseIterable {
    /// A summary can break it, and `ModelChecker` reports a shortest trace.
    case detected
    /// The framework transitions obey it by construction; property tests check it.
    case enforced
    /// Outside the model's state (mmap, compile-time flags); the rules check it statically.
    case notModelled = "not-modelled"
  }

  /// The coverage of `rule`.
  public static func coverage(of rule: ContractRule) -> Coverage {
    switch rule {
    case .K2, .K4, .K6, .K8, .K9, .K10, .K13, .C2, .C3, .C4, .S3, .P2, .D1, .D2, .D3, .M1, .M3:
      .detected
    case .K1, .K3, .K5, .K7, .K11, .K12, .K18, .C1, .C5, .S1, .P1, .M2:
      .enforced
    case .K14, .K15, .K16, .K17, .S2, .P3:
      .notModelled
    }
  }

  /// The rules as an aligned text table (`rule  model  title`).
  public static func textTable() -> String {
    let width = Coverage.allCases.map(\.rawValue.count).max() ?? 0
    var lines = ["rule  " + "model".padded(to: width) + "  title"]
    for rule in ContractRule.allCases {
      lines.append(
        rule.rawValue.padded(to: 4) + "  " + coverage(of: rule).rawValue.padded(to: width)
          + "  " + rule.title)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The rules as a Markdown table.
  public static func markdownTable() -> String {
    var lines = ["| rule | model | title |", "| --- | --- | --- |"]
    for rule in ContractRule.allCases {
      lines.append("| \(rule.rawValue) | \(coverage(of: rule).rawValue) | \(rule.title) |")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

extension String {
  /// The string left-aligned in `width` columns.
  fileprivate func padded(to width: Int) -> String {
    self + String(repeating: " ", count: max(0, width - count))
  }
}
