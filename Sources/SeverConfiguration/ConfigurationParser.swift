import SeverCore
import Yams

/// Reads `.sever.yml` through Yams' node API, which keeps line marks, so every unknown key and
/// wrong type is reported with its line (decoding with `Codable` would lose them).
struct ConfigurationParser {
  /// The file name used in errors.
  let file: String

  static let topLevelKeys = [
    "arch", "config", "exclude", "isolate", "jobs", "rules", "unit-timeout",
  ]
  static let ruleKeys = ["enabled", "severity"]

  func parse(_ text: String) throws(ConfigurationError) -> Configuration {
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw Self.yamlError(error, file: file)
    } catch {
      throw .invalidYAML(file: file, line: 1, problem: "\(error)")
    }
    var configuration = Configuration(file: file)
    // An empty file (or one holding only comments) is the empty configuration.
    guard let root, !Self.isNull(root) else { return configuration }
    let top = try mapping(root, key: "the top level")
    for (keyNode, value) in top {
      let key = try name(keyNode)
      switch key {
      case "rules": configuration.rules = try rules(value)
      case "exclude":
        configuration.exclude = try strings(value, key: key).map(PathGlob.init)
      case "arch": configuration.arch = try string(value, key: key)
      case "config": configuration.config = try string(value, key: key)
      case "jobs":
        let text = try string(value, key: key)
        guard let jobs = Int(text), jobs > 0 else {
          throw .invalidValue(
            file: file, line: line(value), key: key, value: text, expected: "a positive integer")
        }
        configuration.jobs = jobs
      case "unit-timeout":
        let text = try string(value, key: key)
        guard let seconds = Double(text), seconds > 0, seconds.isFinite else {
          throw .invalidValue(
            file: file, line: line(value), key: key, value: text,
            expected: "a positive number of seconds")
        }
        configuration.unitTimeout = seconds
      case "isolate":
        configuration.isolate = try boolean(value, key: key)
      default:
        throw .unknownKey(
          file: file, line: line(keyNode), key: key, section: "the top level",
          allowed: Self.topLevelKeys)
      }
    }
    return configuration
  }

  private func rules(_ node: Node) throws(ConfigurationError) -> [String: RuleSetting] {
    var result: [String: RuleSetting] = [:]
    for (keyNode, value) in try mapping(node, key: "rules") {
      let id = try name(keyNode)
      var setting = RuleSetting(line: line(keyNode))
      let path = "rules.\(id)"
      for (fieldNode, fieldValue) in try mapping(value, key: path) {
        let field = try name(fieldNode)
        switch field {
        case "enabled":
          setting.enabled = try boolean(fieldValue, key: "\(path).enabled")
        case "severity":
          let text = try string(fieldValue, key: "\(path).severity")
          guard let severity = Severity(rawValue: text) else {
            throw .invalidValue(
              file: file, line: line(fieldValue), key: "\(path).severity", value: text,
              expected: "error, warning or note")
          }
          setting.severity = severity
        default:
          throw .unknownKey(
            file: file, line: line(fieldNode), key: field, section: path, allowed: Self.ruleKeys)
        }
      }
      result[id] = setting
    }
    return result
  }

  private func mapping(_ node: Node, key: String) throws(ConfigurationError) -> [(Node, Node)] {
    guard let mapping = node.mapping else {
      throw .wrongType(file: file, line: line(node), key: key, expected: "a mapping of keys")
    }
    return mapping.map { ($0.key, $0.value) }
  }

  private func strings(_ node: Node, key: String) throws(ConfigurationError) -> [String] {
    guard let sequence = node.sequence else {
      throw .wrongType(file: file, line: line(node), key: key, expected: "a list of strings")
    }
    var result: [String] = []
    for item in sequence {
      result.append(try string(item, key: key))
    }
    return result
  }

  private func string(_ node: Node, key: String) throws(ConfigurationError) -> String {
    guard let scalar = node.scalar, !Self.isNull(node) else {
      throw .wrongType(file: file, line: line(node), key: key, expected: "a single value")
    }
    return scalar.string
  }

  private func boolean(_ node: Node, key: String) throws(ConfigurationError) -> Bool {
    switch try string(node, key: key).lowercased() {
    case "true": return true
    case "false": return false
    default:
      throw .wrongType(file: file, line: line(node), key: key, expected: "true or false")
    }
  }

  private func name(_ node: Node) throws(ConfigurationError) -> String {
    guard let scalar = node.scalar else {
      throw .wrongType(file: file, line: line(node), key: "a key", expected: "a plain name")
    }
    return scalar.string
  }

  private func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

  private static func isNull(_ node: Node) -> Bool {
    guard let scalar = node.scalar else { return false }
    return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
  }

  private static func yamlError(_ error: YamlError, file: String) -> ConfigurationError {
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      return .invalidYAML(file: file, line: mark.line, problem: problem)
    case .duplicatedKeysInMapping(let duplicates, let context):
      return .invalidYAML(
        file: file, line: context.mark.line,
        problem: "duplicate key " + duplicates.map { "'\($0)'" }.joined(separator: ", "))
    default:
      return .invalidYAML(file: file, line: 1, problem: "\(error)")
    }
  }
}
