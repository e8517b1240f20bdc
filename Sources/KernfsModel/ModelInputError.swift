/// Why a summary could not be explored; the description is one actionable sentence.
public enum ModelInputError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The JSON could not be decoded (syntax, missing key, unknown enum value).
  case undecodable(String)
  /// The summary decoded but contradicts itself.
  case inconsistent(summary: String, problems: [String])

  public var description: String {
    switch self {
    case .undecodable(let reason):
      "The behaviour summary is not valid JSON for the model: \(reason)"
    case .inconsistent(let summary, let problems):
      "The behaviour summary \"\(summary)\" contradicts itself: "
        + problems.joined(separator: " ")
    }
  }
}
