import KernfsModel
import SeverCore

/// Flags a poll handler of a severing filesystem (kernfs, cgroup cftype, procfs) that hands
/// `poll_wait` a waitqueue head inside an object the paired `release` frees. kernfs and procfs
/// call `release` at removal while `select()`/`poll()`/epoll still hold the head, and
/// `wake_up_pollfree` before the free only detaches epoll (K6, K8, C2, P2).
public struct PollHeadLifetimeRule: Rule {
  public static let description = RuleDescription(
    id: "kernfs-poll-head-lifetime",
    name: "Poll Head Freed By Release",
    summary: "A poll handler waits on a head inside an object that release frees; removal calls "
      + "release while pollers still hold the head.",
    rationale: """
      kernfs severs open files: `kernfs_drain_open_files` calls `->release()` for every open \
      file when the node is removed (contract K1), while the `struct file` and any \
      `poll_table_entry` of a task in `select()` or epoll live on. A head handed to \
      `poll_wait()` must outlive the file (K6): `on->poll` through `kernfs_generic_poll` does. \
      A head inside an object that `release` frees is touched by `poll_freewait()` or \
      `ep_remove_wait_queue()` after the free. `wake_up_pollfree()` before the free covers \
      epoll only, not `poll_freewait()` (K8). cgroup's `cgroup_file_release` frees `of->priv` \
      at `rmdir` (C1, C2); procfs `close_pdeo` calls `proc_release` at `remove_proc_entry` (P1, \
      P2). This is the PSI trigger bug: 0e94682b73bf introduced it, c2dbe32d5db5 \
      (CVE-2023-52707) covered epoll with `wake_up_pollfree`, aff037078eca (CVE-2023-54019) \
      fixed it by polling through kernfs.
      """,
    clauses: [.K6, .K8, .C2, .P2, .D3],
    commits: [
      "aff037078eca sched/psi: use kernfs polling functions for PSI trigger polling",
      "c2dbe32d5db5 sched/psi: Fix use-after-free in ep_remove_wait_queue()",
      "a06247c6804f psi: Fix uaf issue when psi trigger is destroyed while being polled",
      "147e1a97c4a0 fs: kernfs: add poll file operation",
    ],
    cves: ["CVE-2023-52707", "CVE-2023-54019"],
    defaultSeverity: .error,
    confidence: .high,
    fix: "Poll through kernfs_generic_poll(of, pt) and wake with kernfs_notify(of->kn) "
      + "(cgroup_file_notify for cgroup files): the framework's on->poll lives until the last "
      + "close. For procfs, wake and drain the waiters before remove_proc_entry.",
    triggeringExamples: PollHeadLifetimeExamples.triggering,
    nonTriggeringExamples: PollHeadLifetimeExamples.nonTriggering)

  /// PSI before aff037078eca: the trigger's head freed at rmdir while select() waits (K8).
  public static let scenario = BehaviourSummary(
    name: "psi-select-2023", framework: .cgroup,
    callbacks: [.open, .release, .seqShow, .write, .poll],
    release: ReleaseBehaviour(freesPriv: true, clearsPriv: false),
    poll: PollBehaviour(head: .priv, wakeUp: .wakeUpPollfree))

  /// Every kernfs, cftype and procfs table, and the framework files that dispatch and remove
  /// them; the release and poll analyses read as deep as `AnalysisDepth` allows.
  public static let tierOne = TierOneRequirement(
    tableKinds: [.kernfsOps, .cftype, .procOps],
    reach: TierOneRequirement.fixed(AnalysisDepth.horizon),
    filesSpelling: TierOneRequirement.severingWords)

  public init() {}

  public func check(_ context: RuleContext) -> [Finding] {
    var findings = FindingSet()
    let index = context.index
    for table in index.tables
    where [.kernfsOps, .cftype, .procOps].contains(table.value.kind) {
      let kind = table.value.kind
      guard let poll = index.handler(table, field: TableRoles.pollField(kind)) else { continue }
      let released = releasedObjects(of: table, context: context)
      guard !released.isEmpty else { continue }
      if kind == .procOps, !procEntryCanBeRemoved(table, context: context) { continue }
      let handlers = index.handlers(of: table)
      let reachable = index.reachable(from: handlers)
      for head in context.summaries.pollHeads(poll) {
        let headPath = TableRoles.canonical(head.path, in: poll.value)
        var undecided = false
        let blocked = head.requirements.contains { requirement in
          var canonical = requirement
          canonical.path = TableRoles.canonical(requirement.path, in: poll.value)
          let verdict = index.canHold(canonical, reachable: reachable)
          if verdict == nil { undecided = true }
          return verdict == false
        }
        guard !blocked,
          let freed = released.first(where: { PathAlgebra.lies(headPath, inside: $0.path) })
        else { continue }
        guard
          let finding = makeFinding(
            table: table, poll: poll, head: head, headPath: headPath, freed: freed,
            undecided: undecided, context: context)
        else { continue }
        findings.insert(
          finding,
          orNote: Finding.Note(
            location: table.value.location,
            message: "also the poll handler of \(kind.cSpelling) \(table.value.qualifiedName)"))
      }
    }
    return findings.sorted
  }

