extension ModelTransitions {
  /// `poll_wait(P, F)`, `poll_freewait(P)` and `ep_remove(P)`.
  func pollEvents(_ s: ModelState, into out: inout [(ModelEvent, Outcome)]) {
    guard summary.isPollable else { return }
    for p in s.pollers.indices {
      let poller = s.pollers[p]
      switch poller.phase {
      case .idle:
        for f in s.files.indices { pollWait(s, p, f, into: &out) }
      case .waiting:
        // poll_freewait -> free_poll_entry -> remove_wait_queue, or ep_remove_wait_queue: both
        // take the head's spinlock, so the head must still be allocated.
        let mode = scope.pollers[p]
        let event: ModelEvent = mode == .select ? .pollFreewait(p) : .epRemove(p)
        if let violation = unlinkViolation(s, p) {
          out.append((event, .violation(violation)))
        } else {
          var next = s
          next.pollers[p] = ModelState.Poller(phase: .done)
          out.append((event, .next(next)))
        }
      case .done:
        continue
      }
    }
  }

  /// `poll_wait(P, F)`: kernfs_fop_poll -> kernfs_get_active_of -> ops->poll (or
  /// kernfs_generic_poll) -> poll_wait(file, head, pt); likewise proc_reg_poll, full_proxy_poll.
  private func pollWait(
    _ s: ModelState, _ p: Int, _ f: Int, into out: inout [(ModelEvent, Outcome)]
  ) {
    // A failed guard returns DEFAULT_POLLMASK|EPOLLERR (kernfs), DEFAULT_POLLMASK (procfs) or
    // EPOLLHUP (debugfs) without linking anything: no state change.
    guard opGetsThrough(s, f) else { return }
    if hasUserPoll, let violation = callbackViolation(s, f, "poll") {
      out.append((.pollWait(poller: p, file: f), .violation(violation)))
      return
    }
    let head: ModelState.Head
    switch summary.effectiveHead {
    case .framework: head = .framework
    case .priv: head = .priv(Int8(f))
    case .moduleStatic: head = summary.canBeModule ? .moduleStatic : .permanent
    case .task: head = .task
    case .nodeData: head = .nodeData
    case .permanent: head = .permanent
    }
    // A handler cannot hand out a head that is already gone without an earlier violation,
    // except a task's: the exited task's object is not reachable any more, so nothing links.
    if s.isFreed(head) { return }
    var next = s
    next.pollers[p] = ModelState.Poller(phase: .waiting, file: Int8(f), head: head)
    out.append((.pollWait(poller: p, file: f), .next(next)))
  }

  /// The clause broken when poller `p` unlinks from its head now, if the head is freed.
  func unlinkViolation(_ s: ModelState, _ p: Int) -> Violation? {
    let poller = s.pollers[p]
    guard poller.phase == .waiting, s.isFreed(poller.head) else { return nil }
    let mode = scope.pollers[p]
    let unlink = mode == .select ? "poll_freewait" : "ep_remove_wait_queue"
    let cover =
      pollfree && mode == .select
      ? "; wake_up_pollfree detached epoll waiters only, select/poll ignores POLLFREE" : ""
    return Violation(
      .freedHead(mode: mode, pollfree: pollfree), in: framework,
      "P\(p + 1) (\(mode.rawValue)) runs \(unlink) on \(headName(poller.head)), "
        + "which was freed while it waited\(cover).")
  }

  /// `wake_up_pollfree(head)` before a free: epoll waiters on `head` are unlinked safely
  /// (ep_poll_callback sees POLLFREE); select/poll waiters stay linked.
  func detachEpollWaiters(_ s: inout ModelState, on head: ModelState.Head) {
    guard pollfree else { return }
    for p in s.pollers.indices
    where scope.pollers[p] == .epoll && s.pollers[p].phase == .waiting && s.pollers[p].head == head
    {
      s.pollers[p] = ModelState.Poller(phase: .done)
    }
  }

  /// A head's name in messages.
  func headName(_ head: ModelState.Head) -> String {
    switch head {
    case .framework: "on->poll"
    case .priv(let f): "the head in F\(f + 1)'s of->priv object"
    case .moduleStatic: "a head in the module's static data"
    case .task: "a head owned by a task"
    case .nodeData: "a head in inode->i_private"
    case .permanent: "a permanent head"
    }
  }
}
