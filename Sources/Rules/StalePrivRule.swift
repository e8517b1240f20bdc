import KernfsModel
import SeverCore

/// Flags a copy of `of->priv` used after active protection was broken (or after the lock that
/// serialises release was dropped) without being read again under that lock, and NULL checks of
/// `of->priv` that cannot see a release that frees without clearing the pointer (K5, K9, C3).
public struct StalePrivRule: Rule {
  public static let description = RuleDescription(
    id: "kernfs-stale-priv",
    name: "Stale of->priv After Breaking Active Protection",
    summary: "A copy of of->priv is used after active protection was broken or cgroup_mutex "
      + "was dropped, when removal may have released the file and freed it.",
    rationale: """
      An op runs under an active reference, so removal waits for it. `cgroup_kn_lock_live()` \
      and `kernfs_break_active_protection()` drop that reference (K9): from then on removal \
      can call `->release()`, which frees `of->priv` (C1). cgroup's remover holds \
      `cgroup_mutex`, so `of->priv` read under `cgroup_mutex` after the break is valid until the \
      mutex is dropped; a copy read before the break, or before an unlock, is stale (C3). \
      Re-checking `of->priv` for NULL only helps when release clears the pointer \
      (94a4acfec146 "cgroup/psi: Set of->priv to NULL upon file release"). This is \
      CVE-2026-52991, fixed by a5b98009f16d "sched/psi: fix race between file release and \
      pressure write".
      """,
    clauses: [.K5, .K9, .C3],
    commits: [
      "a5b98009f16d sched/psi: fix race between file release and pressure write",
      "94a4acfec146 cgroup/psi: Set of->priv to NULL upon file release",
    ],
    cves: ["CVE-2026-52991"],
    defaultSeverity: .error,
    confidence: .high,
    fix: "Read of->priv again after taking the lock the remover holds (cgroup_mutex), NULL-check "
      + "it, and make the release path set of->priv = NULL after freeing it (94a4acfec146).",
    triggeringExamples: StalePrivExamples.triggering,
    nonTriggeringExamples: StalePrivExamples.nonTriggering)

  /// Before a5b98009f16d: of->priv read, then cgroup_kn_lock_live, rmdir frees it (C3).
  public static let scenario = BehaviourSummary(
    name: "priv-race-2026", framework: .cgroup, callbacks: [.open, .release, .seqShow, .write],
    release: ReleaseBehaviour(freesPriv: true, clearsPriv: true),
    activeProtectionBreak: ActiveProtectionBreak(
      path: .write, rereadsUnderLock: false, nullChecks: false))

  /// The functions that break active protection sit in the files of kernfs and cgroup tables;
  /// the releases they pair with are read as deep as `frees` and `clearsPriv` look.
  public static let tierOne = TierOneRequirement(
    tableKinds: [.kernfsOps, .cftype], reach: TierOneRequirement.fixed(AnalysisDepth.horizon),
    filesSpelling: TierOneRequirement.severingWords)

  public init() {}

  static let breakers: Set<String> = ["cgroup_kn_lock_live", "kernfs_break_active_protection"]

  public func check(_ context: RuleContext) -> [Finding] {
    var findings: [Finding] = []
    let index = context.index
    for file in index.files {
      for function in file.functions
      where function.calls.contains(where: { Self.breakers.contains($0.callee) }) {
        let located = Located(path: file.path, value: function)
        if let finding = check(located, context: context) { findings.append(finding) }
      }
    }
    return findings
  }

  /// A point where a copy of `of->priv` stops being protected.
  private struct Transition {
    var location: SourceLocation
    var description: String
    /// Whether this point only breaks active protection while taking `cgroup_mutex` again
    /// (`cgroup_kn_lock_live`): then release can still run only for files that can be
    /// removed while the cgroup lives.
    var breaksOnly: Bool
  }

  private func check(_ function: Located<FunctionDefinition>, context: RuleContext) -> Finding? {
    let body = function.value
    let isPriv: (AccessPath) -> Bool = { path in
      let canonical = TableRoles.canonical(path, in: body)
      return canonical.root == "@kernfs_open_file" && canonical.fields == ["priv"]
        && !canonical.addressOf
    }
    var transitions: [Transition] = []
    for call in body.calls {
      let description: String
      switch call.callee {
      case "cgroup_kn_lock_live", "kernfs_break_active_protection":
        description = "\(call.callee)() breaks active protection"
      case "cgroup_unlock":
        description = "cgroup_unlock() drops cgroup_mutex, the lock that serialises release"
      case "mutex_unlock" where call.arguments.first?.root == "cgroup_mutex":
        description = "mutex_unlock(&cgroup_mutex) drops the lock that serialises release"
      default:
        continue
      }
      transitions.append(
        Transition(
          location: call.location, description: description,
          breaksOnly: call.callee == "cgroup_kn_lock_live"))
    }
    guard let firstBreak = transitions.first?.location else { return nil }
    let copies = body.stores.filter {
      $0.target.rootKind == .local && $0.target.fields.isEmpty
        && isPriv(PathAlgebra.resolvingLocals($0.value, in: body, before: $0.location))
    }
    var uses: [(name: String, location: SourceLocation)] = body.uses.map {
      ($0.path.root, $0.location)
    }
    uses += body.calls.flatMap { call in call.arguments.map { ($0.root, call.location) } }
    uses.sort { $0.location < $1.location }
    for use in uses where use.location > firstBreak {
      guard
        let copy = copies.last(where: { $0.target.root == use.name && $0.location < use.location })
      else { continue }
      guard
        let transition = transitions.last(where: {
          $0.location > copy.location && $0.location < use.location
        })
      else { continue }
      let nullCheck = body.conditions.first {
        guard let tested = $0.tested, $0.takenWhenNull else { return false }
        return $0.location > transition.location && $0.location < use.location && isPriv(tested)
      }
      let (releases, severable) = pairedReleases(of: function, index: context.index)
      // cgroup_kn_lock_live() returns with cgroup_mutex held and the cgroup alive: a file
      // removed only with its cgroup cannot have been released in between.
      if transition.breaksOnly && !severable { continue }
      let clears = releases.contains { context.summaries.clearsPriv($0) }
      if nullCheck != nil && clears { continue }
      return finding(
        function: function, copy: copy, use: use.location, transition: transition,
        nullCheck: nullCheck, releases: releases, context: context)
    }
    return nil
  }

