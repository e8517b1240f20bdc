import Foundation

/// Where the repository's Fixtures folder is, found from this source file's path.
enum FixturePaths {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures").path
  static let tree = fixtures + "/tree"
  static let extraction = fixtures + "/extraction"
  static let badInput = fixtures + "/bad-input"

  /// A fresh cache folder for a test, so tests never touch the user's cache.
  static func temporaryCache() -> String {
    NSTemporaryDirectory() + "sever-tests-\(UUID().uuidString)"
  }
}
