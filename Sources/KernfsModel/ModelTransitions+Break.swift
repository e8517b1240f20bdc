extension ModelTransitions {
  /// The path that breaks active protection and then uses `of->priv` (K9, C3): `pressure_write`
  /// calling `cgroup_kn_lock_live`, which calls `kernfs_break_active_protection`.
  func breakEvents(_ s: ModelState, _ f: Int, into out: inout [(ModelEvent, Outcome)]) {
    guard let path = summary.activeProtectionBreak else { return }
    let file = s.files[f]
    switch file.breakPhase {
    case .idle:
      guard opGetsThrough(s, f) else { return }
      if let violation = callbackViolation(s, f, path.path.rawValue) {
        out.append((.opBegin(f, path.path), .violation(violation)))
        return
      }
      var next = s
      next.files[f].breakPhase = .protected
      out.append((.opBegin(f, path.path), .next(next)))
    case .protected:
      // kernfs_break_active_protection: kernfs_put_active, so kernfs_drain stops waiting for us.
      var next = s
      next.files[f].breakPhase = .broken
      out.append((.breakActive(f), .next(next)))
    case .broken:
      if path.rereadsUnderLock {
        // cgroup_lock() (or the open-file mutex): release cannot run while we hold it.
        guard s.lockHolder < 0 else { return }
        var next = s
        next.files[f].breakPhase = .locked
        next.lockHolder = Int8(f)
        out.append((.lock(f), .next(next)))
      } else {
        usePriv(s, f, reread: false, into: &out)
      }
    case .locked:
      usePriv(s, f, reread: true, into: &out)
    case .used:
      var next = s
      next.files[f].breakPhase = .idle
      if next.lockHolder == Int8(f) { next.lockHolder = -1 }
      out.append((.unlock(f), .next(next)))
    }
  }

  /// Dereferencing `of->priv` on the breaking path: either the pointer read while protected or
  /// one re-read under the lock.
  private func usePriv(
    _ s: ModelState, _ f: Int, reread: Bool, into out: inout [(ModelEvent, Outcome)]
  ) {
    let nullChecks = summary.activeProtectionBreak?.nullChecks ?? false
    var problem: String?
    switch s.files[f].priv {
    case .live, .none:
      problem = nil
    case .freedDangling:
      problem =
        reread
        ? "F\(f + 1)'s path re-reads of->priv under the lock, but release freed it without "
          + "setting of->priv = NULL, so the NULL check cannot see it."
        : "F\(f + 1)'s path uses the of->priv it read before breaking active protection; "
          + "release freed it meanwhile."
    case .freedCleared:
      if !reread {
        problem =
          "F\(f + 1)'s path uses the of->priv it read before breaking active protection; "
          + "release freed it meanwhile (clearing the pointer does not help a stale copy)."
      } else if !nullChecks {
        problem = "F\(f + 1)'s path re-reads of->priv under the lock and dereferences NULL."
      }
    }
    if let problem {
      out.append((.usePriv(f), .violation(Violation(.stalePriv, in: framework, problem))))
      return
    }
    var next = s
    next.files[f].breakPhase = .used
    out.append((.usePriv(f), .next(next)))
  }
}
