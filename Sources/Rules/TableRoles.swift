import KernfsModel
import SeverCore

/// How each table kind names its callbacks, and which framework dispatches it.
enum TableRoles {
  /// The framework of a table kind, for the model; nil for kinds the model does not cover.
  static func framework(_ kind: TableKind) -> Framework? {
    switch kind {
    case .kernfsOps: .kernfs
    case .cftype: .cgroup
    case .procOps: .procfs
    case .fileOperations: .fileOperations
    default: nil
    }
  }

  /// The field holding the `release` callback.
  static func releaseField(_ kind: TableKind) -> String {
    kind == .procOps ? "proc_release" : "release"
  }

  /// The field holding the `poll` callback.
  static func pollField(_ kind: TableKind) -> String {
    kind == .procOps ? "proc_poll" : "poll"
  }

  /// The model's callback kind for a field name, when the model knows it.
  static func callback(forField field: String) -> CallbackKind? {
    switch field {
    case "open", "proc_open": .open
    case "release", "proc_release": .release
    case "poll", "proc_poll": .poll
    case "seq_show", "seq_start", "seq_next", "seq_stop": .seqShow
    case "read", "proc_read", "proc_read_iter", "read_u64", "read_s64", "read_iter": .read
    case "write", "proc_write", "write_u64", "write_s64", "write_iter": .write
    case "mmap", "proc_mmap": .mmap
    case "llseek", "proc_lseek": .llseek
    case "unlocked_ioctl", "proc_ioctl": .ioctl
    default: nil
    }
  }

  /// The callbacks a table provides, as the model names them.
  static func callbacks(of table: CallbackTable) -> Set<CallbackKind> {
    var result = Set(
      table.fields.filter { $0.handler != nil }.compactMap { callback(forField: $0.name) })
    if table.kind == .cftype {
      // cgroup_kf_ops always provides open and release around cftype callbacks (contract C1).
      result.formUnion([.open, .release])
    }
    if table.kind != .fileOperations { result.remove(.ioctl) }
    return result
  }

  /// Rewrites a path rooted at one of `function`'s parameters to a root named after the
  /// parameter's struct (`@kernfs_open_file`), so paths of different handlers compare.
  static func canonical(_ path: AccessPath, in function: FunctionDefinition) -> AccessPath {
    guard path.rootKind == .parameter, let index = path.parameterIndex,
      index < function.parameters.count, let tag = function.parameters[index].recordTag
    else { return path }
    var copy = path
    copy.root = "@" + tag
    copy.parameterIndex = nil
    return copy
  }

  /// A path for messages: `@kernfs_open_file` prints as `of`, `@file` as `file`.
  static func display(_ path: AccessPath) -> String {
    var copy = path
    switch path.root {
    case "@kernfs_open_file": copy.root = "of"
    case "@file": copy.root = "file"
    case "@inode": copy.root = "inode"
    case "@seq_file": copy.root = "m"
    default: break
    }
    return copy.description
  }
}
