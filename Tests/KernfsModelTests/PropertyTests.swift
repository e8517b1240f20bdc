import SeverCore
import Testing

@testable import KernfsModel

/// Properties that hold in every reachable state of every contract-following summary, each
/// checked by a function that returns the first offending state so that it can also be shown to
/// fail on a summary (or state) that breaks the contract.
@Suite("Properties of contract-following summaries")
struct PropertyTests {
  /// A smaller scope keeps hundreds of explorations fast in debug builds; one file more or less
  /// does not change which transitions exist.
  static let checker = ModelChecker(scope: ModelScope(files: 2, pollers: [.select, .epoll]))

  /// K1: release at most once; exactly once for every file that opened and is closed; never for
  /// a failed open. Returns a description of the first offending file.
  static func releaseOnce(_ summary: BehaviourSummary, _ state: ModelState) -> String? {
    let owed: UInt8 = summary.callbacks.contains(.release) ? 1 : 0
    for (index, file) in state.files.enumerated() {
      let bad: Bool
      switch file.phase {
      case .unopened, .opening, .openFailed: bad = file.releases != 0
      case .open: bad = file.releases != 0
      case .released: bad = file.releases != 1
      case .closed: bad = file.releases != owed
      }
      if bad { return "F\(index + 1) is \(file.phase) after \(file.releases) releases" }
    }
    return nil
  }

  /// K2/K13: no op gets past the framework's guard on a released file.
  static func noOpAfterRelease(_ relation: ModelTransitions, _ state: ModelState) -> String? {
    for index in state.files.indices
    where state.files[index].phase == .released && relation.opGetsThrough(state, index) {
      return "an op gets through on released F\(index + 1) with the node \(state.node)"
    }
    return nil
  }

  /// K6: every waiting poller's file still exists, and so does its head.
  static func openNodeOutlivesPollers(_ state: ModelState) -> String? {
    for (index, poller) in state.pollers.enumerated() where poller.phase == .waiting {
      if !state.files[Int(poller.file)].exists {
        return
          "P\(index + 1) waits on F\(poller.file + 1), which is \(state.files[Int(poller.file)].phase)"
      }
      if state.isFreed(poller.head) { return "P\(index + 1) waits on a freed head" }
    }
    return nil
  }

  /// K4/M2: once the module is gone, a severing framework has removed the node and released
  /// every file that has a release, and no enabled event calls into the module.
  static func nothingCallsGoneModule(
    _ summary: BehaviourSummary, _ state: ModelState,
    _ successors: [(ModelEvent, ModelTransitions.Outcome)]
  ) -> String? {
    guard state.module == .gone else { return nil }
    if state.node != .removed { return "the module is gone but the node is \(state.node)" }
    if summary.callbacks.contains(.release), state.files.contains(where: { $0.phase == .open }) {
      return "the module is gone but a file with a release hook is still open"
    }
    for (event, outcome) in successors {
      if case .violation(let violation) = outcome, violation.kind == .goneModule {
        return "\(event.label(lockName: "lock")) calls into the gone module"
      }
    }
    return nil
  }

  /// Runs all four properties over the reachable space; returns the first failure.
  static func firstFailure(_ summary: BehaviourSummary) -> String? {
    let relation = ModelTransitions(summary: summary, scope: checker.scope)
    var failure: String?
    checker.forEachReachableState(of: summary) { state, successors in
      guard failure == nil else { return }
      failure =
        releaseOnce(summary, state) ?? noOpAfterRelease(relation, state)
        ?? openNodeOutlivesPollers(state)
        ?? (summary.framework.severs ? nothingCallsGoneModule(summary, state, successors) : nil)
    }
    return failure
  }

  @Test("Generated summaries are many and all explorable")
  func generatorCoversFrameworks() {
    let all = ContractFollowingSummaries.all()
    #expect(all.count >= 150)
    #expect(Set(all.map(\.framework)) == Set(Framework.allCases))
    #expect(all.allSatisfy { $0.problems().isEmpty })
  }

  @Test("Every contract-following summary is safe and keeps the four properties")
  func contractFollowingSummariesKeepProperties() throws {
    for summary in ContractFollowingSummaries.all() {
      let verdict = try Self.checker.check(summary)
      #expect(verdict.isSafe, "\(summary.name): \(verdict.violation?.summary ?? "incomplete")")
      let failure = Self.firstFailure(summary)
      #expect(failure == nil, "\(summary.name): \(failure ?? "")")
    }
  }

  @Test("No op after release fails without the released-file check")
  func noOpAfterReleaseCanFail() throws {
    var summary = try FixtureSupport.summary("safe-kernfs-show-2025")
    #expect(Self.firstFailure(summary) == nil)
    summary.releasedFileCheck = false
    let failure = try #require(Self.firstFailure(summary))
    #expect(failure.contains("released F"))
  }

  @Test("No call into a gone module fails with a last-fput hook")
  func goneModuleCanFail() throws {
    let summary = try FixtureSupport.summary("unsafe-kernfs-ops-free")
    let failure = try #require(Self.firstFailure(summary))
    #expect(failure.contains("gone module"))
  }

  @Test("The release and poller properties reject states that break them")
  func propertiesRejectBadStates() throws {
    let summary = try FixtureSupport.summary("safe-psi-kernfs-poll-2023")
    var state = ModelState(scope: ModelScope.standard)
    state.files[0].phase = .closed
    #expect(Self.releaseOnce(summary, state) != nil, "a closed file that was never released")
    state.files[0].releases = 1
    #expect(Self.releaseOnce(summary, state) == nil)
    state.files[1].phase = .released
    state.files[1].releases = 2
    #expect(Self.releaseOnce(summary, state) != nil, "a second release")
    state.pollers[0] = ModelState.Poller(phase: .waiting, file: 0, head: .framework)
    #expect(Self.openNodeOutlivesPollers(state) != nil, "a poller on a closed file")
  }

  @Test("Pinned debugfs and plain fops never run release after rmmod")
  func pinningFrameworks() throws {
    for name in ["safe-debugfs-owner", "safe-fops-owner"] {
      var summary = try FixtureSupport.summary(name)
      #expect(try Self.checker.check(summary).isSafe, "\(name)")
      summary.ownerPinned = false
      let rule = try Self.checker.check(summary).violation?.violated
      #expect(rule == (summary.framework == .debugfs ? .D1 : .M1), "\(name) without .owner")
    }
  }
}
