/// Everything extraction learned from one translation unit, as plain values.
///
/// Facts are attributed to the file they are written in: parsing `kernel/sched/build_utility.c`
/// yields facts for `kernel/sched/psi.c` too, each with its own path.
public struct FileFacts: Codable, Sendable, Hashable {
  /// The translation unit's main file, relative to the tree root.
  public var path: String
  /// Callback table definitions, sorted by location.
  public var tables: [CallbackTable]
  /// Function definitions that are handlers or that call registration or dispatch functions,
  /// sorted by location.
  public var functions: [FunctionDefinition]
  /// Calls that hand a table to a framework, sorted by location.
  public var registrations: [Registration]
  /// Calls through a table's function-pointer field, sorted by location.
  public var dispatches: [DispatchSite]
  /// Number of error diagnostics clang reported for the unit.
  public var parseErrorCount: Int
  /// Parse errors and other coverage problems, sorted.
  public var diagnostics: [ToolDiagnostic]
  /// The `sever: ignore[…]` comments of the file, in line order.
  public var suppressions: [Suppression]

  /// Creates facts.
  public init(
    path: String, tables: [CallbackTable] = [], functions: [FunctionDefinition] = [],
    registrations: [Registration] = [], dispatches: [DispatchSite] = [],
    parseErrorCount: Int = 0, diagnostics: [ToolDiagnostic] = [], suppressions: [Suppression] = []
  ) {
    self.path = path
    self.tables = tables
    self.functions = functions
    self.registrations = registrations
    self.dispatches = dispatches
    self.parseErrorCount = parseErrorCount
    self.diagnostics = diagnostics
    self.suppressions = suppressions
  }
}
