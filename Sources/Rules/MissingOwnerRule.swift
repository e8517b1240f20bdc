import KernfsModel
import Scan
import SeverCore

/// Flags a `file_operations` in module-capable code, with callbacks in module text, registered
/// through a path that pins the module with `fops_get` (debugfs, cdev, misc, anon inodes), that
/// does not set `.owner = THIS_MODULE`: nothing then keeps the module loaded while a file is
/// open, and `release` (debugfs) or any op (cdev, misc, anon inode) runs in unloaded text (D1,
/// M1). Built-in library callbacks (`single_release`, `seq_read`, …) are not module text.
public struct MissingOwnerRule: Rule {
  public static let description = RuleDescription(
    id: "fops-missing-owner",
    name: "Module File Operations Without Owner",
    summary: "A module's file_operations registered with debugfs, a cdev, a misc device or an "
      + "anonymous inode does not set .owner = THIS_MODULE, so its callbacks can run after rmmod.",
    rationale: """
      debugfs, character devices, misc devices and anonymous inodes do not sever open files: \
      they pin the module that provides the `file_operations` from `open()` to the last \
      `fput()`, through `fops_get()`/`fops_put()`, which are `try_module_get()`/`module_put()` \
      on `fops->owner` (contract §1.9, M1; fs/open.c `do_dentry_open`, fs/char_dev.c \
      `chrdev_open`). Without `.owner = THIS_MODULE` nothing is pinned: `rmmod` succeeds while \
      a file is open and the next `read`, `ioctl` or the final `release` jumps into freed text. \
      debugfs stops ops at `debugfs_remove()` but calls the real `release` unconditionally from \
      `full_proxy_release` at last fput (D1, fs/debugfs/file.c), so a module-local `.release` \
      is enough to crash. `DEFINE_SHOW_ATTRIBUTE` and `DEFINE_DEBUGFS_ATTRIBUTE` set the owner; \
      tables written by hand often do not. kernfs, sysfs and procfs sever instead and need no \
      owner (M2). History: 9fd4dcece43a and 49d200deaa68 (debugfs lifetime, 2016), and Taehee \
      Yoo's 2020 fix of the `MODULE_STATE_GOING` warning in debugfs open.
      """,
    clauses: [.M1, .D1],
    commits: [
      "9fd4dcece43a debugfs: prevent access to possibly dead file_operations at file open",
      "49d200deaa68 debugfs: prevent access to removed files' private data",
      "lore 20200218043150.29447-1-ap420073@gmail.com debugfs: check module state before "
        + "warning in {full/open}_proxy_open()",
    ],
    defaultSeverity: .error,
    confidence: .high,
    fix: "Add `.owner = THIS_MODULE,` to the file_operations (or build it with "
      + "DEFINE_SHOW_ATTRIBUTE / DEFINE_DEBUGFS_ATTRIBUTE, which set it).",
    triggeringExamples: MissingOwnerExamples.triggering,
    nonTriggeringExamples: MissingOwnerExamples.nonTriggering)

  /// A module's debugfs fops with a local release and no owner (D1).
  public static let scenario = BehaviourSummary(
    name: "debugfs-no-owner", framework: .debugfs, callbacks: [.open, .release, .read],
    canBeModule: true, ownerPinned: false)

  /// A `file_operations` without an unconditional `.owner`, in code that may be a module,
  /// registered through a pinning path (with library callbacks only, its table is still read
  /// after rmmod).
  public static let tierOne = TierOneRequirement(
    tableKinds: [.fileOperations],
    precondition: { table, file, definitions in
      definitions.canBeModule(file.path) != false
        && (table.isOpaque || table.field("owner").map(\.isConditional) ?? true)
        && TierOneSelection.mayBeRegistered(table, in: file, through: TierOneSelection.pinningWords)
    },
    reach: { table, file, definitions in
      // The handlers, and the open's reach when it may pin the module itself.
      guard let open = table.field("open")?.handler else {
        return table.isOpaque ? 1 + AnalysisDepth.reach : 1
      }
      let pins = ["try_module_get", "__module_get"].contains { word in
        definitions.reaches(open, from: file.path, spelling: word, depth: AnalysisDepth.reach + 1)
      }
      return pins ? 1 + AnalysisDepth.reach : 1
    },
    // `otherPin` reads the references the open, and an anonymous file's creator and its
    // callers, take, and what the release's puts reach. A debugfs table whose release is
    // library code is at most a table-read finding (D1), which reads neither.
    holderReach: { table, file, _ in
      let paths = TierOneSelection.registrationPaths(table, in: file)
      if let paths, !paths.isEmpty, paths == [.debugfs], !table.isOpaque,
        table.field("release").map(TierOneSelection.isBuiltIn) ?? true
      {
        return nil
      }
      return AnalysisDepth.references
    })

