/// The pseudo-filesystem (or plain VFS path) that dispatches a callback table, as the model needs
/// to know it: who calls `release`, whether removal severs open files, whether `.owner` pins the
/// module (contract.md §1.3, §1.5-1.9).
public enum Framework: String, Codable, Sendable, Hashable, CaseIterable {
  /// `struct kernfs_ops` used directly (kernfs users other than sysfs and cgroup).
  case kernfs
  /// `struct cftype`, multiplexed onto the built-in `cgroup_kf_ops` (C1..C5).
  case cgroup
  /// sysfs attributes: kernfs without `release` or `poll` hooks (S1..S3).
  case sysfs
  /// `struct proc_ops` behind `proc_reg_*` and `proc_entry_rundown` (P1..P3).
  case procfs
  /// debugfs proxies around a real `file_operations` (D1..D3).
  case debugfs
  /// A plain `file_operations` (cdev, misc, anon inode) pinned only by `.owner` (M1..M3).
  case fileOperations

  /// Whether removal calls `release` for files that are still open (kernfs severing,
  /// `kernfs_drain_open_files`; procfs rundown, `close_pdeo`).
  public var severs: Bool {
    switch self {
    case .kernfs, .cgroup, .sysfs, .procfs: true
    case .debugfs, .fileOperations: false
    }
  }

  /// Whether ops are dispatched through kernfs (`kernfs_fop_*` and `kernfs_get_active_of`).
  public var isKernfsBased: Bool {
    switch self {
    case .kernfs, .cgroup, .sysfs: true
    case .procfs, .debugfs, .fileOperations: false
    }
  }

  /// Whether ops stop once the entry is removed: kernfs active references, procfs `use_pde`,
  /// debugfs `debugfs_file_get`. A plain `file_operations` keeps being called until last fput.
  public var stopsOpsAtRemoval: Bool { self != .fileOperations }

  /// Whether the framework can hide and re-show a node (`kernfs_show`, `cgroup_file_show`).
  public var supportsShow: Bool { self == .kernfs || self == .cgroup }

  /// Whether `fops->owner` pins the module from open to last fput (`fops_get`/`fops_put`);
  /// kernfs, sysfs and procfs rely on severing instead (M2).
  public var honoursOwner: Bool { self == .debugfs || self == .fileOperations }

  /// Whether a file without a `poll` callback can still be polled: kernfs falls back to
  /// `kernfs_generic_poll` on the framework-owned `on->poll`.
  public var hasDefaultPoll: Bool { isKernfsBased }
}
