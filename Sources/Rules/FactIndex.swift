import Dispatch
import SeverCore
import Synchronization

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
/// call sites by callee, stores by struct field.
///
/// Every list is in an order made from symbols (path, name, then position inside one function),
/// never from where a definition stands in its file, so that what the rules find does not depend
/// on the order in which functions and tables are written.
public final class FactIndex: Sendable {
  /// Every file's facts.
  public let files: [FileFacts]
  /// Every table with its file, by path, name and array index.
  public let tables: [Located<CallbackTable>]
  /// Every dispatch site with its file, by path, enclosing function and field.
  public let dispatches: [Located<DispatchSite>]
  /// Every registration with its file, by path, enclosing function and callee.
  public let registrations: [Located<Registration>]
  private let functionsByName: [String: [Located<FunctionDefinition>]]
  private let functionsByKey: [String: Located<FunctionDefinition>]
  private let callSitesByCallee: [String: [(caller: Located<FunctionDefinition>, call: CallFact)]]
  private let storesByField: [String: [(function: Located<FunctionDefinition>, store: StoreFact)]]

  /// Indexes the facts. The five indexes are built at once on as many threads as there are
  /// cores (a whole tree's index holds millions of entries); each is a value of the sorted
  /// files alone, so which thread finishes first changes nothing.
  public init(files: [FileFacts]) {
    let files = files.sorted { $0.path < $1.path }
    self.files = files
    let functions = Self.functionsByName(files)
    let parts = Mutex(Parts())
    DispatchQueue.concurrentPerform(iterations: 5) { part in
      switch part {
      case 0:
        let tables = Self.tables(of: files)
        parts.withLock { $0.tables = tables }
      case 1:
        let (dispatches, registrations) = Self.sites(of: files)
        parts.withLock {
          $0.dispatches = dispatches
          $0.registrations = registrations
        }
      case 2:
        let (byName, byKey) = Self.definitions(functions)
        parts.withLock {
          $0.functionsByName = byName
          $0.functionsByKey = byKey
        }
      case 3:
        let calls = Self.calls(functions)
        parts.withLock { $0.callSitesByCallee = calls }
      default:
        let stores = Self.stores(functions)
        parts.withLock { $0.storesByField = stores }
      }
    }
    let built = parts.withLock { $0 }
    tables = built.tables
    dispatches = built.dispatches
    registrations = built.registrations
    functionsByName = built.functionsByName
    functionsByKey = built.functionsByKey
    callSitesByCallee = built.callSitesByCallee
    storesByField = built.storesByField
  }

  /// The indexes, as the threads that build them hand them over.
  private struct Parts: Sendable {
    var tables: [Located<CallbackTable>] = []
    var dispatches: [Located<DispatchSite>] = []
    var registrations: [Located<Registration>] = []
    var functionsByName: [String: [Located<FunctionDefinition>]] = [:]
    var functionsByKey: [String: Located<FunctionDefinition>] = [:]
    var callSitesByCallee: [String: [(caller: Located<FunctionDefinition>, call: CallFact)]] = [:]
    var storesByField: [String: [(function: Located<FunctionDefinition>, store: StoreFact)]] = [:]
  }

  /// Every table, by path, name and array index.
  private static func tables(of files: [FileFacts]) -> [Located<CallbackTable>] {
    files.flatMap { file in file.tables.map { Located(path: file.path, value: $0) } }.sorted {
      ($0.path, $0.value.name, $0.value.index ?? -1)
        < ($1.path, $1.value.name, $1.value.index ?? -1)
    }
  }

  /// Every dispatch site and registration, by path, enclosing function and field or callee;
  /// within one function the source order stays: it is what the function does first.
  private static func sites(of files: [FileFacts]) -> (
    [Located<DispatchSite>], [Located<Registration>]
  ) {
    let dispatches = files.flatMap { file in
      file.dispatches.map { Located(path: file.path, value: $0) }
    }.sorted {
      ($0.path, $0.value.enclosingFunction ?? "", $0.value.field, $0.value.location)
        < ($1.path, $1.value.enclosingFunction ?? "", $1.value.field, $1.value.location)
    }
    let registrations = files.flatMap { file in
      file.registrations.map { Located(path: file.path, value: $0) }
    }.sorted {
      ($0.path, $0.value.enclosingFunction ?? "", $0.value.callee, $0.value.location)
        < ($1.path, $1.value.enclosingFunction ?? "", $1.value.callee, $1.value.location)
    }
    return (dispatches, registrations)
  }

  /// Definitions by name, and by path and name (the first by name order for a static name
  /// defined twice in one file).
  private static func definitions(_ functions: [[Located<FunctionDefinition>]]) -> (
    [String: [Located<FunctionDefinition>]], [String: Located<FunctionDefinition>]
  ) {
    var byName: [String: [Located<FunctionDefinition>]] = [:]
    var byKey: [String: Located<FunctionDefinition>] = [:]
    for located in functions.joined() {
      byName[located.value.name, default: []].append(located)
      if byKey[located.key] == nil { byKey[located.key] = located }
    }
    return (byName, byKey)
  }