  public init() {}

  public func check(_ context: RuleContext) -> [Finding] {
    let index = context.index
    var findings: [String: Finding] = [:]
    // `kvm_vm_fops.owner = module;` at init sets the owner at run time (virt/kvm/kvm_main.c).
    let ownersSetAtRunTime = Set(
      index.stores(intoField: "owner", ofStruct: "file_operations").map(\.store.target.root))
    // A designated `.owner` whose value sever could not spell (a macro nested in a macro) is
    // still set: the initializer is there, and without -DMODULE THIS_MODULE is a null
    // constant that only the spelling tells from a written NULL.
    for registration in index.pinningRegistrations()
    where registration.table.value.field("owner").map({ $0.value == "NULL" }) ?? true {
      let table = registration.table
      guard !ownersSetAtRunTime.contains(table.value.name),
        !cdevOwnerSet(registration, index: index),
        !openPinsModules(table, index: index)
      else { continue }
      let capability = context.canBeModule(table.path)
      guard capability != false else { continue }
      let local = index.moduleLocalHandlers(of: table) { context.canBeModule($0) }
      let pin = Self.otherPin(registration, context: context)
      guard
        let finding = local.isEmpty
          ? nil
          : makeFinding(
            registration, local: local, capability: capability, pin: pin, context: context)
            // With only library callbacks (or only those the model shows harmless), the table
            // itself is still module data that the last fput reads (D1).
            ?? tableReadFinding(
              registration, local: local, capability: capability, context: context),
        findings[FindingSet.key(finding)] == nil
      else { continue }
      findings[FindingSet.key(finding)] = finding
    }
    return findings.values.sorted()
  }

  /// A reference the file holds on something else while it is open, taken by its open (or, for
  /// an anonymous inode, by the function that creates the file): it may keep the module loaded
  /// another way, so the finding says so instead of claiming that nothing does.
  struct OtherPin {
    /// What holds the reference, in words, for the message.
    var text: String
    /// Where it is taken.
    var location: SourceLocation
    /// Whether it is a reference on another file, whose own fops' owner pins its module
    /// (iommufd's selftest files hold /dev/iommu through `get_file`).
    var onFile: Bool
    /// Whether dropping what the file holds drops a module reference that kept the module
    /// loaded while the file was open (a VM holds its module until `kvm_destroy_vm`): only
    /// the release's own return races with rmmod.
    var dropsModuleReference = false
  }

  /// The calls from `release` down to a `module_put` in the table's own file
  /// (`kvm_vcpu_release → kvm_put_kvm → kvm_destroy_vm → module_put`), within
  /// `AnalysisDepth.references` functions, shortest first, with the put's argument; nil when
  /// there is none. A put in another file may drop a reference on a module this one depends on
  /// (`intel_scu_ipc_dev_put()`), which never kept this one loaded.
  static func modulePutChain(
    below release: Located<FunctionDefinition>, in path: String, index: FactIndex
  ) -> (chain: [String], argument: AccessPath?)? {
    var frontier = [(function: release, chain: [release.value.name])]
    var seen: Set<String> = [release.key]
    for level in 0..<AnalysisDepth.references where !frontier.isEmpty {
      var next: [(function: Located<FunctionDefinition>, chain: [String])] = []
      for (function, chain) in frontier {
        if function.path == path,
          let put = function.value.calls.first(where: { $0.callee == "module_put" })
        {
          return (chain + ["module_put"], put.arguments.first)
        }
        guard level + 1 < AnalysisDepth.references else { continue }
        for callee in index.callees(of: function) where seen.insert(callee.key).inserted {
          next.append((callee, chain + [callee.value.name]))
        }
      }
      frontier = next
    }
    return nil
  }

