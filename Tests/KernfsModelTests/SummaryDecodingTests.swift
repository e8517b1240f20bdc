import Foundation
import KernfsModel
import SeverCore
import Testing

/// The JSON interface: defaults, error sentences, and the contradictions `problems()` reports.
@Suite("Behaviour summary JSON")
struct SummaryDecodingTests {
  @Test("Only framework is required; everything else has the documented default")
  func defaults() throws {
    let summary = try BehaviourSummary.decode(from: #"{"framework": "kernfs"}"#)
    #expect(summary == BehaviourSummary(framework: .kernfs))
    #expect(summary.releasedFileCheck)
    #expect(summary.lateCallback == .none)
    #expect(summary.activeProtectionBreak == nil)
  }

  @Test("Nested objects take defaults for absent keys")
  func nestedDefaults() throws {
    let summary = try BehaviourSummary.decode(
      from: #"{"framework": "cgroup", "release": {"clearsPriv": true}, "poll": {"head": "priv"}}"#)
    #expect(summary.release == ReleaseBehaviour(freesPriv: true, clearsPriv: true))
    #expect(summary.poll == PollBehaviour(head: .priv, wakeUp: .kernfsNotify))
  }

  @Test(
    "Bad input gives one sentence naming the problem",
    arguments: [
      (#"{"#, "invalid"),
      (#"{"callbacks": []}"#, "\"framework\" is missing"),
      (#"{"framework": "ext4"}"#, "\"framework\""),
      (#"{"framework": "kernfs", "callbacks": ["open", "flush"]}"#, "\"callbacks"),
      (#"{"framework": "kernfs", "canBeModule": "yes"}"#, "\"canBeModule\" has the wrong type"),
    ])
  func badInput(json: String, fragment: String) {
    do {
      _ = try BehaviourSummary.decode(from: json)
      Issue.record("decoded \(json)")
    } catch {
      let text = error.description
      #expect(text.contains(fragment), "\(text)")
      #expect(!text.contains("\n"))
    }
  }

  @Test("Contradictory summaries are refused by the checker with actionable sentences")
  func contradictions() {
    let bad = BehaviourSummary(
      name: "bad", framework: .procfs, callbacks: [.open, .release, .poll],
      openAllocatesPriv: false, poll: PollBehaviour(head: .framework),
      lateCallback: .atLastFput,
      activeProtectionBreak: ActiveProtectionBreak(rereadsUnderLock: true, nullChecks: true))
    #expect(bad.problems().count >= 3)
    #expect(throws: ModelInputError.self) { try ModelChecker().check(bad) }
    do {
      _ = try ModelChecker().check(bad)
    } catch {
      #expect(error.description.hasPrefix("The behaviour summary \"bad\" contradicts itself"))
    }
  }

  @Test("kernfs-based tables cannot have ioctl")
  func kernfsIoctl() {
    #expect(BehaviourSummary(framework: .cgroup, callbacks: [.ioctl]).problems().count == 1)
    #expect(BehaviourSummary(framework: .debugfs, callbacks: [.ioctl]).problems().isEmpty)
  }

  @Test("sysfs attributes cannot have release or poll")
  func sysfsHooks() {
    let summary = BehaviourSummary(framework: .sysfs, callbacks: [.release])
    #expect(summary.problems().first?.contains("S3") == true)
  }
}

/// The scope's JSON form, which verdicts carry.
@Suite("Scope JSON")
struct ScopeDecodingTests {
  @Test("Decoded scopes are clamped like constructed ones")
  func clamped() throws {
    let json = #"{"files": 99, "pollers": ["select"], "maxStates": 0}"#
    let scope = try JSONDecoder().decode(ModelScope.self, from: Data(json.utf8))
    #expect(scope == ModelScope(files: 4, pollers: [.select], maxStates: 1))
  }
}
