import Foundation
import SeverCore
import SeverTestSupport
import Testing

@testable import SeverKit

/// The run memo answers a re-run only while everything the remembered run read is unchanged,
/// the headers its units read from outside the checked paths included.
@Suite struct RunMemoTests {
  /// `sever check drivers/example`, whose unit includes `../examplecore/demo.h` (as
  /// `wl18xx/debugfs.c` includes `../wlcore/debugfs.h`): the walk of the checked folder does
  /// not see the header, so the memo records its status, and an edit to it is a new run.
  @Test func aHeaderOutsideTheCheckedFolderInvalidatesTheMemo() async throws {
    let code = SelectionSoundnessTests.otherDirectoryMacroUser
    let root = try SelectionSoundnessTests.tree(for: code)
    let cache = FixturePaths.temporary("memo-cache")
    defer {
      try? FileManager.default.removeItem(atPath: root)
      try? FileManager.default.removeItem(atPath: cache)
    }
    let header = root + "/drivers/examplecore/demo.h"
    try FileManager.default.createDirectory(
      atPath: root + "/drivers/examplecore", withIntermediateDirectories: true)
    try SelectionSoundnessTests.tableMacros.write(toFile: header, atomically: true, encoding: .utf8)
    let request = Pipeline.Request(
      options: CheckOptions(paths: [root + "/drivers/example"], jobs: 1, cacheBase: cache))
    func owners() async throws -> [String] {
      try await Pipeline.check(request).analysis.findings
        .filter { $0.ruleID == "fops-missing-owner" }.map(\.location.path)
    }
    #expect(try await owners() == ["drivers/example/example.c"])
    // Remembered: the same answer again, from the memo.
    #expect(try await owners() == ["drivers/example/example.c"])
    try SelectionSoundnessTests.tableMacros
      .replacingOccurrences(of: "\t.open = simple_open,", with: "\t.owner = THIS_MODULE,")
      .write(toFile: header, atomically: true, encoding: .utf8)
    #expect(try await owners() == [])
  }
}
