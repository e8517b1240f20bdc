import KernfsModel
import SeverCore

/// Flags framework code that calls a callback of a severing table (kernfs_ops, cftype,
/// proc_ops) where `->release()` may already have run for that file: from the VFS's last-fput
/// `release` (the rejected `kernfs_ops.free` of 2023), or under an active reference that does not
/// refuse released files (`kernfs_get_active` instead of `kernfs_get_active_of`, fixed by
/// 3c9ba2777d6c) (K2, K4, K13, C4).
public struct CallAfterReleaseRule: Rule {
  public static let description = RuleDescription(
    id: "kernfs-call-after-release",
    name: "Callback Called After Release",
    summary: "Framework code calls a table callback at a point where release may already have "
      + "run and the module behind the table may be gone.",
    rationale: """
      Once `->release()` ran, the code behind the ops may be unloaded (K4): "The contract is \
      that once ->release() is called, the code backing that file can go away (e.g. rmmod'd)" \
      (Tejun Heo on the proposed `kernfs_ops.free`, msgid ZJuSzlHfbLj3OjvM@slm.duckdns.org). \
      A callback invoked from the last `fput()` runs after severing and possibly after rmmod: \
      "We'd be calling into rmmod'd text pages in no time"; it is only safe while every table \
      defining it is built in (C4 for cftype). And kernfs must not call an op on a released \
      file (K2): `kernfs_get_active()` succeeds again after `kernfs_show(kn, true)`, so ops must \
      be guarded by `kernfs_get_active_of()`, which refuses released files (K13; 3c9ba2777d6c, \
      the 2025 PSI poll UAF).
      """,
    clauses: [.K2, .K4, .K13, .C4],
    commits: [
      "3c9ba2777d6c kernfs: Fix UAF in polling when open file is released",
      "0e67db2f9fe9 kernfs: add kernfs_ops->open/release() callbacks",
      "lore 20230626201713.1204982-1-surenb@google.com kernfs: add kernfs_ops.free (rejected)",
    ],
    defaultSeverity: .error,
    confidence: .high,
    fix: "Do not add hooks called at last fput; tear everything down in ->release() and let "
      + "the framework own what must outlive it (kernfs_generic_poll/kernfs_notify). Guard op "
      + "dispatch with kernfs_get_active_of(of), never kernfs_get_active(of->kn).",
    triggeringExamples: CallAfterReleaseExamples.triggering,
    nonTriggeringExamples: CallAfterReleaseExamples.nonTriggering)

  /// Suren's v1 `kernfs_ops.free` in module code: called at last fput after rmmod (K4).
  public static let scenario = BehaviourSummary(
    name: "kernfs-ops-free", framework: .kernfs,
    callbacks: [.open, .release, .seqShow, .write, .poll],
    canBeModule: true, release: ReleaseBehaviour(freesPriv: false),
    poll: PollBehaviour(head: .priv, wakeUp: .wakeUp), lateCallback: .atLastFput)

  /// The dispatch sites are in the framework files of the severing tables; the last-fput
  /// search starts at every `file_operations.release` that can reach one.
  public static let tierOne = TierOneRequirement(
    tableKinds: [.kernfsOps, .cftype, .procOps],
    reach: TierOneRequirement.fixed(AnalysisDepth.horizon),
    filesSpelling: TierOneRequirement.severingWords,
    lastFputSearch: TierOneRequirement.LastFputSearch(
      tableKinds: [.kernfsOps, .cftype, .procOps], search: AnalysisDepth.reach + 1,
      reach: AnalysisDepth.reach))

  public init() {}

  public func check(_ context: RuleContext) -> [Finding] {
    lateDispatches(context) + unguardedDispatches(context)
  }

  /// Dispatches reachable from a `file_operations.release` (the VFS's last fput) of a field
  /// other than the table's own release, and then everything those callbacks dispatch.
  private func lateDispatches(_ context: RuleContext) -> [Finding] {
    let index = context.index
    let severing: Set<TableKind> = [.kernfsOps, .cftype, .procOps]
    var lastFput = index.tables.filter { $0.value.kind == .fileOperations }.compactMap {
      index.handler($0, field: "release")
    }
    var lateFunctions = index.reachable(from: lastFput)
    var findings: [String: Finding] = [:]
    var seenFields: Set<String> = []
    // Each round follows the callbacks found late in the previous one (kernfs_ops.free →
    // cgroup_file_free → cft->free).
    for _ in 0..<3 {
      var next: [Located<FunctionDefinition>] = []
      for dispatch in index.dispatches {
        let site = dispatch.value
        guard severing.contains(site.tableKind),
          site.field != TableRoles.releaseField(site.tableKind),
          let enclosing = site.enclosingFunction,
          let function = index.function(named: enclosing, from: dispatch.path),
          lateFunctions.contains(function.key),
          seenFields.insert("\(site.tableKind.rawValue).\(site.field)").inserted
        else { continue }
        let defining = index.tables.filter {
          $0.value.kind == site.tableKind && $0.value.field(site.field)?.handler != nil
        }
        next += defining.compactMap { index.handler($0, field: site.field) }
        if let finding = lateFinding(dispatch, defining: defining, context: context) {
          findings[FindingSet.key(finding)] = finding
        }
      }
      guard !next.isEmpty else { break }
      lastFput = next
      lateFunctions = lateFunctions.union(index.reachable(from: next))
    }
    return findings.values.sorted()
  }

