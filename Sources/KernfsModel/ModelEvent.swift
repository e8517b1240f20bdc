/// One event of the model (contract.md §1.10). Files and pollers are 0-based here and printed
/// 1-based (`F1`, `P1`).
enum ModelEvent: Hashable, Sendable {
  /// `open(F)`: the VFS opens the node and the framework starts `ops->open`.
  case open(Int)
  /// `ops->open` returned 0.
  case openDone(Int)
  /// `ops->open` failed: no release is owed (K11).
  case openFails(Int)
  /// A self-contained callback (`read`, `write`, `seq_show`, …).
  case op(Int, CallbackKind)
  /// The start of a path that will break active protection; it reads `of->priv`.
  case opBegin(Int, CallbackKind)
  /// `kernfs_break_active_protection` (directly or in `cgroup_kn_lock_live`).
  case breakActive(Int)
  /// The breaking path takes the lock `release` runs under.
  case lock(Int)
  /// The breaking path dereferences `of->priv`.
  case usePriv(Int)
  /// The breaking path unlocks (if it locked) and returns.
  case unlock(Int)
  /// `poll_wait(P, F, head)` from the poll callback (or `kernfs_generic_poll`).
  case pollWait(poller: Int, file: Int)
  /// `poll_freewait(P)`: select/poll unlinks its entries.
  case pollFreewait(Int)
  /// `ep_remove_wait_queue(P)`: epoll unlinks its entry (`EPOLL_CTL_DEL`, close of the epfd).
  case epRemove(Int)
  /// Removal of the node.
  case sever
  /// `kernfs_show(kn, false)`.
  case hide
  /// `kernfs_show(kn, true)`.
  case show
  /// `__fput` of the last reference to `F`.
  case lastFput(Int)
  /// `delete_module` gets past `try_stop_module`.
  case rmmod
  /// `module_exit` finished; text and static data are freed.
  case moduleExit
  /// The task owning a `.task` head exits.
  case freeTask
  /// The driver frees `inode->i_private` after removal.
  case freeNodeData

  /// The event as printed in traces and diagrams.
  func label(lockName: String) -> String {
    switch self {
    case .open(let f): "open(F\(f + 1))"
    case .openDone(let f): "open_done(F\(f + 1))"
    case .openFails(let f): "open_fails(F\(f + 1))"
    case .op(let f, let kind): "op(F\(f + 1), \(kind.rawValue))"
    case .opBegin(let f, let kind): "op_begin(F\(f + 1), \(kind.rawValue))"
    case .breakActive(let f): "break_active(F\(f + 1))"
    case .lock(let f): "lock(F\(f + 1), \(lockName))"
    case .usePriv(let f): "use_priv(F\(f + 1))"
    case .unlock(let f): "unlock(F\(f + 1))"
    case .pollWait(let p, let f): "poll_wait(P\(p + 1), F\(f + 1))"
    case .pollFreewait(let p): "poll_freewait(P\(p + 1))"
    case .epRemove(let p): "ep_remove(P\(p + 1))"
    case .sever: "sever(N)"
    case .hide: "show(N, false)"
    case .show: "show(N, true)"
    case .lastFput(let f): "last_fput(F\(f + 1))"
    case .rmmod: "rmmod(M)"
    case .moduleExit: "module_exit(M)"
    case .freeTask: "free(task)"
    case .freeNodeData: "free(i_private)"
    }
  }

  /// The kernel function the transition mirrors, for this framework.
  func mirrors(in framework: Framework) -> String {
    switch self {
    case .open:
      switch framework {
      case .kernfs, .cgroup, .sysfs: "kernfs_fop_open"
      case .procfs: "proc_reg_open"
      case .debugfs: "full_proxy_open"
      case .fileOperations: "do_dentry_open"
      }
    case .openDone: framework == .cgroup ? "cgroup_file_open" : "ops->open"
    case .openFails: framework.isKernfsBased ? "kernfs_unlink_open_file" : "do_dentry_open"
    case .op(_, let kind), .opBegin(_, let kind):
      switch framework {
      case .kernfs, .cgroup, .sysfs: "\(Self.kernfsWrapper(kind)) → kernfs_get_active_of"
      case .procfs: "proc_reg_\(kind.rawValue) → use_pde"
      case .debugfs: "full_proxy_\(kind.rawValue) → debugfs_file_get"
      case .fileOperations: "f_op->\(kind.rawValue)"
      }
    case .breakActive:
      framework == .cgroup ? "cgroup_kn_lock_live" : "kernfs_break_active_protection"
    case .lock: framework == .cgroup ? "cgroup_lock" : "mutex_lock"
    case .usePriv: "of->priv"
    case .unlock: framework == .cgroup ? "cgroup_unlock" : "mutex_unlock"
    case .pollWait:
      switch framework {
      case .kernfs, .cgroup, .sysfs: "kernfs_fop_poll"
      case .procfs: "proc_reg_poll"
      case .debugfs: "full_proxy_poll"
      case .fileOperations: "vfs_poll"
      }
    case .pollFreewait: "poll_freewait"
    case .epRemove: "ep_remove_wait_queue"
    case .sever:
      switch framework {
      case .kernfs, .sysfs: "__kernfs_remove → kernfs_drain_open_files"
      case .cgroup: "cgroup_rmdir → kernfs_drain_open_files"
      case .procfs: "proc_entry_rundown → close_pdeo"
      case .debugfs: "__debugfs_file_removed"
      case .fileOperations: "cdev_del"
      }
    case .hide:
      framework == .cgroup
        ? "cgroup_file_show → kernfs_drain_open_files" : "kernfs_show → kernfs_drain_open_files"
    case .show:
      framework == .cgroup ? "cgroup_file_show → kernfs_activate" : "kernfs_show → kernfs_activate"
    case .lastFput:
      switch framework {
      case .kernfs, .cgroup, .sysfs: "__fput → kernfs_fop_release"
      case .procfs: "__fput → proc_reg_release"
      case .debugfs: "__fput → full_proxy_release"
      case .fileOperations: "__fput → fops_put"
      }
    case .rmmod: "delete_module → try_stop_module"
    case .moduleExit: "delete_module → mod->exit, free_module"
    case .freeTask: "release_task"
    case .freeNodeData: "kfree"
    }
  }

  /// The kernfs file operation that dispatches a callback kind (fs/kernfs/file.c).
  private static func kernfsWrapper(_ kind: CallbackKind) -> String {
    switch kind {
    case .seqShow: "kernfs_seq_show"
    case .read: "kernfs_fop_read_iter"
    case .write: "kernfs_fop_write_iter"
    case .mmap: "kernfs_fop_mmap"
    case .llseek: "kernfs_fop_llseek"
    case .poll: "kernfs_fop_poll"
    case .open: "kernfs_fop_open"
    case .release: "kernfs_release_file"
    // problems() refuses ioctl for kernfs-based tables: kernfs_file_fops has none.
    case .ioctl: "kernfs_file_fops"
    }
  }
}
