import KernfsModel
import Scan
import SeverCore

/// Flags an `open` that allocates per-file state into `of->priv` or `file->private_data` when
/// no `release` frees it, and an `open` that can fail after the allocation without freeing it:
/// `release` is never called for a failed open (K11, K1, K5).
public struct OpenReleasePairingRule: Rule {
  public static let description = RuleDescription(
    id: "fops-open-release-pairing",
    name: "Open Allocation Not Paired With Release",
    summary: "An open allocates per-file state that no release frees, or fails after the "
      + "allocation without freeing it (release is not called when open fails).",
    rationale: """
      The expected pattern is that `open` allocates `of->priv` (kernfs) or \
      `file->private_data` (procfs, debugfs, character devices) and `release` frees it (K11, \
      K5). `release` runs once per successfully opened file, at the last close or, for \
      kernfs and procfs, at severing (K1, P1); nothing else frees the per-file state, so an \
      `open` without a matching free in `release` leaks once per open. If `open` fails, \
      `release` is not called at all: kernfs cancels the pending release \
      (`kernfs_unlink_open_file(kn, of, true)` in `kernfs_fop_open`), and `do_dentry_open` \
      drops the file without `->release`. An `open` that returns an error after storing an \
      allocation must free it itself. The kernfs contract was defined by 0e67db2f9fe9 \
      ("kernfs: add kernfs_ops->open/release() callbacks", 2014); cgroup's \
      `cgroup_file_open` shows the shape: allocate `ctx`, call `cft->open`, free `ctx` on error.
      """,
    clauses: [.K11, .K5, .K1],
    commits: ["0e67db2f9fe9 kernfs: add kernfs_ops->open/release() callbacks"],
    defaultSeverity: .warning,
    confidence: .moderate,
    fix: "Free the per-file state in release (kfree(file->private_data) / kfree(of->priv)), "
      + "and free it in open's error paths before returning the error.",
    triggeringExamples: OpenReleasePairingExamples.triggering,
    nonTriggeringExamples: OpenReleasePairingExamples.nonTriggering)

  /// The model enforces K11 (no release after a failed open); its closest scenario is the
  /// contract-following kernfs user whose open allocates and release frees.
  public static let scenario = BehaviourSummary(
    name: "kernfs-open-release", framework: .kernfs, callbacks: [.open, .release, .seqShow])

  /// An open (defined where tier 1 cannot see it, or naming the private pointer and an
  /// allocator) and its release, read as deep as `frees` looks.
  public static let tierOne = TierOneRequirement(
    tableKinds: [.kernfsOps, .fileOperations, .procOps],
    precondition: { table, file, definitions in
      if table.isOpaque { return true }
      guard let open = table.field(table.kind == .procOps ? "proc_open" : "open"),
        !TierOneSelection.isBuiltIn(open)
      else { return false }
      guard let name = open.handler else { return true }
      let bodies = definitions.functions(named: name, from: file.path)
      // An open defined where tier 1 cannot see it is kept; one that never names the
      // private pointer cannot store an allocation into it.
      return bodies.isEmpty
        || bodies.contains { body in
          (body.spells("private_data") || body.spells("priv"))
            && OpenReleasePairingRule.allocators.contains {
              body.spells($0) || body.spells($0 + "_noprof")
            }
        }
    },
    fieldsRead: { kind in kind == .procOps ? ["proc_open", "proc_release"] : ["open", "release"] },
    reach: TierOneRequirement.fixed(AnalysisDepth.horizon))

  public init() {}

  static let allocators: Set<String> = [
    "kmalloc", "kzalloc", "kcalloc", "kmalloc_array", "kvmalloc", "kvzalloc", "kvcalloc",
    "kmemdup", "kstrdup", "vmalloc", "vzalloc", "kmem_cache_alloc", "kmem_cache_zalloc",
    "kmalloc_node", "kzalloc_node", "kvmalloc_array", "kmemdup_nul", "vmalloc_user",
  ]
  static let openers: Set<String> = [
    "seq_open", "single_open", "single_open_size", "seq_open_private", "__seq_open_private",
    "kernfs_seq_open",
  ]

  /// Library calls an open may test whose failure happens before or without the allocation
  /// mattering (`nonseekable_open` never fails).
  static let infallible: Set<String> = ["nonseekable_open", "stream_open", "generic_file_open"]

  /// An allocation stored into the file's private pointer.
  struct Allocation {
    var store: StoreFact
    var allocator: String
    var local: String?
    var privPath: AccessPath
  }

  public func check(_ context: RuleContext) -> [Finding] {
    let index = context.index
    var findings: [String: Finding] = [:]
    for table in index.tables
    where [.kernfsOps, .fileOperations, .procOps].contains(table.value.kind) {
      let kind = table.value.kind
      let openField = kind == .procOps ? "proc_open" : "open"
      guard let open = index.handler(table, field: openField),
        !FactIndex.builtInHelpers.contains(open.value.name),
        !open.value.calls.contains(where: { Self.openers.contains($0.callee) }),
        let allocation = Self.allocation(in: open.value)
      else { continue }
      let release = index.handler(table, field: TableRoles.releaseField(kind))
      var found: [Finding] = []
      if let finding = releaseFinding(
        table, open: open, release: release, allocation: allocation, context: context)
      {
        found.append(finding)
      }
      if let finding = failureFinding(table, open: open, allocation: allocation, context: context) {
        found.append(finding)
      }
      for finding in found where findings[FindingSet.key(finding)] == nil {
        findings[FindingSet.key(finding)] = finding
      }
    }
    return findings.values.sorted()
  }

