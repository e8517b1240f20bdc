/// One definition of a callback table, or one element of a table array (`struct cftype foo[]`).
public struct CallbackTable: Codable, Sendable, Hashable {
  /// The variable's name (`cgroup_kf_ops`, or `foo_fops` after macro token pasting).
  public var name: String
  /// Which struct it is.
  public var kind: TableKind
  /// Where it is defined; for a macro-made table, the macro's expansion location.
  public var location: SourceLocation
  /// For an element of an array of tables, its 0-based index; nil for a plain variable.
  public var index: Int?
  /// The macro whose expansion produced the definition (`DEFINE_SHOW_ATTRIBUTE`), when there is one.
  public var macro: String?
  /// Whether the variable has internal linkage (`static`).
  public var isStatic: Bool
  /// Every designated field of the initializer, in source order.
  public var fields: [TableField]

  /// Creates a table.
  public init(
    name: String, kind: TableKind, location: SourceLocation, index: Int? = nil,
    macro: String? = nil, isStatic: Bool, fields: [TableField]
  ) {
    self.name = name
    self.kind = kind
    self.location = location
    self.index = index
    self.macro = macro
    self.isStatic = isStatic
    self.fields = fields
  }

  /// The field with this name, if the initializer sets it.
  public func field(_ name: String) -> TableField? { fields.first { $0.name == name } }

  /// The value of `.owner`, such as `THIS_MODULE`, when set.
  public var owner: String? { field("owner")?.value }

  /// A name that identifies the table and, for arrays, the element: `cgroup_base_files[3]`.
  public var qualifiedName: String { index.map { "\(name)[\($0)]" } ?? name }
}

/// One designated field of a table initializer: `.release = foo_release`.
public struct TableField: Codable, Sendable, Hashable {
  /// The field name (`release`); nested designators are joined with dots (`attr.name`).
  public var name: String
  /// The function the field names, when the value refers to a function.
  public var handler: String?
  /// The referenced variable when the value is `&var` or `var` (`.fops = &foo_fops`).
  public var reference: String?
  /// The value's source text, when it is short (`THIS_MODULE`, `"cpu.pressure"`, `CFTYPE_NOT_ON_ROOT`).
  public var value: String?
  /// Where the field's designator is.
  public var location: SourceLocation

  /// Creates a field.
  public init(
    name: String, handler: String? = nil, reference: String? = nil, value: String? = nil,
    location: SourceLocation
  ) {
    self.name = name
    self.handler = handler
    self.reference = reference
    self.value = value
    self.location = location
  }
}