  /// Each file's functions by name, the files in their order: two definitions of one static
  /// name in one file come from `#if` branches clang never sees together, and the first by name
  /// order is the one kept. Sorted on every core, a share of the files each (a whole tree's
  /// index sorted them on one, while the others waited).
  private static func functionsByName(_ files: [FileFacts]) -> [[Located<FunctionDefinition>]] {
    let shares = max(1, min(files.count, 8))
    let sorted = Mutex([[[Located<FunctionDefinition>]]](repeating: [], count: shares))
    DispatchQueue.concurrentPerform(iterations: shares) { share in
      let part = stride(from: share, to: files.count, by: shares).map { index in
        files[index].functions.sorted { $0.name < $1.name }.map {
          Located(path: files[index].path, value: $0)
        }
      }
      sorted.withLock { $0[share] = part }
    }
    let parts = sorted.withLock { $0 }
    // File `index` is element `index / shares` of share `index % shares`.
    return files.indices.map { parts[$0 % shares][$0 / shares] }
  }

  /// Call sites by callee, in file, function and source order.
  private static func calls(_ functions: [[Located<FunctionDefinition>]]) -> [String: [(
    caller: Located<FunctionDefinition>, call: CallFact
  )]] {
    var calls: [String: [(caller: Located<FunctionDefinition>, call: CallFact)]] = [:]
    for located in functions.joined() {
      for call in located.value.calls { calls[call.callee, default: []].append((located, call)) }
    }
    return calls
  }

  /// Stores by `struct tag.field`, in file, function and source order.
  private static func stores(_ functions: [[Located<FunctionDefinition>]]) -> [String: [(
    function: Located<FunctionDefinition>, store: StoreFact
  )]] {
    var stores: [String: [(function: Located<FunctionDefinition>, store: StoreFact)]] = [:]
    for located in functions.joined() {
      for store in located.value.stores {
        guard let field = store.target.fields.last, let tag = store.target.recordTags.last,
          !tag.isEmpty
        else { continue }
        stores[tag + "." + field, default: []].append((located, store))
      }
    }
    return stores
  }

  /// The definition a call to `name` from a function in `path` reaches: a static function of
  /// the same file first, then an external definition (the first by path when several exist).
  public func function(named name: String, from path: String) -> Located<FunctionDefinition>? {
    if let local = functionsByKey[path + "#" + name] { return local }
    return functionsByName[name]?.first { !$0.value.isStatic }
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

  /// Calls to `name` anywhere in the run, by caller (path, name) and then source order.
  public func callSites(of name: String) -> [(caller: Located<FunctionDefinition>, call: CallFact)]
  {
    callSitesByCallee[name] ?? []
  }

  /// Stores into `struct <tag>.<field>` anywhere in the run, by function and then source order.
  public func stores(intoField field: String, ofStruct tag: String)
    -> [(function: Located<FunctionDefinition>, store: StoreFact)]
  {
    storesByField[tag + "." + field] ?? []
  }

  /// The function a `path#name` key designates.
  func functionByKey(_ key: String) -> Located<FunctionDefinition>? { functionsByKey[key] }

  /// The definitions `function` calls directly, resolved from its file, in call order.
  func callees(of function: Located<FunctionDefinition>) -> [Located<FunctionDefinition>] {
    function.value.calls.compactMap { self.function(named: $0.callee, from: function.path) }
  }

  /// The functions reachable from `roots` through direct calls, roots included: every function
  /// at most `depth` calls below a root. Breadth-first, so the set does not depend on the order
  /// of the calls.
  public func reachable(
    from roots: [Located<FunctionDefinition>], depth: Int = AnalysisDepth.reach
  ) -> Set<String> {
    var seen = Set(roots.map(\.key))
    var frontier = roots
    for _ in 0..<depth where !frontier.isEmpty {
      var next: [Located<FunctionDefinition>] = []
      for function in frontier {
        for callee in callees(of: function) where seen.insert(callee.key).inserted {
          next.append(callee)
        }
      }
      frontier = next
    }
    return seen
  }

  /// Whether `function` or a helper within `depth` calls calls one of `names`.
  public func calls(
    _ names: Set<String>, from function: Located<FunctionDefinition>,
    depth: Int = AnalysisDepth.reach
  ) -> Bool {
    reachable(from: [function], depth: depth).contains { key in
      functionByKey(key)?.value.calls.contains { names.contains($0.callee) } ?? false
    }
  }
}

/// How deep the analyses look, as named constants shared by the rules that read the analyses and
/// by tier 1, which keeps the files those reads need (`TierOneRequirement`). Depths count
/// functions: the function a rule asks about is the first.
public enum AnalysisDepth {
  /// What a release path frees (`FunctionSummaries.frees`): the function and seven helpers.
  public static let frees = 8
  /// Which heads a poll handler hands to `poll_wait` (`FunctionSummaries.pollHeads`).
  public static let pollHeads = 6
  /// Calls followed below a set of handlers for "what they reach" (`FactIndex.reachable`).
  public static let reach = 6
  /// Calls below a release looked at for `of->priv = NULL` (`FunctionSummaries.clearsPriv`).
  public static let clearsPriv = 3
  /// Calls below a cgroup or kernfs table's handlers for the function breaking active
  /// protection (`kernfs-stale-priv`).
  public static let stalePrivHandlers = 3
  /// Calls below an `mmap` handler for the `vm_ops`/`vm_file` stores (`kernfs-mmap-vm-ops`).
  public static let mmap = 3
  /// Functions from a debugfs release down to a dereference of `inode->i_private`.
  public static let inodePrivate = 3
  /// Functions from an open or a release down to the reference-count primitive it reaches
  /// (`kvm_get_kvm_safe` → `refcount_inc_not_zero`).
  public static let references = 4
  /// The deepest any reader looks: summaries keep results up to here, so a read at any depth up
  /// to it is exact.
  public static let horizon = 10
}
