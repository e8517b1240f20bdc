import KernfsModel
import SeverCore

/// Flags a `proc_poll` that waits on module-static storage (or on the entry's own data from
/// `pde_data()`) when the code that removes the entry does not first wake the waiters and wait
/// until they are gone. procfs rundown stops new `proc_poll` calls but leaves sleepers linked on
/// the head, which rmmod (or the driver) then frees (P2, K6, M3).
public struct ProcPollExitRule: Rule {
  public static let description = RuleDescription(
    id: "procfs-poll-exit-drain",
    name: "procfs Poll Head Freed At Exit Without Draining",
    summary: "A proc_poll waits on module-static or per-entry storage, and the exit path removes "
      + "the entry without waking and draining the sleeping pollers.",
    rationale: """
      `remove_proc_entry()` runs `proc_entry_rundown()`: new calls fail and `proc_release` is \
      called for open files (P1), but tasks already sleeping in `select()`/`poll()`/epoll on a \
      head handed out by `proc_poll` are not woken (P2, fs/proc/inode.c `proc_reg_poll`). Their \
      `poll_table_entry` stays linked on the head; when the head lives in module data, \
      `rmmod` frees it under them, and `poll_freewait()`/`ep_remove_wait_queue()` later touch \
      freed memory (K6, M3); the same holds for the entry's own data freed by its driver after \
      removal. `drivers/md/md.c` shows the safe shape: `md_exit` sets `md_unloading`, then \
      `while (waitqueue_active(&md_event_waiters)) { wake_up(...); msleep(10); }` before \
      `remove_proc_entry("mdstat", NULL)`, and `mdstat_poll` bails out on `md_unloading`. \
      The rule is pattern family 1 of the contract (#10, procfs rundown, Al Viro 2013) and the \
      same lifetime mismatch as the PSI trigger bugs (aff037078eca, CVE-2023-54019).
      """,
    clauses: [.P2, .K6, .M3],
    commits: [
      "aff037078eca sched/psi: use kernfs polling functions for PSI trigger polling",
      "42288cb44c4b wait: add wake_up_pollfree()",
    ],
    cves: ["CVE-2023-54019"],
    defaultSeverity: .error,
    confidence: .moderate,
    fix: "Before remove_proc_entry() in the exit path, mark the module as unloading, make "
      + "proc_poll return at once when it is, and loop `while (waitqueue_active(&wq)) { "
      + "wake_up(&wq); msleep(10); }` (drivers/md/md.c md_exit).",
    triggeringExamples: ProcPollExitExamples.triggering,
    nonTriggeringExamples: ProcPollExitExamples.nonTriggering)

  /// A module's proc_poll on a static waitqueue, removed without draining (P2).
  public static let scenario = BehaviourSummary(
    name: "procfs-module-static-poll", framework: .procfs,
    callbacks: [.open, .release, .read, .poll], canBeModule: true,
    poll: PollBehaviour(head: .moduleStatic, wakeUp: .wakeUp))

  /// Every `proc_ops`: the removals the rule reads are in the table's own file.
  public static let tierOne = TierOneRequirement(
    tableKinds: [.procOps], reach: TierOneRequirement.fixed(AnalysisDepth.horizon))

  public init() {}

  static let removers: Set<String> = [
    "remove_proc_entry", "proc_remove", "remove_proc_subtree", "proc_remove_subtree",
  ]
  static let waits: Set<String> = [
    "waitqueue_active", "msleep", "schedule_timeout", "schedule_timeout_uninterruptible",
    "schedule_timeout_interruptible", "prepare_to_wait_event", "schedule", "synchronize_rcu",
    "wq_has_sleeper", "ssleep", "usleep_range",
  ]