  static func otherPin(_ registration: PinningRegistration, context: RuleContext) -> OtherPin? {
    let index = context.index
    var holders: [Located<FunctionDefinition>] = []
    if let open = index.handler(registration.table, field: "open") { holders.append(open) }
    if registration.callee.hasPrefix("anon_inode_"), let name = registration.enclosingFunction,
      let creator = index.function(named: name, from: registration.location.path)
    {
      holders.append(creator)
      // The file may be made first and handed what it holds by the creator's caller
      // (iommufd's selftest: iommufd_test_alloc_access makes it, iommufd_test_create_access
      // gives it the context, whose file it keeps).
      holders += index.callSites(of: name).map(\.caller)
        .filter { $0.path == creator.path && $0.value.name != name }
    }
    for holder in holders {
      // Only what the holder is given (the file, its inode, the object it wraps): a count the
      // framework keeps on its own global (anon_inode_getfile's ihold) holds nothing of ours.
      let gets = context.summaries.references(holder).filter {
        $0.direction == .get && $0.object.rootKind == .parameter
      }
      let chain: (ObjectReference) -> String = { reference in
        (reference.chain + [reference.primitive]).joined(separator: " → ")
      }
      if let file = gets.first(where: { $0.primitive.hasPrefix("get_file") }) {
        return OtherPin(
          text: "\(holder.value.name) takes a reference on another file (\(chain(file))), which "
            + "keeps that file's module loaded if its fops set .owner",
          location: file.location, onFile: true)
      }
      if let object = gets.first {
        let release = index.handler(registration.table, field: "release")
        if let release,
          let put = modulePutChain(below: release, in: registration.table.path, index: index)
        {
          return OtherPin(
            text: "\(holder.value.name) takes a reference on \(object.object) "
              + "(\(chain(object))), and dropping what the file holds can drop a module "
              + "reference (\(put.chain.joined(separator: " → "))): the module stays loaded "
              + "while the file is open, but \(release.value.name) still runs this module's "
              + "text after that put, a narrow race only .owner closes",
            location: object.location, onFile: false, dropsModuleReference: true)
        }
        return OtherPin(
          text: "\(holder.value.name) takes a reference on \(object.object) (\(chain(object))); "
            + "unless that object holds a module reference, nothing keeps the module loaded, "
            + "and even then release runs this module's text after dropping it",
          location: object.location, onFile: false)
      }
    }
    // The object the file holds may take the module reference where it is made (6.1's
    // kvm_create_vm: `__module_get(kvm_chardev_ops.owner)`, dropped by kvm_destroy_vm): a
    // reference taken and dropped in the table's own file, the drop reached from release.
    // The get must name the module the put drops (`kvm_chardev_ops.owner` both times): a get
    // of another module, or of nothing the put drops, links nothing to the file.
    let path = registration.table.path
    if let release = index.handler(registration.table, field: "release"),
      let put = modulePutChain(below: release, in: path, index: index),
      let dropped = put.argument, dropped.rootKind == .global,
      let get = ["__module_get", "try_module_get"].lazy.flatMap({ index.callSites(of: $0) })
        .first(where: { site in
          site.caller.path == path
            && site.call.arguments.first.map { ObjectPinning.same($0, dropped) } == true
        })
    {
      return OtherPin(
        text: "\(get.caller.value.name) takes a module reference (\(get.call.callee)) that "
          + "dropping what the file holds drops (\(put.chain.joined(separator: " → "))): the "
          + "module stays loaded while the file is open, but \(release.value.name) still runs "
          + "this module's text after that put, a narrow race only .owner closes",
        location: get.call.location, onFile: false, dropsModuleReference: true)
    }
    return nil
  }

