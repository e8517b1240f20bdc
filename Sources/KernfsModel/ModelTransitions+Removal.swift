extension ModelTransitions {
  /// `sever(N)`, `show(N, false)` and `show(N, true)`.
  func removalEvents(_ s: ModelState, into out: inout [(ModelEvent, Outcome)]) {
    guard s.node != .removed else { return }
    // kernfs_drain waits until no active reference is held: no file is inside ops->open and no
    // op that has not broken its protection is running. proc_entry_rundown and
    // __debugfs_file_removed wait the same way for use_pde/debugfs_file_get users.
    let drained = !s.files.contains { $0.phase == .opening || $0.breakPhase == .protected }
    // The remover takes cgroup_mutex (cgroup_rmdir) and the open-file mutex
    // (kernfs_drain_open_files); a breaking path holding the lock blocks it.
    let remover = !framework.isKernfsBased || s.lockHolder < 0
    guard drained, remover else { return }
    out.append((.sever, sever(s, to: .removed)))
    if framework.supportsShow {
      if s.nodeIsActive { out.append((.hide, sever(s, to: .hidden))) }
      if s.node == .hidden {
        var next = s
        next.node = .reshown
        out.append((.show, .next(next)))
      }
    }
  }

  /// Deactivation plus drain, then `release` for every open file: kernfs_drain_open_files ->
  /// kernfs_release_file (kernfs, cgroup), proc_entry_rundown -> close_pdeo (procfs). debugfs
  /// and plain file_operations only stop new calls.
  private func sever(_ s: ModelState, to phase: ModelState.NodePhase) -> Outcome {
    var next = s
    next.node = phase
    // A hidden node was drained when it was hidden; nothing opened since.
    guard framework.severs, hasRelease else { return .next(next) }
    for f in next.files.indices where next.files[f].phase == .open {
      if let violation = release(&next, f, atSevering: true) { return .violation(violation) }
    }
    return .next(next)
  }

  /// `release(F)`: kernfs_release_file (once-only through of->released), close_pdeo,
  /// full_proxy_release or __fput's f_op->release. Returns the clause broken, if any.
  func release(_ s: inout ModelState, _ f: Int, atSevering: Bool) -> Violation? {
    if s.module == .gone { return goneModule(s, "release", f) }
    if s.files[f].releases > 0 {
      return Violation(.doubleRelease, in: framework, "release runs a second time for F\(f + 1).")
    }
    var held: Set<ReleaseBehaviour.Lock> = []
    if framework.isKernfsBased {
      // lockdep_assert_held(kernfs_open_file_mutex_ptr(kn)) in kernfs_release_file.
      held.insert(.openFileMutex)
      if atSevering, framework == .cgroup { held.insert(.cgroupMutex) }
    }
    if let lock = summary.release.takesLocks.first(where: held.contains) {
      let caller = atSevering ? "the remover" : "kernfs_fop_release"
      return Violation(
        .releaseDeadlock, in: framework,
        "release of F\(f + 1) takes \(lock.kernelName), which \(caller) already holds.")
    }
    if framework == .debugfs, summary.release.usesInodePrivate, s.nodeData == .freed {
      return Violation(
        .freedInodePrivate, in: framework,
        "release of F\(f + 1) runs at last fput after debugfs_remove and dereferences the freed "
          + "inode->i_private.")
    }
    s.files[f].releases += 1
    s.files[f].phase = .released
    if summary.release.freesPriv, s.files[f].priv == .live {
      detachEpollWaiters(&s, on: .priv(Int8(f)))
      s.files[f].priv = summary.release.clearsPriv ? .freedCleared : .freedDangling
    }
    return nil
  }

  /// `last_fput(F)`: __fput -> eventpoll_release (epoll waiters unlink), f_op->release
  /// (kernfs_fop_release, proc_reg_release, full_proxy_release), fops_put.
  func lastFputEvent(_ s: ModelState, _ f: Int, into out: inout [(ModelEvent, Outcome)]) {
    let file = s.files[f]
    guard file.phase == .open || file.phase == .released, file.breakPhase == .idle else { return }
    // A sleeping select()/poll() holds a reference to the file (fdget), so it is not the last.
    let selectHolds = s.pollers.indices.contains {
      scope.pollers[$0] == .select && s.pollers[$0].phase == .waiting
        && s.pollers[$0].file == Int8(f)
    }
    guard !selectHolds else { return }
    // kernfs_fop_release takes the open-file mutex, which a breaking path may hold.
    if framework.isKernfsBased, breakLock == .openFileMutex, s.lockHolder >= 0 { return }
    var next = s
    // eventpoll_release runs first in __fput.
    for p in next.pollers.indices
    where scope.pollers[p] == .epoll && next.pollers[p].phase == .waiting
      && next.pollers[p].file == Int8(f)
    {
      if let violation = unlinkViolation(next, p) {
        out.append((.lastFput(f), .violation(violation)))
        return
      }
      next.pollers[p] = ModelState.Poller(phase: .done)
    }
    if hasRelease, file.phase == .open {
      if let violation = release(&next, f, atSevering: false) {
        out.append((.lastFput(f), .violation(violation)))
        return
      }
    }
    if summary.lateCallback == .atLastFput {
      // The proposed kernfs_ops.free / cftype.free, called from kernfs_fop_release.
      if next.module == .gone {
        out.append((.lastFput(f), .violation(goneModule(next, "the last-fput ->free hook", f))))
        return
      }
      if next.files[f].priv == .live {
        detachEpollWaiters(&next, on: .priv(Int8(f)))
        next.files[f].priv = .freedDangling
      }
    }
    next.files[f].phase = .closed
    // Nothing can reach a closed file's of->priv any more; forgetting it keeps states canonical.
    next.files[f].priv = .none
    out.append((.lastFput(f), .next(next)))
  }

  /// `rmmod(M)` and `module_exit(M)`.
  func moduleEvents(_ s: ModelState, into out: inout [(ModelEvent, Outcome)]) {
    guard summary.canBeModule else { return }
    switch s.module {
    case .live:
      // try_stop_module fails while fops_get holds references.
      if pinsModule, s.files.contains(where: \.exists) { return }
      var next = s
      next.module = .going
      out.append((.rmmod, .next(next)))
    case .going:
      // module_exit removes its entries before free_module releases text and data.
      guard s.node == .removed else { return }
      var next = s
      if summary.effectiveHead == .moduleStatic { detachEpollWaiters(&next, on: .moduleStatic) }
      next.module = .gone
      out.append((.moduleExit, .next(next)))
    case .gone:
      return
    }
  }

  /// `free(task)` and `free(i_private)`: objects freed by their own owners.
  func objectEvents(_ s: ModelState, into out: inout [(ModelEvent, Outcome)]) {
    let head = summary.isPollable ? summary.effectiveHead : .permanent
    if head == .task, s.task == .live {
      // The owner exits: signalfd's __cleanup_sighand / binder_thread_release, which call
      // wake_up_pollfree when the summary says so.
      var next = s
      detachEpollWaiters(&next, on: .task)
      next.task = .freed
      out.append((.freeTask, .next(next)))
    }
    let usesNodeData =
      head == .nodeData || (framework == .debugfs && summary.release.usesInodePrivate && hasRelease)
    if usesNodeData, s.node == .removed, s.nodeData == .live {
      var next = s
      if head == .nodeData { detachEpollWaiters(&next, on: .nodeData) }
      next.nodeData = .freed
      out.append((.freeNodeData, .next(next)))
    }
  }
}
