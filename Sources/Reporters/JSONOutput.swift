import Foundation

/// The one JSON encoder configuration every JSON-producing reporter uses: sorted keys so output
/// is byte-stable across runs, pretty so goldens diff well, and no escaped slashes in paths.
enum JSONOutput {
  static func encode<Value: Encodable>(
    _ value: Value, format: ReportFormat
  ) throws(ReportersError) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    do {
      let data = try encoder.encode(value)
      return String(decoding: data, as: UTF8.self) + "\n"
    } catch {
      throw .encodingFailed(format: format, reason: "\(error)")
    }
  }
}