  public func check(_ context: RuleContext) -> [Finding] {
    let index = context.index
    var findings: [String: Finding] = [:]
    for table in index.tables where table.value.kind == .procOps {
      guard let poll = index.handler(table, field: "proc_poll") else { continue }
      let capability = context.canBeModule(table.path)
      for head in context.summaries.pollHeads(poll) {
        guard let owner = Self.owner(of: head, in: poll.value) else { continue }
        if owner == .moduleStatic, capability == false { continue }
        let removals = removalCalls(in: table.path, index: index)
        guard let removal = removals.first(where: { !drains($0, head: head) }) else { continue }
        let summary = BehaviourSummary(
          name: table.value.qualifiedName, framework: .procfs,
          callbacks: TableRoles.callbacks(of: table.value).union([.poll]),
          canBeModule: owner == .moduleStatic ? true : (capability ?? false),
          openAllocatesPriv: false, poll: PollBehaviour(head: owner, wakeUp: .wakeUp))
        guard
          let explanation = context.explain(
            summary, rule: Self.description, at: removal.call.location)
        else { continue }
        let known = capability == true || owner == .nodeData
        let headText = TableRoles.display(head.path)
        let storage = owner == .moduleStatic ? "module-static" : "the entry's own data"
        let waker = removal.function.value.calls.contains {
          $0.callee.contains("wake_up") && $0.location < removal.call.location
        }
        var notes = [
          Finding.Note(
            location: head.location,
            message: "\(poll.value.name) hands poll_wait() \(headText), \(storage)"),
          Finding.Note(
            location: table.value.location,
            message: "\(table.value.kind.cSpelling) \(table.value.qualifiedName) sets "
              + ".proc_poll = \(poll.value.name)"),
        ]
        for registration in index.registrations
        where registration.value.table == table.value.name && registration.path == table.path {
          notes.append(
            Finding.Note(
              location: registration.value.location,
              message: "created with \(registration.value.callee)()"))
        }
        notes += context.capabilityNotes(table.path)
        let message =
          "\(removal.function.value.name) removes the proc entry \(waker ? "after waking but " : "")"
          + "without waiting until no task sleeps on \(headText); procfs rundown does not wake "
          + "pollers, and the head (\(storage)) is freed under them"
          + (capability == nil && owner == .moduleStatic
            ? " (module capability unknown: a note until Kbuild answers)"
            : "")
        let finding = explanation.apply(
          to: Finding(
            ruleID: Self.description.id, severity: known ? .error : .note,
            confidence: known ? .moderate : .low, message: message,
            location: removal.call.location, notes: notes, fix: Self.description.fix,
            identity: Finding.Identity(
              rule: Self.description.id, table: table.value.qualifiedName,
              handler: poll.value.name, detail: headText)))
        findings[FindingSet.key(finding)] = findings[FindingSet.key(finding)] ?? finding
      }
    }
    return findings.values.sorted()
  }

  /// Who owns a polled head: a global is module data, a local read from `pde_data()` is the
  /// entry's. Heads in per-open state are `kernfs-poll-head-lifetime`'s.
  static func owner(of head: PolledHead, in poll: FunctionDefinition) -> PollBehaviour.HeadOwner? {
    if head.path.rootKind == .global { return .moduleStatic }
    guard head.path.rootKind == .local, head.chain.count == 1 else { return nil }
    let store = poll.stores.last {
      $0.target.rootKind == .local && $0.target.root == head.path.root
        && $0.target.fields.isEmpty && $0.location < head.location
    }
    guard let value = store?.value, value.rootKind == .call,
      ["pde_data", "PDE_DATA"].contains(value.root)
    else { return nil }
    return .nodeData
  }

  /// The calls that remove proc entries in the table's file.
  private func removalCalls(in path: String, index: FactIndex)
    -> [(function: Located<FunctionDefinition>, call: CallFact)]
  {
    guard let file = index.files.first(where: { $0.path == path }) else { return [] }
    let all = file.functions.flatMap { function in
      function.calls.filter { Self.removers.contains($0.callee) }.map {
        (function: Located(path: path, value: function), call: $0)
      }
    }
    // The exit path, not the error path of the function that creates the entry.
    let exits = all.filter { removal in
      !index.registrations.contains {
        $0.path == path && $0.value.enclosingFunction == removal.function.value.name
      }
    }
    return exits.isEmpty ? all : exits
  }

  /// Whether the removing function wakes the head's waiters and waits for them before removal.
  private func drains(
    _ removal: (function: Located<FunctionDefinition>, call: CallFact), head: PolledHead
  ) -> Bool {
    let before = removal.function.value.calls.filter { $0.location < removal.call.location }
    let wakes = before.contains { $0.callee.contains("wake_up") }
    let waits = before.contains { Self.waits.contains($0.callee) }
    return wakes && waits
  }
}
