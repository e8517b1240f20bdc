import KernfsModel
import SeverCore

/// A `file_operations` handed to a path that pins the module through `fops->owner` instead of
/// severing: debugfs proxies, character devices, misc devices, anonymous inodes (contract.md
/// §1.8, §1.9).
public struct PinningRegistration: Sendable {
  /// How the table reaches `open()`.
  public enum Path: String, Sendable, Hashable {
    /// `debugfs_create_file*` with the full proxy: ops are bracketed by `debugfs_file_get`,
    /// `release` runs at last fput (D1).
    case debugfs
    /// `debugfs_create_file_unsafe`: the open proxy installs the real fops, every op is direct.
    case debugfsUnsafe
    /// `cdev_init`/`cdev_add`, `register_chrdev`, `misc_register`, `anon_inode_get*`.
    case fileOperations
  }

  /// The table.
  public var table: Located<CallbackTable>
  /// The path it is registered through.
  public var path: Path
  /// The registering call (or the store into `miscdevice.fops`/`cdev.ops`).
  public var callee: String
  /// Where it is registered.
  public var location: SourceLocation
  /// The function that registers it.
  public var enclosingFunction: String?

  /// The model's framework for this path.
  public var framework: Framework { path == .debugfs ? .debugfs : .fileOperations }

  /// Whether a debugfs registration passes static data or NULL as `i_private`: module data
  /// lives as long as the module, which an owner pins.
  func dataIsPermanent(index: FactIndex) -> Bool {
    guard
      let call = index.callSites(of: callee).first(where: { $0.call.location == location })?.call,
      call.arguments.count > 3
    else { return false }
    let data = call.arguments[3]
    return data.isNull
      || (data.rootKind == .global && data.fields.allSatisfy { $0 != "*" }
        && data.arrows.allSatisfy { !$0 })
  }
}

extension FactIndex {
  /// Registration functions that reach `open()` through `fops_get` on the table's `.owner`.
  static let pinningCallees: [String: PinningRegistration.Path] = [
    "debugfs_create_file": .debugfs, "debugfs_create_file_size": .debugfs,
    "debugfs_create_file_full": .debugfs, "debugfs_create_file_aux": .debugfs,
    "debugfs_create_file_aux_num": .debugfs, "debugfs_create_file_unsafe": .debugfsUnsafe,
    "cdev_init": .fileOperations, "misc_register": .fileOperations,
    "register_chrdev": .fileOperations, "__register_chrdev": .fileOperations,
    "anon_inode_getfd": .fileOperations, "anon_inode_getfile": .fileOperations,
    "anon_inode_getfd_secure": .fileOperations, "anon_inode_create_getfile": .fileOperations,
    "anon_inode_getfile_fmode": .fileOperations,
  ]

  /// Callbacks the kernel provides as built-in library code: pointing a field at them puts no
  /// module text behind the field.
  static let builtInHelpers: Set<String> = [
    "simple_open", "nonseekable_open", "stream_open", "generic_file_open", "single_release",
    "seq_release", "seq_release_private", "seq_read", "seq_read_iter", "seq_lseek", "seq_write",
    "noop_llseek", "no_llseek", "default_llseek", "generic_file_llseek", "fixed_size_llseek",
    "simple_read_from_buffer", "simple_attr_open", "simple_attr_release", "simple_attr_read",
    "simple_attr_write", "simple_attr_write_signed", "debugfs_attr_read", "debugfs_attr_write",
    "debugfs_attr_write_signed", "simple_transaction_read", "simple_transaction_release",
    "generic_read_dir", "compat_ptr_ioctl", "noop_fsync", "generic_file_read_iter",
    "generic_file_write_iter", "generic_file_mmap", "generic_file_readonly_mmap",
    "single_open", "seq_open",
  ]

  /// Every `file_operations` of the run registered through a pinning path, once per table and
  /// path (the first registration wins).
  public func pinningRegistrations() -> [PinningRegistration] {
    var result: [PinningRegistration] = []
    var seen: Set<String> = []
    func add(
      _ name: String, from path: String, via: PinningRegistration.Path, callee: String,
      location: SourceLocation, function: String?
    ) {
      guard let table = table(named: name, kind: .fileOperations, from: path),
        seen.insert(table.path + "#" + table.value.qualifiedName + "#" + via.rawValue).inserted
      else { return }
      result.append(
        PinningRegistration(
          table: table, path: via, callee: callee, location: location,
          enclosingFunction: function))
    }
    for registration in registrations {
      let value = registration.value
      guard let via = Self.pinningCallees[value.callee], let name = value.table,
        value.tableKind == .fileOperations
      else { continue }
      add(
        name, from: registration.path, via: via, callee: value.callee,
        location: value.location, function: value.enclosingFunction)
    }
    // `m->fops = &x_fops; misc_register(m)` and `cdev->ops = &x_fops`.
    for (tag, field, callee) in [
      ("miscdevice", "fops", "misc_register"), ("cdev", "ops", "cdev_add"),
    ] {
      for (function, store) in stores(intoField: field, ofStruct: tag)
      where store.value.rootKind == .global && store.value.fields.isEmpty {
        add(
          store.value.root, from: function.path, via: .fileOperations, callee: callee,
          location: store.location, function: function.value.name)
      }
    }
    // Static miscdevice tables whose registration names the miscdevice through a pointer.
    for misc in tables where misc.value.kind == .miscdevice {
      guard let fops = misc.value.field("fops")?.reference,
        registrations.contains(where: {
          $0.value.callee == "misc_register" && $0.path == misc.path
        })
      else { continue }
      add(
        fops, from: misc.path, via: .fileOperations, callee: "misc_register",
        location: misc.value.location, function: nil)
    }
    return result
  }

  /// The table a name designates from a file: a table of that file first, then a non-static one.
  public func table(named name: String, kind: TableKind, from path: String)
    -> Located<CallbackTable>?
  {
    let candidates = tables.filter { $0.value.name == name && $0.value.kind == kind }
    if let local = candidates.first(where: { $0.path == path }) { return local }
    return candidates.filter { !$0.value.isStatic }.min { $0.path < $1.path }
  }

  /// The fields of a table whose handler is module text: defined in the run, in a file that is
  /// not known to be built in, and not one of the kernel's library helpers. Handlers defined
  /// outside the run are assumed to be library code.
  public func moduleLocalHandlers(
    of table: Located<CallbackTable>, canBeModule: (String) -> Bool?
  ) -> [(field: TableField, function: Located<FunctionDefinition>)] {
    table.value.fields.compactMap { field in
      guard field.name != "owner", let name = field.handler,
        !Self.builtInHelpers.contains(name),
        let function = function(named: name, from: table.path),
        function.path == table.path || canBeModule(function.path) != false
      else { return nil }
      return (field, function)
    }
  }
}
