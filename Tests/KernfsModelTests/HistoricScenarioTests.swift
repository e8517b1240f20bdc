import KernfsModel
import SeverCore
import Testing

/// The four historic bugs of contract.md §2, each as a fixture that the model must break with
/// the expected clause and a trace of the expected shape, and its fix, which must be safe.
@Suite("Historic scenarios")
struct HistoricScenarioTests {
  let checker = ModelChecker()

  @Test("PSI 2023: release frees the polled trigger, select's poll_freewait touches it (K8)")
  func psiSelect2023() throws {
    let verdict = try checker.check(FixtureSupport.summary("unsafe-psi-select-2023"))
    let trace = try #require(verdict.violation)
    #expect(trace.violated == .K8)
    #expect(
      FixtureSupport.eventNames(verdict) == [
        "open", "open_done", "poll_wait", "sever", "poll_freewait",
      ])
    #expect(trace.steps[2].event == "poll_wait(P1, F1)")
    #expect(trace.steps[3].state.contains("priv freed"))
    #expect(trace.steps.last?.mirrors == "poll_freewait")
  }

  @Test("PSI 2023: wake_up_pollfree covers epoll, so an epoll-only scope is safe")
  func psiEpollOnlyIsCoveredByPollfree() throws {
    let epollOnly = ModelChecker(scope: ModelScope(files: 2, pollers: [.epoll, .epoll]))
    let verdict = try epollOnly.check(FixtureSupport.summary("unsafe-psi-select-2023"))
    #expect(verdict.isSafe)
  }

  @Test("PSI before c2dbe32d5db5: a plain wake-up fails even for epoll (C2)")
  func psiEpollBeforePollfree() throws {
    let epollOnly = ModelChecker(scope: ModelScope(files: 2, pollers: [.epoll]))
    let verdict = try epollOnly.check(FixtureSupport.summary("unsafe-psi-epoll-2023"))
    #expect(verdict.violation?.violated == .C2)
    #expect(FixtureSupport.eventNames(verdict).last == "ep_remove")
  }

  @Test("PSI after aff037078eca: kernfs_generic_poll on on->poll is safe")
  func psiFixed() throws {
    let verdict = try checker.check(FixtureSupport.summary("safe-psi-kernfs-poll-2023"))
    #expect(verdict.isSafe)
    #expect(verdict.statesExplored > 100)
  }

  @Test("kernfs_ops.free: the last-fput hook calls into a gone module (K4)")
  func kernfsOpsFree() throws {
    let verdict = try checker.check(FixtureSupport.summary("unsafe-kernfs-ops-free"))
    #expect(verdict.violation?.violated == .K4)
    #expect(
      FixtureSupport.eventNames(verdict) == [
        "open", "open_done", "sever", "rmmod", "module_exit", "last_fput",
      ])
  }

  @Test("cftype.free in a module breaks C4")
  func cftypeFree() throws {
    let verdict = try checker.check(FixtureSupport.summary("unsafe-cftype-free"))
    #expect(verdict.violation?.violated == .C4)
  }

  @Test("kernfs_ops.free is safe only when built in")
  func kernfsOpsFreeBuiltIn() throws {
    let verdict = try checker.check(FixtureSupport.summary("safe-kernfs-ops-free-builtin"))
    #expect(verdict.isSafe)
    var modular = try FixtureSupport.summary("safe-kernfs-ops-free-builtin")
    modular.canBeModule = true
    #expect(try checker.check(modular).violation?.violated == .K4)
  }

  @Test("kernfs 2025: hide, release, re-show, then poll on the released file (K13)")
  func kernfsShow2025() throws {
    let verdict = try checker.check(FixtureSupport.summary("unsafe-kernfs-show-2025"))
    let trace = try #require(verdict.violation)
    #expect(trace.violated == .K13)
    #expect(
      FixtureSupport.eventNames(verdict) == ["open", "open_done", "show", "show", "poll_wait"])
    #expect(trace.steps[2].event == "show(N, false)")
    #expect(trace.steps[2].state.contains("F1=released"))
    #expect(trace.steps[3].event == "show(N, true)")
  }

  @Test("kernfs 2025 fixed by kernfs_get_active_of (3c9ba2777d6c)")
  func kernfsShow2025Fixed() throws {
    #expect(try checker.check(FixtureSupport.summary("safe-kernfs-show-2025")).isSafe)
  }

  @Test("2026 of->priv race: break, sever, stale use (C3)")
  func privRace2026() throws {
    let verdict = try checker.check(FixtureSupport.summary("unsafe-priv-race-2026"))
    #expect(verdict.violation?.violated == .C3)
    #expect(
      FixtureSupport.eventNames(verdict) == [
        "open", "open_done", "op_begin", "break_active", "sever", "use_priv",
      ])
  }

  @Test("2026: the NULL check helps only if release clears of->priv")
  func nullCheckNeedsClear() throws {
    let unsafe = try checker.check(FixtureSupport.summary("unsafe-priv-nullcheck-without-clear"))
    #expect(unsafe.violation?.violated == .C3)
    #expect(FixtureSupport.eventNames(unsafe).contains("lock"))
    #expect(try checker.check(FixtureSupport.summary("safe-priv-race-2026")).isSafe)
  }

  @Test("2026 race in plain kernfs is reported as K9")
  func privRaceKernfs() throws {
    var summary = try FixtureSupport.summary("unsafe-priv-race-2026")
    summary.framework = .kernfs
    #expect(try checker.check(summary).violation?.violated == .K9)
  }

  @Test("Traces convert to SeverCore.Trace with a mirrored function on every step")
  func tracesCiteKernelFunctions() throws {
    for name in ["unsafe-psi-select-2023", "unsafe-kernfs-ops-free", "unsafe-priv-race-2026"] {
      let trace = try #require(try checker.check(FixtureSupport.summary(name)).violation)
      #expect(trace.steps.allSatisfy { $0.mirrors?.isEmpty == false }, "\(name)")
      #expect(trace.steps.last?.state.hasPrefix("✗") == true)
    }
  }
}

