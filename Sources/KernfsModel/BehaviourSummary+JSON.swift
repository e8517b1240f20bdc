import Foundation

extension BehaviourSummary {
  /// Decodes a summary from JSON bytes (the CLI reads the file; the model does no I/O).
  /// - Throws: `ModelInputError.undecodable` with a sentence naming the bad key or value.
  public static func decode(from data: Data) throws(ModelInputError) -> BehaviourSummary {
    do {
      return try JSONDecoder().decode(BehaviourSummary.self, from: data)
    } catch let error as DecodingError {
      throw .undecodable(Self.sentence(for: error))
    } catch {
      throw .undecodable("\(error)")
    }
  }

  /// Decodes a summary from a JSON string.
  public static func decode(from json: String) throws(ModelInputError) -> BehaviourSummary {
    try decode(from: Data(json.utf8))
  }

  /// The summary as pretty, key-sorted JSON, the form fixtures are kept in.
  public func jsonString() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    // Encoding plain enums, strings and booleans cannot fail.
    let data = (try? encoder.encode(self)) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  // DecodingError's own description is a debugging dump; users need the key path.
  private static func sentence(for error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      keys.isEmpty ? "the top level" : "\"" + keys.map(\.stringValue).joined(separator: ".") + "\""
    }
    switch error {
    case .keyNotFound(let key, let context):
      return "the key \"\(key.stringValue)\" is missing at \(path(context.codingPath))."
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "the value at \(path(context.codingPath)) has the wrong type "
        + "(\(context.debugDescription))."
    case .dataCorrupted(let context):
      return "the value at \(path(context.codingPath)) is invalid (\(context.debugDescription))."
    @unknown default:
      return "\(error)"
    }
  }
}
