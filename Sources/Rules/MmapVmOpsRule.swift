import KernfsModel
import Scan
import SeverCore

/// Flags a kernfs `mmap` or sysfs `bin_attribute.mmap` that installs `vm_ops` with `->close`
/// (kernfs rejects the mapping: K14, S2) or replaces `vma->vm_file` (the mapping escapes
/// severing: K16).
public struct MmapVmOpsRule: Rule {
  public static let description = RuleDescription(
    id: "kernfs-mmap-vm-ops",
    name: "kernfs mmap Installs close Or Replaces vm_file",
    summary: "A kernfs or sysfs bin_attribute mmap installs vm_ops with ->close, which kernfs "
      + "rejects, or replaces vma->vm_file, which lets the mapping escape severing.",
    rationale: """
      kernfs severs mappings: `kernfs_fop_mmap` (fs/kernfs/file.c) wraps `vma->vm_ops` in \
      `kernfs_vm_ops`, which take an active reference around `open`, `fault`, \
      `page_mkwrite` and `access` (K14), and removal zaps every mapping of the node with \
      `unmap_mapping_range()` so later faults get SIGBUS (K15). A `->close` cannot be wrapped \
      that way: it runs at `munmap()`, after severing and possibly after rmmod, so \
      `kernfs_fop_mmap` refuses any mmap whose resulting vm_ops has `->close` with -EINVAL \
      (K14; sysfs S2): such a `bin_attribute.mmap` never works. And when `ops->mmap` replaces \
      `vma->vm_file` (PowerPC's legacy_mem maps shmem), kernfs leaves the vma unwrapped and \
      the zap at removal does not reach it: the mapping and its vm_ops outlive the node and, \
      for a module, the module (K16). PCI resource files revoke mappings through \
      `bin_attribute.f_mapping` instead (contract §3 #12).
      """,
    clauses: [.K14, .K16, .S2],
    commits: [
      "0e67db2f9fe9 kernfs: add kernfs_ops->open/release() callbacks",
      "147e1a97c4a0 fs: kernfs: add poll file operation",
    ],
    defaultSeverity: .error,
    confidence: .high,
    fix: "Drop ->close (do per-mapping teardown in ->release, which kernfs calls at severing), "
      + "and map the kernfs file itself (or revoke through bin_attribute.f_mapping) instead of "
      + "replacing vma->vm_file.",
    triggeringExamples: MmapVmOpsExamples.triggering,
    nonTriggeringExamples: MmapVmOpsExamples.nonTriggering)

  /// The model has no mmap state (K14-K16 are checked statically); the closest modelled
  /// consequence is a callback from the table after severing and rmmod (K4).
  public static let scenario = BehaviourSummary(
    name: "kernfs-mmap-close", framework: .kernfs, callbacks: [.open, .release, .mmap],
    canBeModule: true, release: ReleaseBehaviour(freesPriv: false), lateCallback: .atLastFput)

  /// A kernfs or bin_attribute table with an `.mmap` (or one tier 1 cannot read).
  public static let tierOne = TierOneRequirement(
    tableKinds: [.kernfsOps, .binAttribute],
    precondition: { table, _, _ in table.isOpaque || table.field("mmap") != nil },
    reach: TierOneRequirement.fixed(AnalysisDepth.horizon))

  public init() {}

  public func check(_ context: RuleContext) -> [Finding] {
    let index = context.index
    var findings: [String: Finding] = [:]
    for table in index.tables where [.kernfsOps, .binAttribute].contains(table.value.kind) {
      guard let mmap = index.handler(table, field: "mmap") else { continue }
      let reachable = index.reachable(from: [mmap], depth: 3)
      for key in reachable.sorted() {
        guard let function = index.functionByKey(key) else { continue }
        for finding in closeFindings(table, mmap: mmap, in: function, context: context)
          + fileFindings(table, mmap: mmap, in: function, context: context)
        where findings[FindingSet.key(finding)] == nil {
          findings[FindingSet.key(finding)] = finding
        }
      }
    }
    return findings.values.sorted()
  }

