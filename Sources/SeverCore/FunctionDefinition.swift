/// A function definition with its body's extent: the handlers that tables name, and the callers
/// and callees the rules walk.
public struct FunctionDefinition: Codable, Sendable, Hashable {
  /// The function's name.
  public var name: String
  /// Where the name is.
  public var location: SourceLocation
  /// The body, from `{` to `}`.
  public var body: SourceRange
  /// Whether the function has internal linkage (`static`).
  public var isStatic: Bool

  /// Creates a function definition.
  public init(name: String, location: SourceLocation, body: SourceRange, isStatic: Bool) {
    self.name = name
    self.location = location
    self.body = body
    self.isStatic = isStatic
  }
}
