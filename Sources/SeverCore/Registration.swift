/// A call that hands a callback table to a framework (`proc_create("x", 0, NULL, &x_ops)`).
public struct Registration: Codable, Sendable, Hashable {
  /// The framework function called (`proc_create`, `cgroup_add_legacy_cftypes`, `misc_register`).
  public var callee: String
  /// The table passed, by variable name, when the argument names one (`x_ops`).
  public var table: String?
  /// The kind of the table argument as the callee declares it, when it was resolved.
  public var tableKind: TableKind?
  /// For `misc_register(&m)`: the `struct miscdevice` variable, whose `.fops` is the table.
  public var via: String?
  /// The 0-based argument position of the table.
  public var argumentIndex: Int?
  /// The function the call is in.
  public var enclosingFunction: String?
  /// Where the call is.
  public var location: SourceLocation

  /// Creates a registration.
  public init(
    callee: String, table: String?, tableKind: TableKind?, via: String? = nil,
    argumentIndex: Int?, enclosingFunction: String?, location: SourceLocation
  ) {
    self.callee = callee
    self.table = table
    self.tableKind = tableKind
    self.via = via
    self.argumentIndex = argumentIndex
    self.enclosingFunction = enclosingFunction
    self.location = location
  }
}
