import Foundation
import KernfsModel
import SeverCore
import Testing

/// Replays every summary in `Fixtures/model`: `unsafe-*` must break the clause listed here,
/// `safe-*` must be safe. A new unsafe fixture needs an entry, so nothing is checked vaguely.
@Suite("Fixture folder")
struct FixtureFolderTests {
  static let expected: [String: ContractRule] = [
    "unsafe-psi-select-2023": .K8,
    "unsafe-psi-epoll-2023": .C2,
    "unsafe-kernfs-ops-free": .K4,
    "unsafe-cftype-free": .C4,
    "unsafe-kernfs-show-2025": .K13,
    "unsafe-priv-race-2026": .C3,
    "unsafe-priv-nullcheck-without-clear": .C3,
    "unsafe-release-takes-cgroup-mutex": .K10,
    "unsafe-debugfs-no-owner": .D1,
    "unsafe-debugfs-release-i-private": .D2,
    "unsafe-procfs-module-static-poll": .P2,
    "unsafe-fops-no-owner": .M1,
    "unsafe-task-head-wakeup": .M3,
    "unsafe-debugfs-poll-node-data": .D3,
  ]

  @Test("Every fixture gives the verdict its name promises")
  func replayFolder() throws {
    let names = try FixtureSupport.fileNames()
    #expect(names.count >= 20)
    let checker = ModelChecker()
    for file in names {
      let name = String(file.dropLast(".json".count))
      let verdict = try checker.check(FixtureSupport.summary(name))
      if name.hasPrefix("unsafe-") {
        let rule = try #require(Self.expected[name], "add \(name) to FixtureFolderTests.expected")
        #expect(verdict.violation?.violated == rule, "\(name)")
      } else {
        #expect(name.hasPrefix("safe-"), "fixture names start with safe- or unsafe-: \(name)")
        #expect(verdict.isSafe, "\(name): \(verdict.violation?.summary ?? "incomplete")")
      }
    }
    for name in Self.expected.keys {
      #expect(names.contains(name + ".json"), "missing fixture \(name).json")
    }
  }

  @Test("Fixtures survive a JSON round trip unchanged")
  func roundTrip() throws {
    for file in try FixtureSupport.fileNames() {
      let summary = try FixtureSupport.summary(String(file.dropLast(5)))
      let again = try BehaviourSummary.decode(from: summary.jsonString())
      #expect(again == summary, "\(file)")
    }
  }

  @Test("Exploration is deterministic: same verdict, counts and trace twice")
  func deterministic() throws {
    let checker = ModelChecker()
    for name in ["unsafe-psi-select-2023", "safe-priv-race-2026"] {
      let summary = try FixtureSupport.summary(name)
      #expect(try checker.check(summary) == checker.check(summary))
    }
  }

  @Test("Unsafe traces are the shortest: no smaller scope depth finds a shorter one")
  func shortest() throws {
    // A single file and a single select poller still exhibit every historic bug, with a trace
    // no longer than in the full scope.
    let small = ModelChecker(scope: ModelScope(files: 1, pollers: [.select]))
    let full = ModelChecker()
    for name in ["unsafe-psi-select-2023", "unsafe-kernfs-show-2025", "unsafe-priv-race-2026"] {
      let summary = try FixtureSupport.summary(name)
      let smallTrace = try #require(try small.check(summary).violation)
      let fullTrace = try #require(try full.check(summary).violation)
      #expect(fullTrace.steps.count == smallTrace.steps.count, "\(name)")
    }
  }
}
