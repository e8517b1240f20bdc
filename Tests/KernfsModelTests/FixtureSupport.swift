import Foundation
import KernfsModel
import SeverCore

/// Locates and loads the scenario summaries under `Fixtures/model`.
enum FixtureSupport {
  /// `Fixtures/model`, found from this file's path so tests run from any directory.
  static let folder: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // KernfsModelTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // package root
    .appendingPathComponent("Fixtures/model")

  /// The file names (`unsafe-psi-select-2023.json`, …), sorted.
  static func fileNames() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".json") }
      .sorted()
  }

  /// The summary in `Fixtures/model/<name>.json`.
  static func summary(_ name: String) throws -> BehaviourSummary {
    let data = try Data(contentsOf: folder.appendingPathComponent(name + ".json"))
    return try BehaviourSummary.decode(from: data)
  }

  /// The event names of a trace without their arguments (`open`, `sever`, …).
  static func eventNames(_ verdict: ModelVerdict) -> [String] {
    (verdict.violation?.steps ?? []).map { String($0.event.prefix { $0 != "(" }) }
  }
}
