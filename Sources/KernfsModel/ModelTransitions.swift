/// The transition relation of the model for one summary: from a state, every enabled event and
/// what it leads to (a new state, or a broken clause). Pure and deterministic: events are
/// produced in a fixed order, which makes breadth-first traces reproducible.
struct ModelTransitions: Sendable {
  /// What taking an event leads to.
  enum Outcome: Hashable, Sendable {
    /// The successor state.
    case next(ModelState)
    /// The event breaks a clause; there is no successor.
    case violation(Violation)
  }

  /// The summary explored.
  let summary: BehaviourSummary
  /// The bounds.
  let scope: ModelScope
  /// `summary.framework`, hoisted because every transition asks.
  let framework: Framework
  /// Whether the table has `release`.
  let hasRelease: Bool
  /// Whether the table has `open` (which may fail).
  let hasOpen: Bool
  /// Whether the table has its own `poll` (called into the module).
  let hasUserPoll: Bool
  /// Plain ops, without the breaking path's callback.
  let plainOps: [CallbackKind]
  /// Whether an op can reach a released file: kernfs before 3c9ba2777d6c.
  let opsReachReleased: Bool
  /// Whether open files pin the module (`fops_get` on a set `.owner`).
  let pinsModule: Bool
  /// Whether owners detach epoll waiters with `wake_up_pollfree` before freeing a head.
  let pollfree: Bool
  /// The lock the breaking path takes and `release` runs under (cgroup: `cgroup_mutex`).
  let breakLock: ReleaseBehaviour.Lock

  /// Prepares the relation; `summary` must have no `problems()`.
  init(summary: BehaviourSummary, scope: ModelScope) {
    self.summary = summary
    self.scope = scope
    framework = summary.framework
    hasRelease = summary.callbacks.contains(.release)
    hasOpen = summary.callbacks.contains(.open)
    hasUserPoll = summary.callbacks.contains(.poll)
    let breakKind = summary.activeProtectionBreak?.path
    plainOps = summary.callbacks.filter { $0.isPlainOp && $0 != breakKind }.sorted()
    opsReachReleased = summary.framework.isKernfsBased && !summary.releasedFileCheck
    pinsModule = summary.framework.honoursOwner && summary.ownerPinned
    pollfree = summary.poll.wakeUp == .wakeUpPollfree
    breakLock = summary.framework == .cgroup ? .cgroupMutex : .openFileMutex
  }

  /// The initial state.
  var initial: ModelState { ModelState(scope: scope) }

  /// Appends every enabled event of `state` and its outcome to `out`, in a fixed order.
  /// Events that provably leave the state unchanged (a successful `op`, `kernfs_notify`) are
  /// only reported when they break a clause, since breadth-first search would discard them.
  func successors(of state: ModelState, into out: inout [(ModelEvent, Outcome)]) {
    for file in state.files.indices {
      openEvents(state, file, into: &out)
    }
    // Poll before plain ops: when both break a clause at the same depth, the poll trace is the
    // one the history tells (kernfs 2025 was found through poll).
    pollEvents(state, into: &out)
    for file in state.files.indices {
      opEvents(state, file, into: &out)
      breakEvents(state, file, into: &out)
    }
    removalEvents(state, into: &out)
    for file in state.files.indices {
      lastFputEvent(state, file, into: &out)
    }
    moduleEvents(state, into: &out)
    objectEvents(state, into: &out)
  }

  // MARK: - open

  /// `open(F)`, `open_done(F)`, `open_fails(F)`.
  private func openEvents(
    _ s: ModelState, _ f: Int, into out: inout [(ModelEvent, Outcome)]
  ) {
    switch s.files[f].phase {
    case .unopened:
      // kernfs_fop_open takes an active reference (kernfs_get_active) and fails with -ENODEV on
      // a deactivated node; proc_reg_open/debugfs refuse removed entries; cdev_del stops opens.
      let nodeOpenable = framework.isKernfsBased ? s.nodeIsActive : s.node != .removed
      guard nodeOpenable else { return }
      // fops_get -> try_module_get fails on a going module (full_proxy_open, do_dentry_open).
      if pinsModule, summary.canBeModule, s.module != .live { return }
      if hasOpen, s.module == .gone {
        out.append((.open(f), .violation(goneModule(s, "open", f))))
        return
      }
      var next = s
      if hasOpen {
        next.files[f].phase = .opening
      } else {
        next.files[f].phase = .open
        next.files[f].priv = summary.openAllocatesPriv ? .live : .none
      }
      out.append((.open(f), .next(next)))
    case .opening:
      // kernfs_fop_open: ops->open returned 0 (cgroup_file_open allocated ctx into of->priv).
      var done = s
      done.files[f].phase = .open
      done.files[f].priv = summary.openAllocatesPriv ? .live : .none
      out.append((.openDone(f), .next(done)))
      // kernfs_fop_open error path: kernfs_unlink_open_file(kn, of, true) cancels the release.
      var failed = s
      failed.files[f].phase = .openFailed
      out.append((.openFails(f), .next(failed)))
    case .open, .released, .closed, .openFailed:
      return
    }
  }

  // MARK: - ops

  /// Whether an op on `f` gets past the framework's guard.
  func opGetsThrough(_ s: ModelState, _ f: Int) -> Bool {
    let phase = s.files[f].phase
    // kernfs_get_active_of refuses released files since 3c9ba2777d6c; before, only
    // kernfs_get_active(of->kn) was checked, which a re-shown node passes.
    guard phase == .open || (phase == .released && opsReachReleased) else { return false }
    // A plain file_operations keeps being called after cdev_del until last fput.
    guard framework.stopsOpsAtRemoval else { return true }
    return framework.isKernfsBased ? s.nodeIsActive : s.node != .removed
  }

  /// The clause a callback of `kind` on `f` breaks right now, if any.
  func callbackViolation(_ s: ModelState, _ f: Int, _ kind: String) -> Violation? {
    if s.module == .gone { return goneModule(s, kind, f) }
    if s.files[f].phase == .released {
      let reshown = s.node == .reshown
      return Violation(
        .opAfterRelease(reshown: reshown), in: framework,
        "\(kind) is called for F\(f + 1) after its release"
          + (reshown ? " because kernfs_show(kn, true) re-activated the node" : "")
          + (s.files[f].priv == .live ? "." : ", and dereferences the freed of->priv."))
    }
    return nil
  }

  /// `op(F, k)`: kernfs_fop_read_iter / kernfs_fop_write_iter / kernfs_seq_show / … under
  /// `kernfs_get_active_of`; `proc_reg_read` under `use_pde`; `full_proxy_read` under
  /// `debugfs_file_get`; `vfs_read` straight into the fops.
  private func opEvents(_ s: ModelState, _ f: Int, into out: inout [(ModelEvent, Outcome)]) {
    guard s.files[f].breakPhase == .idle, opGetsThrough(s, f) else { return }
    for kind in plainOps {
      if let violation = callbackViolation(s, f, kind.rawValue) {
        out.append((.op(f, kind), .violation(violation)))
      }
    }
  }

  /// A callback into module text that is gone.
  func goneModule(_ s: ModelState, _ callback: String, _ f: Int) -> Violation {
    let how: String
    switch framework {
    case .kernfs, .cgroup, .sysfs, .procfs:
      how = "after severing and rmmod"
    case .debugfs, .fileOperations:
      how = "after rmmod, because .owner does not pin the module"
    }
    return Violation(
      .goneModule, in: framework,
      "\(callback) is called for F\(f + 1) \(how): the module's text is gone.")
  }
}