  /// `cdev_init(&d->cdev, &fops); d->cdev.owner = THIS_MODULE;`: `chrdev_open` takes
  /// `cdev_get()` (a module reference on `cdev->owner`) for every open and `__fput` drops it
  /// after `release`, so the cdev's owner pins the module as `fops->owner` would.
  private func cdevOwnerSet(_ registration: PinningRegistration, index: FactIndex) -> Bool {
    guard ["cdev_init", "cdev_add"].contains(registration.callee),
      let name = registration.enclosingFunction,
      let function = index.function(named: name, from: registration.table.path)
        ?? index.registrations.first(where: { $0.value.location == registration.location })
        .flatMap({ index.function(named: name, from: $0.path) })
    else { return false }
    return function.value.stores.contains {
      // THIS_MODULE is `((struct module *)0)` outside -DMODULE, so the value is not checked.
      $0.target.fields.last == "owner" && $0.target.recordTags.last == "cdev"
    }
  }

  /// An open that takes module references itself (`try_module_get(stm->owner)` in
  /// drivers/hwtracing/stm/core.c) pins the provider, which depends on this module's symbols:
  /// the code manages module lifetime by hand, which the rule cannot judge. Only a reference
  /// taken in the table's own file, or on `THIS_MODULE`, counts: one taken inside another
  /// module's function (`intel_scu_ipc_dev_get()` pins the IPC provider that
  /// intel_scu_ipcutil.c calls into) pins a module this one depends on, not this one.
  private func openPinsModules(_ table: Located<CallbackTable>, index: FactIndex) -> Bool {
    guard let open = index.handler(table, field: "open"), open.path == table.path else {
      return false
    }
    // A sibling file of the same module may take `try_module_get(THIS_MODULE)` for it.
    func pins(_ function: Located<FunctionDefinition>) -> Bool {
      function.value.calls.contains { call in
        ["try_module_get", "__module_get"].contains(call.callee)
          && (function.path == table.path || call.arguments.first?.root == "__this_module")
      }
    }
    return index.reachable(from: [open]).contains { index.functionByKey($0).map(pins) ?? false }
  }

  private func makeFinding(
    _ registration: PinningRegistration,
    local: [(field: TableField, function: Located<FunctionDefinition>)], capability: Bool?,
    pin: OtherPin?, context: RuleContext
  ) -> Finding? {
    let table = registration.table
    let framework = registration.framework
    // Map every module-local field to a callback the model knows; fields the model does not
    // name (fasync, flush, compat_ioctl) are plain ops for a plain file_operations.
    var callbacks = Set(local.compactMap { TableRoles.callback(forField: $0.field.name) })
    if framework == .fileOperations,
      local.contains(where: {
        TableRoles.callback(forField: $0.field.name) == nil
      })
    {
      callbacks.insert(.ioctl)
    }
    guard !callbacks.isEmpty else { return nil }
    let summary = BehaviourSummary(
      name: table.value.qualifiedName, framework: framework, callbacks: callbacks,
      canBeModule: true, ownerPinned: false, openAllocatesPriv: false,
      release: ReleaseBehaviour(freesPriv: false),
      poll: PollBehaviour(head: .permanent, wakeUp: .wakeUp))
    // The model decides which callbacks matter: for debugfs only release outlives removal.
    guard
      let explanation = context.explain(
        summary, rule: Self.description, at: table.value.location)
    else { return nil }
    let known = capability == true
    let fields = local.map { ".\($0.field.name) = \($0.function.value.name)" }
    let through =
      registration.path == .debugfs
      ? "debugfs calls .release at last fput even after debugfs_remove()"
      : "the file's ops run until the last fput"
    var message =
      "\(table.value.qualifiedName) has module callbacks (\(fields.prefix(3).joined(separator: ", "))"
      + (fields.count > 3 ? ", …" : "") + ") but no .owner = THIS_MODULE; \(through), and "
      + (pin.map { "the fops pin nothing; \($0.text)" }
        ?? "without an owner nothing keeps the module loaded")
    if !known {
      message +=
        " (module capability unknown: a note until Kbuild answers)"
    }
    // A reference on another file is likely to pin the module through that file's owner: a
    // note to check. One on an object pins the module only if the object holds a module
    // reference, which is rare: the finding stands, and its message says so.
    var severity: Severity = known ? .error : .note
    var confidence: Finding.Confidence = known ? .high : .low
    if let pin {
      if pin.onFile { severity = .note }
      // The object keeps the module loaded while the file is open: what is left is the
      // release's own return into the module after the last put (upstream closed it in
      // generic KVM with .owner: "KVM: Set file_operations.owner appropriately for all such
      // structures", 2023).
      if pin.dropsModuleReference, severity == .error { severity = .warning }
      confidence = pin.onFile ? .low : .moderate
    }
    var notes = [
      Finding.Note(
        location: registration.location,
        message: "registered with \(registration.callee)()"
          + (registration.enclosingFunction.map { " in \($0)" } ?? "")
          + (registration.path == .debugfs ? ": debugfs pins the module only through .owner" : "")
      )
    ]
    notes += local.prefix(4).map {
      Finding.Note(
        location: $0.function.value.location,
        message: ".\($0.field.name) = \($0.function.value.name) is module text")
    }
    if let pin { notes.append(Finding.Note(location: pin.location, message: pin.text)) }
    notes += context.capabilityNotes(table.path)
    return explanation.apply(
      to: Finding(
        ruleID: Self.description.id, severity: severity, confidence: confidence,
        message: message, location: table.value.location, notes: notes,
        fix: Self.description.fix,
        identity: Finding.Identity(rule: Self.description.id, table: table.value.qualifiedName)))
  }

