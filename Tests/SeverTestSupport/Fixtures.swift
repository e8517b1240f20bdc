import Foundation

/// Where the repository's folders are, found from this source file's path.
public enum FixturePaths {
  /// The repository root.
  public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
  /// `Fixtures/`.
  public static let fixtures = repository + "/Fixtures"
  /// `Fixtures/tree`, the kernel-like tree.
  public static let tree = fixtures + "/tree"
  /// The fixture tree's headers.
  public static let include = tree + "/include"

  /// A fresh folder under the temporary directory, for a test's own files or cache.
  public static func temporary(_ label: String) -> String {
    NSTemporaryDirectory() + "sever-\(label)-\(UUID().uuidString)"
  }

  /// Makes `name` in `directory` (a byte, if it does not exist) and sets its time to `hoursAgo`
  /// hours ago: the cache's pruning tests age their entries so.
  public static func touch(_ name: String, in directory: String, hoursAgo: Double) throws {
    let fm = FileManager.default
    let path = directory + "/" + name
    if !fm.fileExists(atPath: path) { _ = fm.createFile(atPath: path, contents: Data("x".utf8)) }
    try fm.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: -hoursAgo * 3_600)], ofItemAtPath: path)
  }

  /// A copy of the fixture tree in a fresh temporary folder, for tests that change files.
  public static func copyOfTree() throws -> String {
    let copy = temporary("tree")
    try FileManager.default.copyItem(atPath: tree, toPath: copy)
    return copy
  }
}
