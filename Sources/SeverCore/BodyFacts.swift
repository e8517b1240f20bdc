/// A direct call in a function body, with its arguments as access paths.
public struct CallFact: Codable, Sendable, Hashable {
  /// The called function, or the macro (`kfree_rcu`) when the call comes from one that sever
  /// tracks by name.
  public var callee: String
  /// The arguments, in order.
  public var arguments: [AccessPath]
  /// Where the call is.
  public var location: SourceLocation
  /// The conditions of the `if` statements around the call, outermost first, as written;
  /// an `else` branch is `!(condition)`.
  public var guards: [String]

  /// Creates a call.
  public init(
    callee: String, arguments: [AccessPath], location: SourceLocation, guards: [String] = []
  ) {
    self.callee = callee
    self.arguments = arguments
    self.location = location
    self.guards = guards
  }
}

/// An assignment or an initialised local: `of->priv = NULL`, `t->of = of`, `ctx = of->priv`.
public struct StoreFact: Codable, Sendable, Hashable {
  /// What is written.
  public var target: AccessPath
  /// The value written.
  public var value: AccessPath
  /// Where.
  public var location: SourceLocation
  /// Enclosing `if` conditions, as for calls.
  public var guards: [String]

  /// Creates a store.
  public init(
    target: AccessPath, value: AccessPath, location: SourceLocation, guards: [String] = []
  ) {
    self.target = target
    self.value = value
    self.location = location
    self.guards = guards
  }
}

/// A read through a pointer held in a parameter or local: `ctx->psi`, `of->priv`.
public struct UseFact: Codable, Sendable, Hashable {
  /// The path read.
  public var path: AccessPath
  /// Where.
  public var location: SourceLocation

  /// Creates a use.
  public init(path: AccessPath, location: SourceLocation) {
    self.path = path
    self.location = location
  }
}

/// A parameter of a function definition.
public struct ParameterFact: Codable, Sendable, Hashable {
  /// Its name.
  public var name: String
  /// The struct tag it points to (`kernfs_open_file`), when it is a pointer to a struct.
  public var recordTag: String?

  /// Creates a parameter.
  public init(name: String, recordTag: String?) {
    self.name = name
    self.recordTag = recordTag
  }
}

/// An `if` condition; when it tests a pointer against NULL (`!ctx`, `of->priv == NULL`,
/// `if (t->of)`), the pointer tested.
public struct ConditionFact: Codable, Sendable, Hashable {
  /// The condition as written.
  public var text: String
  /// Where.
  public var location: SourceLocation
  /// The pointer compared with NULL, when the condition is such a test.
  public var tested: AccessPath?
  /// Whether the branch is taken when the pointer is NULL (`!p`, `p == NULL`).
  public var takenWhenNull: Bool

  /// Creates a condition.
  public init(text: String, location: SourceLocation, tested: AccessPath?, takenWhenNull: Bool) {
    self.text = text
    self.location = location
    self.tested = tested
    self.takenWhenNull = takenWhenNull
  }
}

/// A way out of a function body, `return …;` or `goto label;`, with the `if` conditions around
/// it: what tells a failure exit (an error returned, or a jump to the unwinding labels) from a
/// success test (`if (!IS_ERR(x)) {…}` that falls through to `return 0;`).
public struct ExitFact: Codable, Sendable, Hashable {
  /// How the body is left.
  public enum Kind: String, Codable, Sendable {
    /// `return` with or without a value.
    case `return`
    /// `goto`, the kernel's jump to its unwinding labels.
    case goto
  }

  /// What a `return` gives back, as far as the expression shows without evaluating it.
  public enum Value: String, Codable, Sendable {
    /// `0`, `NULL`, `false`, or nothing: the success value of the kernel's conventions.
    case success
    /// A negative constant (`-ENOMEM`), `ERR_PTR(…)`, `PTR_ERR(…)` or `ERR_CAST(…)`.
    case error
    /// Anything else (`ret`, a call's result): may be an error.
    case unknown
  }

  /// How the body is left.
  public var kind: Kind
  /// The returned expression or the label, as written (nil for a bare `return;`).
  public var text: String?
  /// The returned value's class (`.unknown` for a goto).
  public var value: Value
  /// Where.
  public var location: SourceLocation
  /// Enclosing `if` conditions, as for calls.
  public var guards: [String]

  /// Creates an exit.
  public init(
    kind: Kind, text: String?, value: Value, location: SourceLocation, guards: [String] = []
  ) {
    self.kind = kind
    self.text = text
    self.value = value
    self.location = location
    self.guards = guards
  }

  /// Whether the exit may report a failure: an error or unknown value, or a jump.
  public var mayFail: Bool { kind == .goto || value != .success }
}