  /// The first store of an allocation into `of->priv` or `file->private_data`, directly or
  /// through a local.
  static func allocation(in open: FunctionDefinition) -> Allocation? {
    for store in open.stores {
      let target = TableRoles.canonical(store.target, in: open)
      let isPriv =
        (target.root == "@kernfs_open_file" && target.fields == ["priv"])
        || (target.root == "@file" && target.fields == ["private_data"])
      guard isPriv, !target.addressOf else { continue }
      if let name = allocator(of: store.value, at: store.location, in: open) {
        return Allocation(store: store, allocator: name, local: nil, privPath: target)
      }
      if store.value.rootKind == .local, store.value.fields.isEmpty,
        let source = open.stores.last(where: {
          $0.target.rootKind == .local && $0.target.root == store.value.root
            && $0.target.fields.isEmpty && $0.location < store.location
        }), let name = allocator(of: source.value, at: source.location, in: open)
      {
        return Allocation(
          store: store, allocator: name, local: store.value.root, privPath: target)
      }
    }
    return nil
  }

  /// The allocator a value comes from: `kzalloc(…)`; since 6.10 `kzalloc` is the statement
  /// expression `alloc_hooks(kzalloc_noprof(…))`, whose value has no path, so a call of an
  /// allocator on the store's line stands for it.
  static func allocator(
    of value: AccessPath, at location: SourceLocation, in body: FunctionDefinition
  ) -> String? {
    guard value.fields.isEmpty else { return nil }
    switch value.rootKind {
    case .call:
      let name = stripped(value.root)
      return allocators.contains(name) ? name : nil
    case .other:
      return body.calls.first {
        $0.location.line == location.line && $0.location.path == location.path
          && allocators.contains(stripped($0.callee))
      }.map { stripped($0.callee) }
    default:
      return nil
    }
  }

  /// An allocator's name without the `_noprof` suffix of allocation tagging.
  static func stripped(_ name: String) -> String {
    name.hasSuffix("_noprof") ? String(name.dropLast("_noprof".count)) : name
  }

  /// A release that does not free the allocation: missing, or never handing the pointer on.
  private func releaseFinding(
    _ table: Located<CallbackTable>, open: Located<FunctionDefinition>,
    release: Located<FunctionDefinition>?, allocation: Allocation, context: RuleContext
  ) -> Finding? {
    let privText = TableRoles.display(allocation.privPath)
    var releaseNote: Finding.Note?
    if let release {
      guard !FactIndex.builtInHelpers.contains(release.value.name) else { return nil }
      let freed = context.summaries.frees(release).map {
        TableRoles.canonical($0.path, in: release.value)
      }
      if freed.contains(where: { $0.hasPrefix(allocation.privPath) }) { return nil }
      // Any call or store that hands the pointer on may free it (a put, a list): undecided.
      if Self.mentions(allocation.privPath, in: release.value) { return nil }
      releaseNote = Finding.Note(
        location: release.value.location,
        message: "\(release.value.name) never frees or hands on \(privText)")
    }
    let kind = table.value.kind
    let field = TableRoles.releaseField(kind)
    let trace = StaticTrace.make(
      .K11,
      steps: [
        ("open(F1)", open.value.name, "\(privText) = \(allocation.allocator)(…)"),
        ("open_done(F1)", nil, "the file is open; its state is live"),
        (
          "last_fput(F1)", release?.value.name ?? "__fput",
          "\(release == nil ? "no .\(field)" : "release") leaves \(privText) allocated: it leaks "
            + "once per open"
        ),
      ],
      summary: "nothing frees the state \(open.value.name) allocates")
    var notes = [
      Finding.Note(
        location: table.value.location,
        message: "\(kind.cSpelling) \(table.value.qualifiedName) sets .\(field) = "
          + (release?.value.name ?? "nothing"))
    ]
    if let releaseNote { notes.append(releaseNote) }
    notes += context.capabilityNotes(table.path)
    let message =
      release == nil
      ? "\(open.value.name) allocates \(privText) but \(table.value.qualifiedName) has no "
        + ".\(field) to free it; the state leaks once per open"
      : "\(open.value.name) allocates \(privText) but \(release?.value.name ?? "") never frees it"
    return Finding(
      ruleID: Self.description.id, severity: release == nil ? .error : .warning,
      confidence: release == nil ? .high : .moderate, message: message,
      location: allocation.store.location, notes: notes, trace: trace, clauses: [.K11],
      fix: Self.description.fix,
      identity: Finding.Identity(
        rule: Self.description.id, table: table.value.qualifiedName, handler: open.value.name,
        detail: "release"))
  }