/// Smaller behaviours of the checker itself.
@Suite("Checker")
struct CheckerTests {
  @Test("A state limit makes the verdict incomplete, never safe")
  func stateLimit() throws {
    let tiny = ModelChecker(scope: ModelScope(maxStates: 10))
    let verdict = try tiny.check(FixtureSupport.summary("safe-priv-race-2026"))
    #expect(!verdict.complete)
    #expect(!verdict.isSafe)
    #expect(verdict.statesExplored == 10)
    #expect(verdict.text().contains("unknown (state limit reached)"))
  }

  @Test("A release taking the open-file mutex deadlocks at last fput too (K10)")
  func releaseTakesOpenFileMutex() throws {
    let summary = BehaviourSummary(
      name: "k10", framework: .kernfs, callbacks: [.open, .release, .read],
      release: ReleaseBehaviour(takesLocks: [.openFileMutex]))
    let verdict = try ModelChecker().check(summary)
    #expect(verdict.violation?.violated == .K10)
    #expect(verdict.violation?.summary.contains("kernfs_open_file_mutex") == true)
  }

  @Test("A larger scope explores more states and finds the same clause")
  func largerScope() throws {
    let summary = try FixtureSupport.summary("unsafe-psi-select-2023")
    let standard = try ModelChecker().check(summary)
    let larger = try ModelChecker(scope: ModelScope(files: 3, pollers: [.select, .epoll, .select]))
      .check(summary)
    #expect(larger.violation?.violated == standard.violation?.violated)
    #expect(larger.violation?.steps.count == standard.violation?.steps.count)
    let safeSummary = try FixtureSupport.summary("safe-psi-kernfs-poll-2023")
    #expect(
      try ModelChecker(scope: ModelScope(files: 1, pollers: [.select])).check(safeSummary)
        .statesExplored < ModelChecker().check(safeSummary).statesExplored)
  }
}