  /// What the paired release frees, in canonical terms: the table's own release handler, and
  /// for cftype the cgroup wrapper that frees `of->priv` after calling `cft->release`.
  private func releasedObjects(of table: Located<CallbackTable>, context: RuleContext)
    -> [ReleasedObject]
  {
    let index = context.index
    var result: [ReleasedObject] = []
    let kind = table.value.kind
    if let release = index.handler(table, field: TableRoles.releaseField(kind)) {
      result += context.summaries.frees(release).map {
        ReleasedObject(
          path: TableRoles.canonical($0.path, in: release.value), freed: $0,
          release: release.value.name)
      }
    }
    if kind == .cftype {
      let wrappers = index.dispatches.filter {
        $0.value.tableKind == .cftype && $0.value.field == "release"
      }
      var found = false
      for wrapper in wrappers {
        guard let name = wrapper.value.enclosingFunction,
          let function = index.function(named: name, from: wrapper.path)
        else { continue }
        found = true
        result += context.summaries.frees(function).map {
          ReleasedObject(
            path: TableRoles.canonical($0.path, in: function.value), freed: $0,
            release: name)
        }
      }
      if !found {
        // cgroup's own wrapper was not among the inputs: the contract says it frees of->priv
        // (cgroup_file_release, kernel/cgroup/cgroup.c; C1).
        let priv = AccessPath(
          root: "@kernfs_open_file", rootKind: .parameter, fields: ["priv"],
          recordTags: ["kernfs_open_file"], arrows: [true])
        result.append(ReleasedObject(path: priv, freed: nil, release: "cgroup_file_release"))
      }
    }
    return result
  }

  /// A procfs entry is severed only if something removes it: a removal call in its file, or
  /// module code, whose exit must remove it.
  private func procEntryCanBeRemoved(_ table: Located<CallbackTable>, context: RuleContext)
    -> Bool
  {
    if context.canBeModule(table.path) == true { return true }
    let removers: Set<String> = [
      "remove_proc_entry", "proc_remove", "remove_proc_subtree", "proc_remove_subtree",
    ]
    return context.index.files.first { $0.path == table.path }?.functions.contains { function in
      function.calls.contains { removers.contains($0.callee) }
    } ?? false
  }

  private func makeFinding(
    table: Located<CallbackTable>, poll: Located<FunctionDefinition>, head: PolledHead,
    headPath: AccessPath, freed: ReleasedObject, undecided: Bool, context: RuleContext
  ) -> Finding? {
    let kind = table.value.kind
    guard let framework = TableRoles.framework(kind) else { return nil }
    let index = context.index
    let releaseFunction = index.handler(table, field: TableRoles.releaseField(kind))
    let pollfree =
      releaseFunction.map { index.calls(["wake_up_pollfree", "__wake_up_pollfree"], from: $0) }
      ?? false
    let canBeModule = context.canBeModule(table.path) ?? false
    let summary = BehaviourSummary(
      name: table.value.qualifiedName, framework: framework,
      callbacks: TableRoles.callbacks(of: table.value).union([.poll, .release]),
      canBeModule: canBeModule, openAllocatesPriv: true,
      release: ReleaseBehaviour(freesPriv: true, clearsPriv: false),
      poll: PollBehaviour(head: .priv, wakeUp: pollfree ? .wakeUpPollfree : .wakeUp))
    guard let explanation = context.explain(summary, rule: Self.description, at: head.location)
    else { return nil }
    let headText = TableRoles.display(headPath)
    let freedText = TableRoles.display(freed.path)
    let chain = freed.freed.map { $0.chain.joined(separator: " → ") + " → " + $0.callee }
    let message =
      "\(poll.value.name) hands poll_wait() \(headText), inside the object \(freedText) that "
      + "\(freed.release) frees; removal calls release while select()/poll()/epoll still hold "
      + "the head" + (pollfree ? " (wake_up_pollfree covers epoll only)" : "")
    var notes = [
      Finding.Note(
        location: table.value.location,
        message:
          "\(kind.cSpelling) \(table.value.qualifiedName) pairs .\(TableRoles.pollField(kind)) = "
          + "\(poll.value.name) with a release that frees \(freedText)"),
      Finding.Note(
        location: poll.value.location,
        message: "poll handler: " + head.chain.joined(separator: " → ") + " → poll_wait"),
    ]
    if let freedObject = freed.freed, let chain {
      notes.append(Finding.Note(location: freedObject.location, message: "freed here: \(chain)"))
    }
    for registration in index.registrations where registration.value.table == table.value.name {
      notes.append(
        Finding.Note(
          location: registration.value.location,
          message: "registered with \(registration.value.callee)()"))
    }
    notes += context.capabilityNotes(table.path)
    let identity = Finding.Identity(
      rule: Self.description.id, handler: poll.value.name, detail: headText)
    return explanation.apply(
      to: Finding(
        ruleID: Self.description.id, severity: .error, confidence: undecided ? .moderate : .high,
        message: message, location: head.location, notes: notes, fix: Self.description.fix,
        identity: identity))
  }
}

/// An object freed on the release path, with the release function that frees it.
struct ReleasedObject {
  var path: AccessPath
  var freed: FreedObject?
  var release: String
}