  /// An open that can fail after storing the allocation and frees nothing.
  private func failureFinding(
    _ table: Located<CallbackTable>, open: Located<FunctionDefinition>,
    allocation: Allocation, context: RuleContext
  ) -> Finding? {
    let body = open.value
    let after = allocation.store.location
    let privText = TableRoles.display(allocation.privPath)
    let cleanup = body.calls.contains { call in
      call.location > after
        && call.arguments.contains {
          Self.designates($0, allocation: allocation, in: body, before: call.location)
        }
        && Self.isCleanup(call.callee, index: context.index, from: open)
    }
    guard !cleanup else { return nil }
    // Results of calls made after the allocation, then tested: the usual `ret = f(); if (ret)`.
    let results = Set(
      body.stores.filter {
        $0.location > after && $0.target.rootKind == .local && $0.target.fields.isEmpty
          && $0.value.rootKind == .call && !FactIndex.builtInHelpers.contains($0.value.root)
          && !Self.infallible.contains($0.value.root)
      }.map(\.target.root))
    guard
      let failure = body.conditions.first(where: { condition in
        guard condition.location > after else { return false }
        if let tested = condition.tested,
          Self.designates(tested, allocation: allocation, in: body, before: condition.location)
        {
          return false
        }
        return !results.isDisjoint(with: condition.text.identifiers)
          && Self.leadsToFailingExit(condition, in: body)
      })
    else { return nil }
    let trace = StaticTrace.make(
      .K11,
      steps: [
        ("open(F1)", body.name, "\(privText) = \(allocation.allocator)(…)"),
        ("open_fails(F1)", body.name, "open returns an error after `if (\(failure.text))`"),
        (
          "release not called",
          table.value.kind == .kernfsOps ? "kernfs_fop_open" : "do_dentry_open",
          "no release is owed for a failed open: \(privText) is left behind"
        ),
      ],
      summary: "\(body.name) fails after allocating \(privText) and does not free it")
    return Finding(
      ruleID: Self.description.id, severity: .warning, confidence: .low,
      message: "\(body.name) can fail at `if (\(failure.text))` after allocating \(privText) "
        + "and frees nothing; release is not called when open fails",
      location: failure.location,
      notes: [
        Finding.Note(
          location: allocation.store.location, message: "allocated here (\(allocation.allocator))"),
        Finding.Note(
          location: table.value.location,
          message: "\(table.value.kind.cSpelling) \(table.value.qualifiedName) sets .open = "
            + body.name),
      ] + context.capabilityNotes(table.path), trace: trace, clauses: [.K11],
      fix: Self.description.fix,
      identity: Finding.Identity(
        rule: Self.description.id, table: table.value.qualifiedName, handler: body.name,
        detail: "failure"))
  }

  /// Whether one branch of a condition leaves the function with what may be an error: a
  /// `return` of an error or of a variable, or a `goto` to the unwinding labels. A test whose
  /// branches both fall through to `return 0;` (`if (!IS_ERR(entry)) {…}`, `if (err >= 0) {…}`)
  /// is not a way for open to fail.
  static func leadsToFailingExit(_ condition: ConditionFact, in body: FunctionDefinition) -> Bool {
    let branches: Set<String> = [condition.text, "!(\(condition.text))"]
    return body.exits.contains { exit in
      exit.mayFail && exit.location > condition.location
        && exit.guards.contains(where: branches.contains)
    }
  }

  /// Whether a path is the allocation: the private pointer itself or the local it came from.
  static func designates(
    _ path: AccessPath, allocation: Allocation, in body: FunctionDefinition,
    before location: SourceLocation
  ) -> Bool {
    if let local = allocation.local, path.rootKind == .local, path.root == local { return true }
    let resolved = TableRoles.canonical(
      PathAlgebra.resolvingLocals(path, in: body, before: location), in: body)
    return resolved.hasPrefix(allocation.privPath)
  }

  /// Whether a callee can release what it is given: a free, or a helper named like one.
  static func isCleanup(
    _ callee: String, index: FactIndex, from open: Located<FunctionDefinition>
  ) -> Bool {
    if FunctionSummaries.freeFunctions[callee] != nil { return true }
    let lowered = callee.lowercased()
    return ["free", "put", "release", "destroy", "cleanup", "del", "close", "exit"].contains {
      lowered.contains($0)
    }
  }

  /// Whether `release` passes the private pointer (or something inside it) to any call, or
  /// stores it anywhere.
  static func mentions(_ priv: AccessPath, in release: FunctionDefinition) -> Bool {
    let hit: (AccessPath, SourceLocation) -> Bool = { path, location in
      let resolved = TableRoles.canonical(
        PathAlgebra.resolvingLocals(path, in: release, before: location), in: release)
      return resolved.hasPrefix(priv)
    }
    return release.calls.contains { call in call.arguments.contains { hit($0, call.location) } }
      || release.stores.contains { store in
        store.target.rootKind != .local && hit(store.value, store.location)
      }
  }
}

extension String {
  /// The C identifiers in the text.
  fileprivate var identifiers: Set<String> {
    Set(
      split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).map(String.init))
  }

}
