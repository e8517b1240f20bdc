/// A function definition with its body's extent and what the body does that the rules need:
/// calls (frees, `poll_wait`, locks), stores (`of->priv = NULL`) and reads through pointers.
public struct FunctionDefinition: Codable, Sendable, Hashable {
  /// The function's name.
  public var name: String
  /// Where the name is.
  public var location: SourceLocation
  /// The body, from `{` to `}`.
  public var body: SourceRange
  /// Whether the function has internal linkage (`static`).
  public var isStatic: Bool
  /// The parameters, in order.
  public var parameters: [ParameterFact]
  /// Direct calls in the body, in source order.
  public var calls: [CallFact]
  /// Assignments and initialised locals, in source order.
  public var stores: [StoreFact]
  /// Reads through parameters and locals, in source order.
  public var uses: [UseFact]
  /// `if` conditions, in source order.
  public var conditions: [ConditionFact]
  /// `return` and `goto` statements, in source order.
  public var exits: [ExitFact]

  /// Creates a function definition.
  public init(
    name: String, location: SourceLocation, body: SourceRange, isStatic: Bool,
    parameters: [ParameterFact] = [], calls: [CallFact] = [], stores: [StoreFact] = [],
    uses: [UseFact] = [], conditions: [ConditionFact] = [], exits: [ExitFact] = []
  ) {
    self.conditions = conditions
    self.exits = exits
    self.name = name
    self.location = location
    self.body = body
    self.isStatic = isStatic
    self.parameters = parameters
    self.calls = calls
    self.stores = stores
    self.uses = uses
  }
}
