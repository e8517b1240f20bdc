import KernfsModel
import Scan
import SeverCore

/// Flags a debugfs `poll` that hands `poll_wait` a waitqueue head inside the object the driver
/// passed to `debugfs_create_file` (`inode->i_private`): `debugfs_remove()` stops new calls, but
/// a task already sleeping in `select()`, `poll()` or epoll stays queued on the head, which the
/// driver frees after removal (D3, K6, K8, M3).
public struct DebugfsPollHeadRule: Rule {
  public static let description = RuleDescription(
    id: "debugfs-poll-head-lifetime",
    name: "debugfs Poll Head In The Removed Object",
    summary: "A debugfs poll waits on a head inside the object behind inode->i_private, which "
      + "the driver frees after debugfs_remove() while pollers may still be queued on it.",
    rationale: """
      debugfs brackets every proxied call with `debugfs_file_get()`/`debugfs_file_put()`, and \
      `debugfs_remove()` waits for those users, so after removal `poll` is no longer called \
      (`full_proxy_poll` returns `EPOLLHUP`). But it does not wake or dequeue the tasks already \
      sleeping in `select()`, `poll()` or epoll on a head the handler handed to `poll_wait()` \
      (contract §1.8, D3). When that head lives in the driver's object (the data given to \
      `debugfs_create_file`, `inode->i_private`, often copied to `file->private_data` at \
      open), the driver frees it at unbind or `rmmod` right after `debugfs_remove()`, and \
      `poll_freewait()` or `ep_remove_wait_queue()` later touches freed memory (K6). \
      `wake_up_pollfree()` helps epoll only (K8, M3). It is the PSI trigger bug in debugfs \
      (aff037078eca, CVE-2023-54019); the head must outlive the file, e.g. by the open taking \
      a reference on the object that the release drops.
      """,
    clauses: [.D3, .K6, .K8, .M3],
    commits: [
      "aff037078eca sched/psi: use kernfs polling functions for PSI trigger polling",
      "42288cb44c4b wait: add wake_up_pollfree()",
      "49d200deaa68 debugfs: prevent access to removed files' private data",
    ],
    cves: ["CVE-2023-54019"],
    defaultSeverity: .error,
    confidence: .moderate,
    fix: "Keep the object alive while the file is open: take a reference on it in open (kref, "
      + "refcount) and drop it in release, so the head outlives every poller; or poll on a head "
      + "that lives as long as the file.",
    triggeringExamples: DebugfsPollHeadExamples.triggering,
    nonTriggeringExamples: DebugfsPollHeadExamples.nonTriggering)

  /// A debugfs poll on a head in the removed object, freed while a poller waits (D3).
  public static let scenario = BehaviourSummary(
    name: "debugfs-poll-node-data", framework: .debugfs,
    callbacks: [.open, .release, .read, .poll],
    canBeModule: false, ownerPinned: true, poll: PollBehaviour(head: .nodeData, wakeUp: .wakeUp))

  /// A debugfs `file_operations` with a `.poll` of its own; its open, poll and release are read
  /// as deep as the poll-head and reference analyses look.
  public static let tierOne = TierOneRequirement(
    tableKinds: [.fileOperations],
    precondition: { table, file, _ in
      guard
        TierOneSelection.mayBeRegistered(table, in: file, through: TierOneSelection.debugfsWords)
      else { return false }
      if table.isOpaque { return true }
      guard let poll = table.field("poll") else { return false }
      return !TierOneSelection.isBuiltIn(poll)
    },
    fieldsRead: { _ in ["open", "poll", "release"] },
    reach: TierOneRequirement.fixed(1 + max(AnalysisDepth.pollHeads, AnalysisDepth.references)))

  public init() {}

  public func check(_ context: RuleContext) -> [Finding] {
    let index = context.index
    var findings = FindingSet()
    for registration in index.pinningRegistrations() where registration.path != .fileOperations {
      let table = registration.table
      guard let poll = index.handler(table, field: "poll"),
        !FactIndex.builtInHelpers.contains(poll.value.name),
        !registration.dataIsPermanent(index: index)
      else { continue }
      let open = index.handler(table, field: "open")
      let release = index.handler(table, field: "release")
      if case .pinned = ObjectPinning.verdict(open: open, release: release, context: context) {
        continue
      }
      var aliases = open.map(ObjectPinning.aliases) ?? [:]
      if let library = table.value.field("open")?.handler,
        let target = ObjectPinning.libraryOpens[library]
      {
        aliases[target] = ObjectPinning.privateObject
      }
      for head in context.summaries.pollHeads(poll) {
        let canonical = ObjectPinning.canonical(head.path, in: poll.value, aliases: aliases)
        guard PathAlgebra.lies(canonical, inside: ObjectPinning.privateObject) else { continue }
        guard let finding = makeFinding(registration, poll: poll, head: head, context: context)
        else { continue }
        findings.insert(
          finding,
          orNote: Finding.Note(
            location: table.value.location,
            message: "also the poll handler of \(table.value.qualifiedName)"))
      }
    }
    return findings.sorted
  }

  private func makeFinding(
    _ registration: PinningRegistration, poll: Located<FunctionDefinition>, head: PolledHead,
    context: RuleContext
  ) -> Finding? {
    let table = registration.table
    let summary = BehaviourSummary(
      name: table.value.qualifiedName, framework: .debugfs,
      callbacks: [.open, .release, .read, .poll], canBeModule: false, ownerPinned: true,
      poll: PollBehaviour(head: .nodeData, wakeUp: .wakeUp))
    guard let explanation = context.explain(summary, rule: Self.description, at: head.location)
    else { return nil }
    let headText = TableRoles.display(TableRoles.canonical(head.path, in: poll.value))
    var notes = [
      Finding.Note(
        location: table.value.location,
        message: "\(table.value.qualifiedName) sets .poll = \(poll.value.name)"),
      Finding.Note(
        location: registration.location,
        message: "registered with \(registration.callee)(): the object passed as data is "
          + "inode->i_private, and debugfs_remove() does not dequeue sleeping pollers"),
    ]
    if head.chain.count > 1 {
      notes.append(
        Finding.Note(
          location: poll.value.location,
          message: "poll handler: " + head.chain.joined(separator: " → ") + " → poll_wait"))
    }
    notes += context.capabilityNotes(table.path)
    return explanation.apply(
      to: Finding(
        ruleID: Self.description.id, severity: .error, confidence: .moderate,
        message: "\(poll.value.name) hands poll_wait() \(headText), inside the object behind "
          + "inode->i_private; debugfs_remove() stops new polls but leaves tasks in select(), "
          + "poll() or epoll queued on the head, which the driver frees after removal",
        location: head.location, notes: notes, fix: Self.description.fix,
        identity: Finding.Identity(
          rule: Self.description.id, handler: poll.value.name, detail: headText)))
  }
}
