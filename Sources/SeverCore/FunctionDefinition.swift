/// A function definition with its body's extent and what the body does that the rules need:
/// calls (frees, `poll_wait`, locks), stores (`of->priv = NULL`) and reads through pointers.
///
/// A value with its fields in one shared, copy-on-write storage: the rules' index holds a
/// definition once per name, per call site and per store (a whole tree's index makes millions
/// of copies), and a copy of ten separately counted fields cost ten reference-count updates
/// where one now does.
public struct FunctionDefinition: Codable, Sendable, Hashable {
  private var storage: Storage

  /// The function's name.
  public var name: String {
    get { storage.fields.name }
    set { unique().fields.name = newValue }
  }
  /// Where the name is.
  public var location: SourceLocation {
    get { storage.fields.location }
    set { unique().fields.location = newValue }
  }
  /// The body, from `{` to `}`.
  public var body: SourceRange {
    get { storage.fields.body }
    set { unique().fields.body = newValue }
  }
  /// Whether the function has internal linkage (`static`).
  public var isStatic: Bool {
    get { storage.fields.isStatic }
    set { unique().fields.isStatic = newValue }
  }
  /// The parameters, in order.
  public var parameters: [ParameterFact] {
    get { storage.fields.parameters }
    _modify { yield &unique().fields.parameters }
  }
  /// Direct calls in the body, in source order.
  public var calls: [CallFact] {
    get { storage.fields.calls }
    _modify { yield &unique().fields.calls }
  }
  /// Assignments and initialised locals, in source order.
  public var stores: [StoreFact] {
    get { storage.fields.stores }
    _modify { yield &unique().fields.stores }
  }
  /// Reads through parameters and locals, in source order.
  public var uses: [UseFact] {
    get { storage.fields.uses }
    _modify { yield &unique().fields.uses }
  }
  /// `if` conditions, in source order.
  public var conditions: [ConditionFact] {
    get { storage.fields.conditions }
    _modify { yield &unique().fields.conditions }
  }
  /// `return` and `goto` statements, in source order.
  public var exits: [ExitFact] {
    get { storage.fields.exits }
    _modify { yield &unique().fields.exits }
  }

  /// Creates a function definition.
  public init(
    name: String, location: SourceLocation, body: SourceRange, isStatic: Bool,
    parameters: [ParameterFact] = [], calls: [CallFact] = [], stores: [StoreFact] = [],
    uses: [UseFact] = [], conditions: [ConditionFact] = [], exits: [ExitFact] = []
  ) {
    storage = Storage(
      Fields(
        name: name, location: location, body: body, isStatic: isStatic, parameters: parameters,
        calls: calls, stores: stores, uses: uses, conditions: conditions, exits: exits))
  }

  /// The storage, copied first when another value shares it.
  private mutating func unique() -> Storage {
    if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
    return storage
  }

  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(storage.fields) }

  // Encoded as the fields themselves: the JSON keeps its keys and their order.
  public init(from decoder: any Decoder) throws { storage = Storage(try Fields(from: decoder)) }

  public func encode(to encoder: any Encoder) throws { try storage.fields.encode(to: encoder) }

  /// The fields, in the order they are encoded.
  private struct Fields: Codable, Hashable {
    var name: String
    var location: SourceLocation
    var body: SourceRange
    var isStatic: Bool
    var parameters: [ParameterFact]
    var calls: [CallFact]
    var stores: [StoreFact]
    var uses: [UseFact]
    var conditions: [ConditionFact]
    var exits: [ExitFact]
  }

  /// A class so that copies of the definition share the fields. They change only through
  /// `unique()`, on storage no other value holds, so no two threads ever see one change: the
  /// reason the unchecked conformance is safe.
  private final class Storage: @unchecked Sendable {
    var fields: Fields
    init(_ fields: Fields) { self.fields = fields }
  }
}