  /// A table with only library callbacks (or none the model shows running late) is still this
  /// module's data: at the last fput after rmmod, `full_proxy_release` (debugfs) or `__fput`
  /// and `fops_put` read its `.release` and `.owner` from freed memory (D1). A read of freed
  /// module data, not a call into it: a warning.
  private func tableReadFinding(
    _ registration: PinningRegistration,
    local: [(field: TableField, function: Located<FunctionDefinition>)], capability: Bool?,
    context: RuleContext
  ) -> Finding? {
    let table = registration.table
    let known = capability == true
    let reader =
      registration.path == .fileOperations
      ? "__fput reads its .release and fops_put() its .owner"
      : "\(registration.path == .debugfs ? "full_proxy_release" : "__fput") reads its .release "
        + "and fops_put() its .owner"
    let trace = StaticTrace.make(
      .D1,
      steps: [
        (
          "open(F1)", registration.path == .fileOperations ? "do_dentry_open" : "full_proxy_open",
          "F1 open; fops_get(\(table.value.name)) pins nothing: .owner is NULL"
        ),
        (
          "rmmod(M)", "delete_module → free_module",
          "the module's data, holding the table, is freed"
        ),
        ("last_fput(F1)", "__fput", "\(reader) from the freed table"),
      ],
      summary: "the last fput of a file of \(table.value.qualifiedName) reads freed module data")
    var notes = [
      Finding.Note(
        location: registration.location,
        message: "registered with \(registration.callee)()"
          + (registration.enclosingFunction.map { " in \($0)" } ?? ""))
    ]
    notes += context.capabilityNotes(table.path)
    return Finding(
      ruleID: Self.description.id, severity: known ? .warning : .note,
      confidence: known ? .moderate : .low,
      message: "\(table.value.qualifiedName) has no .owner = THIS_MODULE; "
        + Self.callbackClause(local, path: registration.path)
        + ", but the table is this module's data, and at the last fput after rmmod "
        + "\(reader) from freed memory"
        + (known ? "" : " (module capability unknown: a note until Kbuild answers)"),
      location: table.value.location, notes: notes, trace: trace, clauses: [.D1],
      fix: Self.description.fix,
      identity: Finding.Identity(rule: Self.description.id, table: table.value.qualifiedName))
  }

  /// What the table's callbacks are, for a table whose callbacks alone are no finding: library
  /// code, or module code that the framework keeps from running after removal (debugfs's
  /// `debugfs_file_get()` around `.read`, `.write`, `.poll`…).
  static func callbackClause(
    _ local: [(field: TableField, function: Located<FunctionDefinition>)],
    path: PinningRegistration.Path
  ) -> String {
    guard !local.isEmpty else { return "its callbacks are library code" }
    let named =
      local.prefix(2).map { ".\($0.field.name) = \($0.function.value.name)" }
      .joined(separator: ", ") + (local.count > 2 ? ", …" : "")
    return path == .debugfs
      ? "debugfs's removal protocol keeps its module callbacks (\(named)) from running after "
        + "debugfs_remove()"
      : "the model finds no way for its module callbacks (\(named)) to run after rmmod"
  }
}