  private func lateFinding(
    _ dispatch: Located<DispatchSite>, defining: [Located<CallbackTable>], context: RuleContext
  ) -> Finding? {
    let site = dispatch.value
    let moduleTables = defining.filter { context.canBeModule($0.path) == true }
    let framework: Framework = site.tableKind == .cftype ? .cgroup : .kernfs
    let summary = BehaviourSummary(
      name: "\(site.tableKind.rawValue).\(site.field)", framework: framework,
      callbacks: [.open, .release, .seqShow], canBeModule: true, lateCallback: .atLastFput)
    guard
      let explanation = context.explain(summary, rule: Self.description, at: site.location)
    else { return nil }
    let severity: Severity = moduleTables.isEmpty && !defining.isEmpty ? .warning : .error
    var message =
      "\(site.expression)() is called from the last fput, after removal may already have "
      + "called ->release() and the module behind the table may be unloaded"
    if defining.isEmpty {
      message += "; no table sets .\(site.field) yet, and any module that does will crash"
    } else if moduleTables.isEmpty {
      message += "; safe only while every table setting .\(site.field) is built in"
    }
    var notes: [Finding.Note] = []
    if let enclosing = site.enclosingFunction,
      let function = context.index.function(named: enclosing, from: dispatch.path)
    {
      notes.append(
        Finding.Note(
          location: function.value.location,
          message: "\(enclosing) runs at the last fput (reached from a file_operations.release)"))
    }
    notes += defining.prefix(6).map {
      Finding.Note(
        location: $0.value.location,
        message: "\($0.value.kind.cSpelling) \($0.value.qualifiedName) sets .\(site.field)"
          + (context.canBeModule($0.path) == true ? " in module-capable code" : ""))
    }
    notes += moduleTables.prefix(1).flatMap { context.capabilityNotes($0.path) }
    let finding = Finding(
      ruleID: Self.description.id, severity: severity, confidence: .high, message: message,
      location: site.location, notes: notes, fix: Self.description.fix,
      identity: Finding.Identity(
        rule: Self.description.id, table: site.tableKind.rawValue, field: site.field,
        detail: "last-fput"))
    return explanation.apply(to: finding)
  }

  /// kernfs op dispatches in functions that take `kernfs_get_active()` and never
  /// `kernfs_get_active_of()`: the op can run on a released file after a re-show.
  private func unguardedDispatches(_ context: RuleContext) -> [Finding] {
    let index = context.index
    var findings: [Finding] = []
    // Every table reachable from the open file counts: the kernfs_ops, and the vm_ops of the
    // user's mmap that kernfs keeps in of->vm_ops and calls from its own vm_ops (6.1's
    // kernfs_vma_set_policy/get_policy, still guarded by kernfs_get_active(of->kn)).
    for dispatch in index.dispatches
    where [.kernfsOps, .vmOperations].contains(dispatch.value.tableKind) {
      let site = dispatch.value
      guard site.field != "release", let name = site.enclosingFunction,
        let function = index.function(named: name, from: dispatch.path)
      else { continue }
      let callees = Set(function.value.calls.map(\.callee))
      guard callees.contains("kernfs_get_active"), !callees.contains("kernfs_get_active_of")
      else { continue }
      let callback =
        site.tableKind == .vmOperations
        ? .mmap : TableRoles.callback(forField: site.field) ?? .read
      let summary = BehaviourSummary(
        name: "\(site.tableKind.rawValue).\(site.field)", framework: .cgroup,
        callbacks: [.open, .release, callback == .poll ? .poll : callback],
        releasedFileCheck: false)
      guard
        let explanation = context.explain(summary, rule: Self.description, at: site.location)
      else { continue }
      let guardCall = function.value.calls.first { $0.callee == "kernfs_get_active" }
      var notes: [Finding.Note] = []
      if let guardCall {
        notes.append(
          Finding.Note(
            location: guardCall.location,
            message: "kernfs_get_active() succeeds again once kernfs_show(kn, true) re-activates "
              + "the node, even for files already released"))
      }
      let finding = Finding(
        ruleID: Self.description.id, severity: .error, confidence: .moderate,
        message: "\(site.expression)() is guarded only by kernfs_get_active(), which does not "
          + "refuse a released file; use kernfs_get_active_of(of)",
        location: site.location, notes: notes, fix: Self.description.fix,
        identity: Finding.Identity(
          rule: Self.description.id, handler: name, field: site.field,
          detail: "kernfs_get_active"))
      findings.append(explanation.apply(to: finding))
    }
    return findings
  }
}
