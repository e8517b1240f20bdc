import SeverCore

/// A value together with the file it was found in.
public struct Located<Value: Sendable>: Sendable {
  /// The file, relative to the tree root.
  public var path: String
  /// The value.
  public var value: Value
}

extension Located where Value == FunctionDefinition {
  /// A key that tells static functions of different files apart.
  var key: String { path + "#" + value.name }
}

/// The facts of a run, indexed for the rules: functions by name (static-aware), tables by name,
/// call sites by callee, stores by struct field. Per-function analyses are cached here, so the
/// index is a class used by one rule run at a time.
public final class FactIndex {
  /// Every file's facts.
  public let files: [FileFacts]
  /// Every table with its file, in file and source order.
  public let tables: [Located<CallbackTable>]
  /// Every dispatch site with its file.
  public let dispatches: [Located<DispatchSite>]
  /// Every registration with its file.
  public let registrations: [Located<Registration>]
  private var functionsByName: [String: [Located<FunctionDefinition>]] = [:]
  private var callSitesByCallee: [String: [(caller: Located<FunctionDefinition>, call: CallFact)]] =
    [:]
  private var storesByField: [String: [(function: Located<FunctionDefinition>, store: StoreFact)]] =
    [:]
  var freeCache: [String: [FreedObject]] = [:]
  var headCache: [String: [PolledHead]] = [:]
  var inProgress: Set<String> = []

  /// Indexes the facts.
  public init(files: [FileFacts]) {
    self.files = files
    var tables: [Located<CallbackTable>] = []
    var dispatches: [Located<DispatchSite>] = []
    var registrations: [Located<Registration>] = []
    for file in files {
      tables += file.tables.map { Located(path: file.path, value: $0) }
      dispatches += file.dispatches.map { Located(path: file.path, value: $0) }
      registrations += file.registrations.map { Located(path: file.path, value: $0) }
      for function in file.functions {
        let located = Located(path: file.path, value: function)
        functionsByName[function.name, default: []].append(located)
        for call in function.calls {
          callSitesByCallee[call.callee, default: []].append((located, call))
        }
        for store in function.stores {
          guard let field = store.target.fields.last, let tag = store.target.recordTags.last,
            !tag.isEmpty
          else { continue }
          storesByField[tag + "." + field, default: []].append((located, store))
        }
      }
    }
    self.tables = tables
    self.dispatches = dispatches
    self.registrations = registrations
  }

  /// The definition a call to `name` from a function in `path` reaches: a static function of
  /// the same file first, then an external definition (the first by path when several exist).
  public func function(named name: String, from path: String) -> Located<FunctionDefinition>? {
    guard let candidates = functionsByName[name] else { return nil }
    if let local = candidates.first(where: { $0.path == path }) { return local }
    return candidates.filter { !$0.value.isStatic }.min { $0.path < $1.path }
  }

  /// The definition a table field's handler names, resolved from the table's file.
  public func handler(_ table: Located<CallbackTable>, field: String)
    -> Located<FunctionDefinition>?
  {
    guard let name = table.value.field(field)?.handler else { return nil }
    return function(named: name, from: table.path)
  }

  /// Every handler a table's fields name that is defined in the run.
  public func handlers(of table: Located<CallbackTable>) -> [Located<FunctionDefinition>] {
    table.value.fields.compactMap { field in
      field.handler.flatMap { function(named: $0, from: table.path) }
    }
  }

  /// Calls to `name` anywhere in the run.
  public func callSites(of name: String) -> [(caller: Located<FunctionDefinition>, call: CallFact)]
  {
    callSitesByCallee[name] ?? []
  }

  /// Stores into `struct <tag>.<field>` anywhere in the run.
  public func stores(intoField field: String, ofStruct tag: String)
    -> [(function: Located<FunctionDefinition>, store: StoreFact)]
  {
    storesByField[tag + "." + field] ?? []
  }

  /// The functions reachable from `roots` through direct calls, roots included.
  public func reachable(from roots: [Located<FunctionDefinition>], depth: Int = 6) -> Set<String> {
    var seen = Set(roots.map(\.key))
    var frontier = roots
    for _ in 0..<depth where !frontier.isEmpty {
      var next: [Located<FunctionDefinition>] = []
      for function in frontier {
        for call in function.value.calls {
          guard let callee = self.function(named: call.callee, from: function.path),
            seen.insert(callee.key).inserted
          else { continue }
          next.append(callee)
        }
      }
      frontier = next
    }
    return seen
  }
}
