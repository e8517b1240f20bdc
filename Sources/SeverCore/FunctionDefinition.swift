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
    get { storage.name }
    set { unique().name = newValue }
  }
  /// Where the name is.
  public var location: SourceLocation {
    get { storage.location }
    set { unique().location = newValue }
  }
  /// The body, from `{` to `}`.
  public var body: SourceRange {
    get { storage.body }
    set { unique().body = newValue }
  }
  /// Whether the function has internal linkage (`static`).
  public var isStatic: Bool {
    get { storage.isStatic }
    set { unique().isStatic = newValue }
  }
  /// The parameters, in order.
  public var parameters: [ParameterFact] {
    get { storage.parameters }
    _modify { yield &unique().parameters }
  }
  /// Direct calls in the body, in source order.
  public var calls: [CallFact] {
    get { storage.calls }
    _modify { yield &unique().calls }
  }
  /// Assignments and initialised locals, in source order.
  public var stores: [StoreFact] {
    get { storage.stores }
    _modify { yield &unique().stores }
  }
  /// Reads through parameters and locals, in source order.
  public var uses: [UseFact] {
    get { storage.uses }
    _modify { yield &unique().uses }
  }
  /// `if` conditions, in source order.
  public var conditions: [ConditionFact] {
    get { storage.conditions }
    _modify { yield &unique().conditions }
  }
  /// `return` and `goto` statements, in source order.
  public var exits: [ExitFact] {
    get { storage.exits }
    _modify { yield &unique().exits }
  }

  /// Creates a function definition.
  public init(
    name: String, location: SourceLocation, body: SourceRange, isStatic: Bool,
    parameters: [ParameterFact] = [], calls: [CallFact] = [], stores: [StoreFact] = [],
    uses: [UseFact] = [], conditions: [ConditionFact] = [], exits: [ExitFact] = []
  ) {
    storage = Storage(
      name: name, location: location, body: body, isStatic: isStatic, parameters: parameters,
      calls: calls, stores: stores, uses: uses, conditions: conditions, exits: exits)
  }

  /// The storage, copied first when another value shares it.
  private mutating func unique() -> Storage {
    if !isKnownUniquelyReferenced(&storage) { storage = Storage(copying: storage) }
    return storage
  }

  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(storage.fields) }

  private enum CodingKeys: String, CodingKey {
    case name, location, body, isStatic, parameters, calls, stores, uses, conditions, exits
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      name: try container.decode(String.self, forKey: .name),
      location: try container.decode(SourceLocation.self, forKey: .location),
      body: try container.decode(SourceRange.self, forKey: .body),
      isStatic: try container.decode(Bool.self, forKey: .isStatic),
      parameters: try container.decode([ParameterFact].self, forKey: .parameters),
      calls: try container.decode([CallFact].self, forKey: .calls),
      stores: try container.decode([StoreFact].self, forKey: .stores),
      uses: try container.decode([UseFact].self, forKey: .uses),
      conditions: try container.decode([ConditionFact].self, forKey: .conditions),
      exits: try container.decode([ExitFact].self, forKey: .exits))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(name, forKey: .name)
    try container.encode(location, forKey: .location)
    try container.encode(body, forKey: .body)
    try container.encode(isStatic, forKey: .isStatic)
    try container.encode(parameters, forKey: .parameters)
    try container.encode(calls, forKey: .calls)
    try container.encode(stores, forKey: .stores)
    try container.encode(uses, forKey: .uses)
    try container.encode(conditions, forKey: .conditions)
    try container.encode(exits, forKey: .exits)
  }

  /// The fields of a definition. A class so that copies of the definition share it; its
  /// fields change only through `unique()`, on storage no other value holds, so no two
  /// threads ever see one change (the reason the unchecked conformance is safe).
  private final class Storage: @unchecked Sendable {
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

    init(
      name: String, location: SourceLocation, body: SourceRange, isStatic: Bool,
      parameters: [ParameterFact], calls: [CallFact], stores: [StoreFact], uses: [UseFact],
      conditions: [ConditionFact], exits: [ExitFact]
    ) {
      self.name = name
      self.location = location
      self.body = body
      self.isStatic = isStatic
      self.parameters = parameters
      self.calls = calls
      self.stores = stores
      self.uses = uses
      self.conditions = conditions
      self.exits = exits
    }

    convenience init(copying other: Storage) {
      self.init(
        name: other.name, location: other.location, body: other.body, isStatic: other.isStatic,
        parameters: other.parameters, calls: other.calls, stores: other.stores,
        uses: other.uses, conditions: other.conditions, exits: other.exits)
    }

    /// The fields as one hashable value, for equality and hashing.
    var fields: Fields {
      Fields(
        name: name, location: location, body: body, isStatic: isStatic, parameters: parameters,
        calls: calls, stores: stores, uses: uses, conditions: conditions, exits: exits)
    }
  }

  private struct Fields: Hashable {
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
}
