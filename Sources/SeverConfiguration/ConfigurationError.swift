import SeverSupport

/// Why a `.sever.yml` or a baseline could not be used. Each case reads as a sentence naming the
/// file (and the line, for YAML) so the user can go and fix it; the CLI exits with status 2.
public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be read.
  case unreadable(file: String, reason: String)
  /// The file is not valid YAML.
  case invalidYAML(file: String, line: Int, problem: String)
  /// A key sever does not know.
  case unknownKey(file: String, line: Int, key: String, section: String, allowed: [String])
  /// A value of the wrong YAML type (a list where a string belongs, …).
  case wrongType(file: String, line: Int, key: String, expected: String)
  /// A value of the right type but not an allowed one (`severity: fatal`, `jobs: 0`).
  case invalidValue(file: String, line: Int, key: String, value: String, expected: String)
  /// A `rules:` entry names a rule sever does not have.
  case unknownRule(file: String, line: Int, rule: String, known: [String])
  /// A baseline file could not be read or decoded.
  case invalidBaseline(file: String, reason: String)
  /// A baseline was written by a newer sever.
  case unsupportedBaselineVersion(file: String, version: Int, supported: Int)
  /// A baseline could not be written.
  case unwritableBaseline(file: String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let file, let reason):
      "\(file): cannot read the configuration: \(reason)"
    case .invalidYAML(let file, let line, let problem):
      "\(file):\(line): not valid YAML: \(problem)"
    case .unknownKey(let file, let line, let key, let section, let allowed):
      "\(file):\(line): unknown key '\(key)' in \(section); expected one of "
        + allowed.joined(separator: ", ")
    case .wrongType(let file, let line, let key, let expected):
      "\(file):\(line): '\(key)' must be \(expected)"
    case .invalidValue(let file, let line, let key, let value, let expected):
      "\(file):\(line): '\(key)' is '\(value)', but it must be \(expected)"
    case .unknownRule(let file, let line, let rule, let known):
      "\(file):\(line): no rule is called '\(rule)'" + Spelling.suggestion(for: rule, in: known)
        + "; `sever rules` lists them"
        + (known.isEmpty ? "" : " (" + known.joined(separator: ", ") + ")")
    case .invalidBaseline(let file, let reason):
      "\(file): not a sever baseline (\(reason)); write one with --write-baseline"
    case .unsupportedBaselineVersion(let file, let version, let supported):
      "\(file): baseline format \(version) is newer than this sever reads (\(supported)); "
        + "upgrade sever or write the baseline again"
    case .unwritableBaseline(let file, let reason):
      "\(file): cannot write the baseline: \(reason)"
    }
  }
}
