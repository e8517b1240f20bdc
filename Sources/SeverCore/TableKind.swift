/// The struct types whose definitions sever treats as callback tables (contract.md §1).
///
/// The raw value is the C struct tag, so `struct kernfs_ops` maps to `.kernfsOps`.
public enum TableKind: String, Codable, Sendable, CaseIterable, Comparable {
  case kernfsOps = "kernfs_ops"
  case cftype = "cftype"
  case procOps = "proc_ops"
  case fileOperations = "file_operations"
  case vmOperations = "vm_operations_struct"
  case seqOperations = "seq_operations"
  case binAttribute = "bin_attribute"
  case attribute = "attribute"
  case deviceAttribute = "device_attribute"
  case driverAttribute = "driver_attribute"
  case classAttribute = "class_attribute"
  case busAttribute = "bus_attribute"
  case kobjAttribute = "kobj_attribute"
  /// Not a callback table itself, but `misc_register` reaches its `file_operations` through `.fops`.
  case miscdevice = "miscdevice"

  /// Creates a kind from a C struct tag (`"kernfs_ops"`), or nil for any other struct.
  public init?(structTag: String) {
    self.init(rawValue: structTag)
  }

  /// `struct <tag>`, as a kernel developer writes it.
  public var cSpelling: String { "struct \(rawValue)" }

  public static func < (lhs: TableKind, rhs: TableKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
