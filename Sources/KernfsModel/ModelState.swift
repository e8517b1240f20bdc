/// One global state of the model (contract.md §1.10): the node, the module, the tracked
/// objects, the lock a breaking path holds, every open file and every poller. Values only, so
/// the explorer can hash and compare them.
struct ModelState: Hashable, Sendable {
  /// The kernfs node (or proc entry, debugfs dentry, cdev).
  enum NodePhase: UInt8, Sendable {
    /// Ops get active references.
    case active
    /// `kernfs_show(kn, false)`: deactivated and drained, but can come back.
    case hidden
    /// `kernfs_show(kn, true)` after a hide: active again; released files must stay dead (K13).
    case reshown
    /// Removed for good (`__kernfs_remove`, `proc_entry_rundown`, `debugfs_remove`, `cdev_del`).
    case removed
  }

  /// The module providing the callbacks.
  enum ModulePhase: UInt8, Sendable {
    /// Loaded.
    case live
    /// `MODULE_STATE_GOING`: `try_stop_module` succeeded, `module_exit` is running.
    case going
    /// Text and static data freed.
    case gone
  }

  /// An object whose memory a waiter or a callback may still touch.
  enum ObjectPhase: UInt8, Sendable {
    /// Allocated.
    case live
    /// Freed.
    case freed
  }

  /// A struct file of the node.
  enum FilePhase: UInt8, Sendable {
    /// Not opened yet.
    case unopened
    /// `kernfs_fop_open` is running `ops->open` under an active reference.
    case opening
    /// Open and not released.
    case open
    /// `release` ran (at severing); the struct file lives until last fput.
    case released
    /// Last fput happened.
    case closed
    /// `open` failed: no release is owed (K11).
    case openFailed
  }

  /// The `of->priv` object of a file.
  enum PrivPhase: UInt8, Sendable {
    /// Never allocated.
    case none
    /// Allocated by open.
    case live
    /// Freed, but `of->priv` still points at it.
    case freedDangling
    /// Freed and `of->priv = NULL`.
    case freedCleared
  }

  /// Progress of a path that breaks active protection (K9, C3).
  enum BreakPhase: UInt8, Sendable {
    /// Not inside the path.
    case idle
    /// Inside the op with an active reference; `of->priv` has been read.
    case protected
    /// `kernfs_break_active_protection` dropped the reference: severing no longer waits.
    case broken
    /// Holding the lock `release` runs under.
    case locked
    /// `of->priv` has been used; only the unlock and return remain.
    case used
  }

  /// One open file.
  struct File: Hashable, Sendable {
    /// The lifecycle phase.
    var phase: FilePhase = .unopened
    /// How many times `release` ran for it (K1: must end at exactly one).
    var releases: UInt8 = 0
    /// The per-file object.
    var priv: PrivPhase = .none
    /// The breaking path, if one is running on this file.
    var breakPhase: BreakPhase = .idle

    /// Whether the struct file exists (between open and last fput).
    var exists: Bool { phase == .opening || phase == .open || phase == .released }
  }

  /// The head a poller is linked to, resolved at `poll_wait` time.
  enum Head: Hashable, Sendable {
    /// The node's `on->poll`.
    case framework
    /// The `of->priv` object of file `index`.
    case priv(Int8)
    /// Static data of the module.
    case moduleStatic
    /// A task-owned object.
    case task
    /// `inode->i_private`.
    case nodeData
    /// Never freed.
    case permanent
  }

  /// One task polling one file once.
  struct Poller: Hashable, Sendable {
    /// Whether it has not polled yet, waits, or is finished.
    enum Phase: UInt8, Sendable {
      /// Not polled yet.
      case idle
      /// Linked to `head` through a wait entry.
      case waiting
      /// Unlinked; nothing more to do.
      case done
    }

    /// The phase.
    var phase: Phase = .idle
    /// The polled file while waiting.
    var file: Int8 = -1
    /// The head while waiting.
    var head: Head = .permanent
  }

  /// The node.
  var node: NodePhase = .active
  /// The module.
  var module: ModulePhase = .live
  /// The task that owns a `.task` head.
  var task: ObjectPhase = .live
  /// `inode->i_private`.
  var nodeData: ObjectPhase = .live
  /// The file whose breaking path holds the lock `release` runs under, or -1.
  var lockHolder: Int8 = -1
  /// Files `F1…`.
  var files: [File]
  /// Pollers `P1…`.
  var pollers: [Poller]

  /// The initial state: everything live and nothing opened.
  init(scope: ModelScope) {
    files = Array(repeating: File(), count: scope.files)
    pollers = Array(repeating: Poller(), count: scope.pollers.count)
  }

  /// Whether ops may start: the node is active (kernfs) or present (others).
  var nodeIsActive: Bool { node == .active || node == .reshown }

  /// Whether the node's `kernfs_open_node` (and so `on->poll`) exists: from the first open to
  /// the last close of the last file (`kernfs_get_open_node` … `kernfs_unlink_open_file`).
  var openNodeExists: Bool { files.contains { $0.exists } }

  /// Whether the memory of `head` has been freed.
  func isFreed(_ head: Head) -> Bool {
    switch head {
    case .framework: !openNodeExists
    case .priv(let index):
      files[Int(index)].priv == .freedDangling || files[Int(index)].priv == .freedCleared
    case .moduleStatic: module == .gone
    case .task: task == .freed
    case .nodeData: nodeData == .freed
    case .permanent: false
    }
  }
}
