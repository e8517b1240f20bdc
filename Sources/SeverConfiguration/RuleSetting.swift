import SeverCore

/// What `.sever.yml` says about one rule: on or off, and a severity replacing the default.
public struct RuleSetting: Sendable, Hashable {
  /// `false` turns the rule off; `nil` leaves the default (on).
  public var enabled: Bool?
  /// The severity every finding of the rule gets; `nil` keeps the rule's.
  public var severity: Severity?
  /// The line of the rule's key in the file, for errors found later (an unknown rule id).
  public var line: Int

  /// Creates a setting.
  public init(enabled: Bool? = nil, severity: Severity? = nil, line: Int = 0) {
    self.enabled = enabled
    self.severity = severity
    self.line = line
  }
}
