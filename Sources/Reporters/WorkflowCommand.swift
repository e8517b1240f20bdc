/// GitHub Actions workflow-command escaping (the runner's `toCommandValue`/`escapeData` and
/// `escapeProperty` in actions/toolkit `command.ts`).
enum WorkflowCommand {
  /// Escapes a command's message: `%`, carriage return and line feed.
  static func escapeData(_ text: String) -> String {
    var result = ""
    for character in text.unicodeScalars {
      switch character {
      case "%": result += "%25"
      case "\r": result += "%0D"
      case "\n": result += "%0A"
      default: result.unicodeScalars.append(character)
      }
    }
    return result
  }

  /// Escapes a property value (`file=`, `title=`): the data escapes plus `:` and `,`, which
  /// would otherwise end the property list or the value.
  static func escapeProperty(_ text: String) -> String {
    var result = ""
    for character in text.unicodeScalars {
      switch character {
      case "%": result += "%25"
      case "\r": result += "%0D"
      case "\n": result += "%0A"
      case ":": result += "%3A"
      case ",": result += "%2C"
      default: result.unicodeScalars.append(character)
      }
    }
    return result
  }

  /// `::level key=value,…::message` with every part escaped.
  static func line(_ level: String, properties: [(String, String)], message: String) -> String {
    let list = properties.map { "\($0.0)=\(escapeProperty($0.1))" }.joined(separator: ",")
    return "::\(level)\(list.isEmpty ? "" : " " + list)::\(escapeData(message))\n"
  }
}
