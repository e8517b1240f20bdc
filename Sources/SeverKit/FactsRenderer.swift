import Foundation
import SeverCore

/// Renders a check result while no rules exist yet: one line per table, tool diagnostics with
/// `--verbose`, and the coverage line. Text follows the `path:line:col: kind: message` shape.
public enum FactsRenderer {
  /// One line per table: `path:line:col: table: struct kernfs_ops name: field=handler …`.
  public static func tableLines(_ result: CheckResult) -> String {
    var out = ""
    for file in result.files {
      for table in file.tables {
        let handlers = table.fields.filter { $0.handler != nil }.map { field in
          "\(field.name)=\(field.handler ?? "")"
        }
        var line = "\(table.location): table: \(table.kind.cSpelling) \(table.qualifiedName)"
        if let macro = table.macro { line += " (from \(macro))" }
        if !handlers.isEmpty { line += ": " + handlers.joined(separator: " ") }
        out += line + "\n"
      }
    }
    return out
  }

  /// Tool diagnostics (all with `verbose`, else those that are not parse errors) and the
  /// coverage line.
  public static func text(_ result: CheckResult, verbose: Bool) -> String {
    var out = ""
    let diagnostics = result.diagnostics + result.files.flatMap(\.diagnostics)
    if verbose {
      for diagnostic in diagnostics.sorted() {
        let place = diagnostic.location?.description ?? diagnostic.path
        out += "\(place): \(diagnostic.kind.rawValue): \(diagnostic.message)\n"
      }
    } else {
      let skipped = result.diagnostics.filter { $0.kind != .parseError }
      for diagnostic in skipped {
        out += "\(diagnostic.path): \(diagnostic.kind.rawValue): \(diagnostic.message)\n"
      }
    }
    return out + result.coverage.line + "\n"
  }

  /// JSON with sorted keys, so the output is byte-for-byte stable.
  public static func json<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
