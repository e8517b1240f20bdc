import CClang
import Foundation

/// Where the macros of a precompiled header are defined, by name: written next to the header
/// when it is precompiled (`FactExtractor.precompile`), read by a unit parsed over it when a
/// table's macro invokes a macro the unit's own cursors do not list (those of a precompiled
/// header are not among them: `TranslationUnit.localDeclarationsOnly`). Each name keeps its
/// last definition, as `MacroDefinitions` does when it lists a whole unit.
///
/// The file has a line per macro: `name`, the absolute path of its file, its line and its
/// column, separated by tabs.
struct PrecompiledMacros {
  /// A definition's place.
  struct Place {
    var path: String
    var line: Int
    var column: Int
  }

  private var places: [String: Place] = [:]

  /// Reads the file at `path`; nil when it cannot be read or is not such a file.
  init?(path: String) {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    for line in data.split(separator: UInt8(ascii: "\n")) {
      let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
      guard fields.count == 4,
        let row = Int(String(decoding: fields[2], as: UTF8.self)),
        let column = Int(String(decoding: fields[3], as: UTF8.self))
      else { return nil }
      places[String(decoding: fields[0], as: UTF8.self)] = Place(
        path: String(decoding: fields[1], as: UTF8.self), line: row, column: column)
    }
  }

  /// The place of the macro `name`.
  func place(of name: String) -> Place? { places[name] }

  /// Writes the places of the macro definitions among `declarations` (a header's cursors) to
  /// `path`; returns whether it was written.
  static func write(_ declarations: [Cursor], unit: TranslationUnit, to path: String) -> Bool {
    var lines: [String: String] = [:]
    for cursor in declarations where cursor.kind == CXCursor_MacroDefinition {
      let name = cursor.spelling
      guard let place = unit.spellingPlace(of: cursor), !name.contains("\t"),
        !place.path.contains("\t"), !place.path.contains("\n")
      else { continue }
      lines[name] = "\(name)\t\(place.path)\t\(place.line)\t\(place.column)\n"
    }
    let text = lines.keys.sorted().map { lines[$0]! }.joined()
    return FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
  }
}