  /// `vma->vm_ops = &ops` where `ops` sets `.close` (K14).
  private func closeFindings(
    _ table: Located<CallbackTable>, mmap: Located<FunctionDefinition>,
    in function: Located<FunctionDefinition>, context: RuleContext
  ) -> [Finding] {
    function.value.stores.compactMap { store in
      guard store.target.fields.last == "vm_ops",
        store.target.recordTags.last == "vm_area_struct", store.value.rootKind == .global,
        let ops = context.index.table(
          named: store.value.root, kind: .vmOperations, from: function.path),
        let close = ops.value.field("close"), close.handler != nil
      else { return nil }
      let trace = StaticTrace.make(
        .K14,
        steps: [
          (
            "mmap(F1)", "kernfs_fop_mmap",
            "\(mmap.value.name) sets vma->vm_ops = &\(ops.value.name), which has ->close"
          ),
          (
            "check(vm_ops->close)", "kernfs_fop_mmap",
            "kernfs refuses the mapping with -EINVAL: ->close would run at munmap, after "
              + "severing and possibly in unloaded text (K4)"
          ),
        ],
        summary: "every mmap of \(table.value.qualifiedName) fails, because its vm_ops has ->close")
      return finding(
        table, mmap: mmap, location: store.location, trace: trace, severity: .error,
        message: "\(function.value.name) installs \(ops.value.name), whose .close = "
          + "\(close.handler ?? "?"); kernfs_fop_mmap rejects vm_ops with ->close (-EINVAL), "
          + "because ->close would run after severing",
        extra: Finding.Note(
          location: ops.value.location, message: "\(ops.value.name) sets .close"),
        key: "close", context: context)
    }
  }

  /// `vma->vm_file = f` or `vma_set_file(vma, f)` (K16).
  private func fileFindings(
    _ table: Located<CallbackTable>, mmap: Located<FunctionDefinition>,
    in function: Located<FunctionDefinition>, context: RuleContext
  ) -> [Finding] {
    let stores = function.value.stores.filter {
      $0.target.fields.last == "vm_file" && $0.target.recordTags.last == "vm_area_struct"
    }.map(\.location)
    let calls = function.value.calls.filter { $0.callee == "vma_set_file" }.map(\.location)
    guard let location = (stores + calls).min() else { return [] }
    let module = context.canBeModule(table.path)
    let trace = StaticTrace.make(
      .K16,
      steps: [
        (
          "mmap(F1)", "kernfs_fop_mmap",
          "\(mmap.value.name) replaces vma->vm_file; kernfs leaves the vma unwrapped"
        ),
        (
          "sever(N)", "kernfs_drain_open_files",
          "unmap_mapping_range() zaps the node's own mapping only"
        ),
        (
          "fault(vma)", "vm_ops->fault",
          "the mapping outlives removal"
            + (module == true ? " and the module's text" : "") + ": severing never reached it"
        ),
      ],
      summary: "a mapping of \(table.value.qualifiedName) escapes severing")
    return [
      finding(
        table, mmap: mmap, location: location, trace: trace,
        severity: module == true ? .error : .warning,
        message: "\(function.value.name) replaces vma->vm_file; kernfs does not wrap such a "
          + "vma and removal does not zap it, so the mapping outlives the node",
        extra: nil, key: "vm_file", context: context)
    ]
  }

  private func finding(
    _ table: Located<CallbackTable>, mmap: Located<FunctionDefinition>,
    location: SourceLocation, trace: Trace, severity: Severity, message: String,
    extra: Finding.Note?, key: String, context: RuleContext
  ) -> Finding {
    var notes = [
      Finding.Note(
        location: table.value.location,
        message: "\(table.value.kind.cSpelling) \(table.value.qualifiedName) sets .mmap = "
          + mmap.value.name)
    ]
    if let extra { notes.append(extra) }
    notes += context.capabilityNotes(table.path)
    return Finding(
      ruleID: Self.description.id, severity: severity, confidence: .high, message: message,
      location: location, notes: notes, trace: trace, clauses: [trace.violated],
      fix: Self.description.fix,
      identity: Finding.Identity(
        rule: Self.description.id, table: table.value.qualifiedName, handler: mmap.value.name,
        detail: key))
  }
}