  /// The release paths of the tables whose handlers reach `function` (for cftype, cgroup's
  /// wrapper that frees `of->priv`, and the entry's own release), and whether any of those
  /// files can be removed while its cgroup lives.
  private func pairedReleases(of function: Located<FunctionDefinition>, index: FactIndex)
    -> ([Located<FunctionDefinition>], Bool)
  {
    var result: [Located<FunctionDefinition>] = []
    var cftype = false
    var severable = false
    for table in index.tables where [.kernfsOps, .cftype].contains(table.value.kind) {
      let handlers = index.handlers(of: table)
      guard index.reachable(from: handlers, depth: 3).contains(function.key) else { continue }
      if let release = index.handler(table, field: "release") { result.append(release) }
      if table.value.kind == .cftype { cftype = true }
      severable = severable || Self.removableWhileLive(table, index: index)
    }
    if cftype {
      for dispatch in index.dispatches
      where dispatch.value.tableKind == .cftype && dispatch.value.field == "release" {
        if let name = dispatch.value.enclosingFunction,
          let wrapper = index.function(named: name, from: dispatch.path)
        {
          result.append(wrapper)
        }
      }
    }
    return (result, severable)
  }

  /// Whether the `struct cgroup_file` named by `.file_offset = offsetof(struct cgroup, m)` is
  /// ever hidden: some `cgroup_file_show()` call passes a path through member `m`.
  static func hidden(_ offset: String, index: FactIndex) -> Bool {
    guard let comma = offset.lastIndex(of: ",") else { return true }
    let member = offset[offset.index(after: comma)...].prefix {
      $0.isLetter || $0.isNumber || $0 == "_"
    }
    guard !member.isEmpty else { return true }
    return index.callSites(of: "cgroup_file_show").contains { site in
      site.call.arguments.first?.fields.contains(String(member)) ?? false
    }
  }

  /// Whether a file can be removed (severed) while its cgroup lives: any kernfs_ops file; a
  /// cftype whose `.file_offset` handle is hidden by `cgroup_file_show`; a controller's cftype
  /// (removed when the controller is disabled). cgroup's base files, set up with
  /// `cgroup_init_cftypes(NULL, …)`, go only with the cgroup (`cgroup_destroy_locked`).
  static func removableWhileLive(_ table: Located<CallbackTable>, index: FactIndex) -> Bool {
    guard table.value.kind == .cftype else { return true }
    if let offset = table.value.field("file_offset")?.value, hidden(offset, index: index) {
      return true
    }
    let base = index.callSites(of: "cgroup_init_cftypes").contains { site in
      site.call.arguments.count == 2 && site.call.arguments[0].isNull
        && site.call.arguments[1].root == table.value.name
    }
    return !base
  }

  private func finding(
    function: Located<FunctionDefinition>, copy: StoreFact, use: SourceLocation,
    transition: Transition, nullCheck: ConditionFact?, releases: [Located<FunctionDefinition>],
    context: RuleContext
  ) -> Finding? {
    let copyName = copy.target.root
    let summary = BehaviourSummary(
      name: function.value.name, framework: .cgroup,
      callbacks: [.open, .release, .write, .seqShow],
      release: ReleaseBehaviour(freesPriv: true, clearsPriv: false),
      activeProtectionBreak: ActiveProtectionBreak(
        path: .write, rereadsUnderLock: nullCheck != nil, nullChecks: nullCheck != nil))
    guard let explanation = context.explain(summary, rule: Self.description, at: use)
    else { return nil }
    var message =
      "\(copyName) (a copy of of->priv) is used after \(transition.description); removal may "
      + "have released the file and freed it"
    var notes = [
      Finding.Note(location: copy.location, message: "\(copyName) = of->priv here"),
      Finding.Note(location: transition.location, message: transition.description),
    ]
    if let nullCheck {
      message +=
        "; the NULL check '\(nullCheck.text)' cannot see it because release frees "
        + "of->priv without clearing it"
      notes.append(
        Finding.Note(
          location: nullCheck.location,
          message: "re-checks of->priv, which stays non-NULL after release"))
    }
    for release in releases
    where context.summaries.frees(release).contains(where: {
      TableRoles.canonical($0.path, in: release.value).fields == ["priv"]
    }) {
      notes.append(
        Finding.Note(
          location: release.value.location,
          message: "\(release.value.name) frees of->priv and does not set it to NULL"))
    }
    return explanation.apply(
      to: Finding(
        ruleID: Self.description.id, severity: .error, confidence: .high, message: message,
        location: use, notes: notes, fix: Self.description.fix,
        identity: Finding.Identity(
          rule: Self.description.id, handler: function.value.name, detail: copyName)))
  }
}
