/// A call through a function-pointer field of a callback table type: the framework invoking a
/// callback (`kn->attr.ops->release(of)`, `cft->release(of)`, `pde->proc_ops->proc_release(…)`).
public struct DispatchSite: Codable, Sendable, Hashable {
  /// The table type whose field is called.
  public var tableKind: TableKind
  /// The field called (`release`).
  public var field: String
  /// The function that contains the call.
  public var enclosingFunction: String?
  /// The callee expression's source text, trimmed (`kn->attr.ops->release`).
  public var expression: String
  /// Where the call is.
  public var location: SourceLocation

  /// Creates a dispatch site.
  public init(
    tableKind: TableKind, field: String, enclosingFunction: String?, expression: String,
    location: SourceLocation
  ) {
    self.tableKind = tableKind
    self.field = field
    self.enclosingFunction = enclosingFunction
    self.expression = expression
    self.location = location
  }
}
