/// Why a summary could not be explored; the description is one actionable sentence.
public enum ModelInputError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The JSON could not be decoded (syntax, missing key, unknown enum value).
  case undecodable(String)
  /// The summary decoded but contradicts itself.
  case inconsistent(summary: String, problems: [String])
  /// The summary file could not be read (raised by callers that do the I/O).
  case unreadable(path: String)
  /// A scope option is out of range (raised by the CLI).
  case badScope(String)

  public var description: String {
    switch self {
    case .undecodable(let reason):
      "The behaviour summary is not valid JSON for the model: \(reason)"
    case .inconsistent(let summary, let problems):
      "The behaviour summary \"\(summary)\" contradicts itself: "
        + problems.joined(separator: " ")
    case .unreadable(let path):
      "Cannot read \(path): the file does not exist or is not readable."
    case .badScope(let reason):
      "The exploration scope is invalid: \(reason)"
    }
  }
}
