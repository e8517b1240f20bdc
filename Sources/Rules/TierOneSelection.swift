import Scan
import SeverCore

/// Which files need libclang (tier 2), decided from tier 1's scan of every candidate file.
///
/// The decision over-approximates what the rules read, so that a two-tier run finds exactly what
/// parsing every candidate finds (`--exhaustive`):
/// 1. **Seeds** are the tables some rule may report, judged by each rule's own requirement on
///    tier-1 facts (`Rule.tierOne`, a `TierOneRequirement`), and the files that spell the table
///    types a rule reads whole (`kernfs_ops`, `cftype`, `proc_ops`): the dispatch sites,
///    registrations and removals that the kernfs and procfs rules read live there.
/// 2. **Reach**: from the seeds' handlers and functions, every function or table a body names,
///    resolved as `FactIndex.function(named:from:)` does (the file's own definition first, else
///    every external one), as many calls deep as the rule's requirement says its analyses read
///    (`AnalysisDepth`).
/// 3. **Mentions**: files that name a non-static seed table (its registration, a run-time
///    `.owner` store) and files defining another table or function of a reached name (so that
///    name resolution picks the same definition as in an exhaustive run).
public struct TierOneSelection: Sendable, Equatable {
  /// Files (relative paths) that tier 2 parses.
  public var files: Set<String>
  /// Why each file was selected (the first reason found), for `--verbose` and tests.
  public var reasons: [String: String]

  /// A selection of `files`, with why each was selected.
  public init(files: Set<String>, reasons: [String: String]) {
    self.files = files
    self.reasons = reasons
  }

  /// Selects the files of `scanned` tier 2 must parse.
  ///
  /// `canBeModule` answers module capability by path (Kbuild), as `RuleContext.canBeModule`
  /// does; nil means unknown, which selects conservatively. `support` finds helpers in files
  /// the prefilter left out; those that the reach needs are selected too.
  public static func select(
    _ scanned: [ScannedFile], canBeModule: @escaping (String) -> Bool? = { _ in nil },
    support: SupportFiles? = nil
  ) -> TierOneSelection {
    var selection = Builder(scanned, canBeModule: canBeModule, support: support)
    selection.run()
    return TierOneSelection(files: selection.selected, reasons: selection.reasons)
  }

  /// The files of `scanned` whose findings a change to the files `changed` can alter, and what
  /// those findings read: every changed file, and for each place a rule's reach starts (a table
  /// some rule may report, a framework file it reads whole, a last-fput release) whose reach,
  /// framework group or registrations include a changed file, every file that reach reads. A
  /// table whose reach stays clear of the changed files reads the same facts before and after
  /// the change, so its findings cannot differ; a review parses only the returned files.
  public static func affected(
    _ scanned: [ScannedFile], changed: Set<String>,
    canBeModule: @escaping (String) -> Bool? = { _ in nil }
  ) -> Set<String> {
    var builder = Builder(scanned, canBeModule: canBeModule, support: nil)
    let indices = Set(scanned.indices.filter { changed.contains(scanned[$0].path) })
    return Set(builder.affected(by: indices).map { scanned[$0].path })
  }

  /// Files outside the candidates (the prefilter left them out: they spell no table word) that
  /// define functions, by name: where a helper a handler calls is defined when no candidate
  /// defines it (`xe_pm_runtime_get` in `drivers/gpu/drm/xe/xe_pm.c`). Only files in the
  /// caller's directory are used, and only for what a candidate calls (one step: a helper
  /// file's own callees are not followed into further helper files).
  public struct SupportFiles: Sendable {
    /// Function name → the paths of the files that define it (`DefinedFunctions`).
    public var definitions: [String: [String]]
    /// Tier 1's scan of one of those files, when it can be read.
    public var scan: @Sendable (String) -> ScannedFile?
    /// Told every name the reach looks up in `definitions` and what it found (nil: no file
    /// defines it), so that a caller can tell later whether the selection would read the same.
    public var looked: (@Sendable (String, [String]?) -> Void)?

    /// Creates the lookup.
    public init(
      definitions: [String: [String]], scan: @escaping @Sendable (String) -> ScannedFile?,
      looked: (@Sendable (String, [String]?) -> Void)? = nil
    ) {
      self.definitions = definitions
      self.scan = scan
      self.looked = looked
    }

    /// The files defining `name`, told to `looked`.
    func paths(defining name: String) -> [String]? {
      let paths = definitions[name]
      looked?(name, paths)
      return paths
    }
  }

  /// A table some rule may report, with the rule that wants it.
  public struct Seed: Sendable, Equatable {
    /// The rule whose precondition holds on tier-1 facts.
    public var rule: String
    /// Index of the file in the scan.
    public var file: Int
    /// Index of the table in the file.
    public var table: Int
  }

  /// Every rule's requirement, with its id, by id: a rule cannot be added without one
  /// (`Rule.tierOne` has no default), so a two-tier run never loses its findings.
  static var requirements: [(rule: String, requirement: TierOneRequirement)] {
    allRules.map { ($0.description.id, $0.tierOne) }.sorted { $0.rule < $1.rule }
  }

  /// What a file spells when it registers a file_operations with a pinning framework: the
  /// callees `pinningRegistrations()` knows, and the structs whose `.fops`/`.ops` it reads.
  static let pinningWords =
    FactIndex.pinningCallees.keys.sorted() + ["fops", "ops", "misc_register", "cdev_add"]
  /// The debugfs callees alone (debugfs-release-i-private reads no other registration).
  static let debugfsWords = FactIndex.pinningCallees.filter { $0.value != .fileOperations }.keys
    .sorted()

  /// Where a static table's name is spelled in its own file: the functions naming it, and
  /// whether a miscdevice, another table or a non-table initializer names it.
  struct Naming {
    var functions: [ScannedFunction]
    var byMiscdevice: Bool
    var byOtherData: Bool

    init(_ table: ScannedTable, in file: ScannedFile) {
      functions = file.functions.filter { $0.spells(table.name) }
      let naming = file.tables.filter { other in
        other.name != table.name && other.fields.contains { $0.identifiers.contains(table.name) }
      }
      byMiscdevice = naming.contains { $0.kind == .miscdevice }
      byOtherData = !naming.isEmpty || file.dataReferences.contains(table.name)
    }
  }

  /// A static table is registered in its own file: a function there names the table and a
  /// registration word (a pinning callee, or `fops`/`ops` for `misc->fops = &t` and
  /// `cdev->ops = &t`), or a miscdevice table names it. A table no function and no table of
  /// its file names may be registered through a macro tier 1 cannot see, and one with external
  /// linkage anywhere: both are kept.
  static func mayBeRegistered(_ table: ScannedTable, in file: ScannedFile, through words: [String])
    -> Bool
  {
    guard table.isStatic, words.contains(where: file.spells) else { return !table.isStatic }
    let naming = Naming(table, in: file)
    if naming.functions.isEmpty && !naming.byOtherData { return true }
    return naming.byMiscdevice
      || naming.functions.contains { function in words.contains(where: function.spells) }
  }

  /// How a static table is registered, from the functions of its file that name it; nil when
  /// tier 1 cannot tell (external linkage, another table or initializer naming it, no function
  /// naming it).
  static func registrationPaths(_ table: ScannedTable, in file: ScannedFile)
    -> Set<PinningRegistration.Path>?
  {
    guard table.isStatic else { return nil }
    let naming = Naming(table, in: file)
    guard !naming.functions.isEmpty, !naming.byOtherData else { return nil }
    var paths: Set<PinningRegistration.Path> = []
    for function in naming.functions {
      for word in pinningWords where function.spells(word) {
        paths.insert(FactIndex.pinningCallees[word] ?? .fileOperations)
      }
    }
    return paths
  }

  static func isBuiltIn(_ field: ScannedField) -> Bool {
    guard let name = field.handler else { return field.identifiers.isEmpty }
    return FactIndex.builtInHelpers.contains(name) || name == "NULL"
  }

  /// Function and table definitions by name, resolved like `FactIndex`.
  public struct Definitions {
    private(set) var files: [ScannedFile] = []
    /// Module capability by path (Kbuild); nil when unknown.
    public let canBeModule: (String) -> Bool?
    var byName: [String: [(file: Int, function: Int?, table: Int?)]] = [:]
    var fileIndex: [String: Int] = [:]

    init(_ files: [ScannedFile], canBeModule: @escaping (String) -> Bool?) {
      self.canBeModule = canBeModule
      for file in files { add(file) }
    }

    /// Adds a file's definitions (a support file the reach needs).
    mutating func add(_ file: ScannedFile) {
      let index = files.count
      files.append(file)
      fileIndex[file.path] = index
      for (position, function) in file.functions.enumerated() {
        byName[function.name, default: []].append((index, position, nil))
      }
      for (position, table) in file.tables.enumerated() {
        byName[table.name, default: []].append((index, nil, position))
      }
    }

    /// The file's own definitions of `name`, else every external one (and every definition of
    /// the name, so that an exhaustive run's choice among them is also parsed).
    func resolve(_ name: String, from file: Int) -> [(file: Int, function: Int?, table: Int?)] {
      guard let all = byName[name] else { return [] }
      let local = all.filter { $0.file == file }
      if !local.isEmpty { return local }
      return all.filter { entry in
        if let function = entry.function { return !files[entry.file].functions[function].isStatic }
        if let table = entry.table { return !files[entry.file].tables[table].isStatic }
        return false
      }
    }

    /// Whether a function of this name, or one it names within `depth` calls, spells `word`;
    /// true when tier 1 has no definition to look at.
    public func reaches(_ name: String, from path: String, spelling word: String, depth: Int)
      -> Bool
    {
      reaches(name, from: path, depth: depth) { file, function in
        files[file].functions[function].spells(word)
      }
    }

    /// Whether a function of this name, or one it names within `depth` calls, satisfies
    /// `predicate` (file index, function index); true when tier 1 has no definition.
    public func reaches(
      _ name: String, from path: String, depth: Int, where predicate: (Int, Int) -> Bool
    ) -> Bool {
      guard let start = fileIndex[path] else { return true }
      let roots = resolve(name, from: start).filter { $0.function != nil }
      if roots.isEmpty { return true }
      var frontier = roots.map { ($0.file, $0.function!) }
      // Functions by file and index, as one number: a whole tree's selection asks this for
      // every release handler, and text keys were most of the time it took.
      var seen = Set(frontier.map { FunctionKey(file: $0.0, function: $0.1) })
      for level in 0..<depth where !frontier.isEmpty {
        var next: [(Int, Int)] = []
        for (file, function) in frontier {
          let body = files[file].functions[function]
          if predicate(file, function) { return true }
          guard level + 1 < depth else { continue }
          for reference in body.references {
            for entry in resolve(reference, from: file) {
              guard let callee = entry.function,
                seen.insert(FunctionKey(file: entry.file, function: callee)).inserted
              else { continue }
              next.append((entry.file, callee))
            }
          }
        }
        frontier = next
      }
      return false
    }

    /// A function by the index of its file and its index in the file.
    private struct FunctionKey: Hashable {
      var file: Int
      var function: Int
    }

    public func functions(named name: String, from path: String) -> [ScannedFunction] {
      guard let file = fileIndex[path] else { return [] }
      return resolve(name, from: file).compactMap { entry in
        entry.function.map { files[entry.file].functions[$0] }
      }
    }
  }

  struct Builder {
    private(set) var definitions: Definitions
    let support: SupportFiles?
    /// Support files already looked at (scanned or unreadable).
    var supportSeen: Set<String> = []
    var selected: Set<String> = []
    var reasons: [String: String] = [:]

    var files: [ScannedFile] { definitions.files }

    init(_ files: [ScannedFile], canBeModule: @escaping (String) -> Bool?, support: SupportFiles?) {
      self.definitions = Definitions(files, canBeModule: canBeModule)
      self.support = support
    }

    /// The definitions of a name the reach follows, from the candidates, else from the support
    /// files that define it (scanned now, once each).
    mutating func resolve(_ name: String, from file: Int) -> [(
      file: Int, function: Int?, table: Int?
    )] {
      let found = definitions.resolve(name, from: file)
      // One step into the helper files: from a candidate, not from another helper file.
      guard found.isEmpty, let support, let paths = support.paths(defining: name),
        !supportSeen.contains(files[file].path)
      else { return found }
      // Only the caller's own directory: a driver's helpers sit beside it (xe_pm.c beside
      // xe_debugfs.c), while the kernel's library (kfree in mm/, mutex_lock in
      // kernel/locking/) is known to the rules by name and would cost a parse per file.
      let directory = Self.directory(of: files[file].path)
      var added = false
      for path in paths
      where Self.directory(of: path) == directory && supportSeen.insert(path).inserted {
        guard let scanned = support.scan(path) else { continue }
        definitions.add(scanned)
        added = true
      }
      return added ? definitions.resolve(name, from: file) : found
    }

    static func directory(of path: String) -> Substring {
      path.lastIndex(of: "/").map { path[..<$0] } ?? ""
    }

    mutating func select(_ file: Int, _ reason: @autoclosure () -> String) {
      let path = files[file].path
      if selected.insert(path).inserted { reasons[path] = reason() }
    }

    /// A place the reach starts: tables to follow, with the files selected with them.
    typealias Node = (file: Int, function: Int?, table: Int?, budget: Int)

    /// Where the reach starts, with what a finding from it may read besides what it reaches.
    struct Root {
      /// Files selected with the root, and why.
      var selected: [(file: Int, reason: String)] = []
      /// Functions and tables to follow, each with how many more calls deep the rules look.
      var queue: [Node] = []
      /// Files whose facts a finding from this root reads as a whole: the framework files of
      /// a rule that reads dispatch sites, registrations and removals (`filesSpelling`).
      var group: [Int] = []
      /// A non-static seed table: its registrations live where its name is spelled.
      var external: String?
    }

    /// Every root: the files spelling a table type a rule reads whole, the seed tables, and the
    /// last-fput releases.
    func roots() -> [Root] {
      var roots: [Root] = []
      let requirements = TierOneSelection.requirements
      let registered = registeredExternals()
      var groups: [String: [Int]] = [:]
      for (rule, requirement) in requirements where !requirement.filesSpelling.isEmpty {
        let group = files.indices.filter { index in
          requirement.filesSpelling.contains(where: files[index].spells)
        }
        groups[rule] = group
        for fileIndex in group {
          // The file's facts are all loaded; the rule walks from its tables' handlers.
          roots.append(
            Root(
              selected: [(fileIndex, "spells a table type \(rule) reads")],
              queue: files[fileIndex].tables.indices.map {
                (fileIndex, nil, $0, requirement.wholeFileReach)
              }, group: group))
        }
      }
      for (fileIndex, file) in files.enumerated() {
        for (tableIndex, table) in file.tables.enumerated() {
          for (rule, requirement) in requirements
          where requirement.tableKinds.contains(table.kind)
            && requirement.precondition(table, file, definitions)
          {
            var root = Root(
              selected: [(fileIndex, "\(table.name) may be reported by \(rule)")],
              group: groups[rule] ?? [], external: table.isStatic ? nil : table.name)
            let budget = requirement.reach(table, file, definitions)
            // An external table is registered through a pinning path only where a function
            // names it with a registration word (ext4's `inode->i_fop = &…` is not one).
            if table.isStatic || registered.contains(table.name),
              let depth = requirement.holderReach(table, file, definitions)
            {
              root.queue += holders(of: table, in: fileIndex).map {
                ($0.file, $0.function, nil, depth - 1)
              }
            }
            guard let fields = requirement.fieldsRead(table.kind), !table.isOpaque else {
              root.queue.append((fileIndex, nil, tableIndex, budget))
              roots.append(root)
              continue
            }
            for field in table.fields where fields.contains(field.name) {
              for name in field.identifiers {
                for entry in definitions.resolve(name, from: fileIndex) {
                  root.queue.append((entry.file, entry.function, entry.table, budget - 1))
                }
              }
            }
            roots.append(root)
          }
        }
      }
      for (rule, requirement) in requirements {
        guard let search = requirement.lastFputSearch else { continue }
        let dispatching = files.indices.filter { index in
          search.tableKinds.contains { files[index].spells($0.rawValue) }
        }
        for node in lastFputReleases(search, rule: rule) {
          roots.append(Root(queue: [node], group: dispatching))
        }
      }
      return roots
    }

    /// The external tables some function of the run names together with a registration word
    /// (`TierOneSelection.pinningWords`), or a miscdevice table names.
    func registeredExternals() -> Set<String> {
      var external: Set<String> = []
      for file in files {
        for table in file.tables where !table.isStatic { external.insert(table.name) }
      }
      var result: Set<String> = []
      for file in files {
        // A file's identifiers hold its functions' references: most spell no registration word.
        let registers = pinningWords.contains(where: file.spells)
        for function in file.functions
        where registers && pinningWords.contains(where: function.spells) {
          for name in function.references where external.contains(name) { result.insert(name) }
        }
        // `static struct miscdevice m = { .fops = &t }` registers t without a function.
        for table in file.tables where table.kind == .miscdevice {
          for name in table.fields.flatMap(\.identifiers) where external.contains(name) {
            result.insert(name)
          }
        }
      }
      return result
    }

    /// The functions that decide what a file of `table` holds while it is open, and what
    /// dropping it does: its `open` and `release` handlers, and for a table an anonymous inode
    /// registers, the functions of its file that create the file (they name the table and an
    /// `anon_inode_` call) and those that call them (`iommufd_test_create_access` gives the
    /// file made by `iommufd_test_alloc_access` its context).
    func holders(of table: ScannedTable, in fileIndex: Int) -> [(file: Int, function: Int)] {
      var result: [(file: Int, function: Int)] = []
      for name in ["open", "release"].flatMap({ table.field($0)?.identifiers ?? [] }) {
        for entry in definitions.resolve(name, from: fileIndex) {
          if let function = entry.function { result.append((entry.file, function)) }
        }
      }
      // An external table may be made into a file anywhere its name is spelled.
      let places =
        table.isStatic ? [fileIndex] : files.indices.filter { files[$0].spells(table.name) }
      for place in places {
        let functions = files[place].functions
        let creators = functions.indices.filter { position in
          functions[position].spells(table.name)
            && functions[position].references.contains { $0.hasPrefix("anon_inode_") }
        }
        let names = Set(creators.map { functions[$0].name })
        let callers = functions.indices.filter { position in
          !names.contains(functions[position].name)
            && names.contains(where: functions[position].spells)
        }
        result += (creators + callers).map { (place, $0) }
      }
      return result
    }

    mutating func run() {
      var queue: [Node] = []
      let roots = roots()
      for root in roots {
        for (file, reason) in root.selected { select(file, reason) }
        queue += root.queue
      }
      // Registrations and run-time stores of a non-static seed live where its name is spelled.
      let externalNames = Set(roots.compactMap(\.external)).sorted()
      if !externalNames.isEmpty {
        for (fileIndex, file) in files.enumerated() {
          if let name = externalNames.first(where: file.spells) {
            select(fileIndex, "names \(name)")
          }
        }
      }
      for node in walk(queue) {
        let file = files[node.file]
        if let function = node.function {
          select(node.file, "defines \(file.functions[function].name)")
        } else if let table = node.table {
          select(node.file, "defines \(file.tables[table].name)")
        }
      }
    }

    /// The files of the roots whose reach, group or registrations include a file of `changed`,
    /// with everything those roots read: what a change to `changed` can alter the findings of.
    mutating func affected(by changed: Set<Int>) -> Set<Int> {
      var result = changed
      for root in roots() {
        var reads = Set(root.selected.map(\.file)).union(root.group)
        if let name = root.external {
          reads.formUnion(files.indices.filter { files[$0].spells(name) })
        }
        reads.formUnion(walk(root.queue).map(\.file))
        if !reads.isDisjoint(with: changed) { result.formUnion(reads) }
      }
      return result
    }

    /// Follows `queue` breadth-first, each node as deep as its budget: every function and table
    /// reached, in the order reached.
    mutating func walk(_ queue: [Node]) -> [Node] {
      var queue = queue
      var visited: [Node] = []
      var best: [Int64: Int] = [:]
      var head = 0
      while head < queue.count {
        let node = queue[head]
        head += 1
        let key =
          Int64(node.file) << 33 | Int64(node.function ?? node.table ?? 0) << 1
          | (node.function == nil ? 1 : 0)
        guard node.budget > best[key, default: -1] else { continue }
        best[key] = node.budget
        visited.append(node)
        var names: [String] = []
        if let function = node.function {
          names = files[node.file].functions[function].references
        } else if let table = node.table {
          names = files[node.file].tables[table].fields.filter { $0.name != "owner" }
            .flatMap(\.identifiers)
        }
        guard node.budget > 0 else { continue }
        for name in names {
          for target in resolve(name, from: node.file) {
            queue.append((target.file, target.function, target.table, node.budget - 1))
          }
        }
      }
      return visited
    }

    /// The `file_operations` releases (the VFS's last fput) from which a dispatch of another
    /// field of a table of `search.tableKinds` can be reached, to follow as deep as the rule
    /// reads.
    func lastFputReleases(_ search: TierOneRequirement.LastFputSearch, rule: String) -> [Node] {
      let dispatching = Set(
        files.indices.filter { index in
          search.tableKinds.contains { files[index].spells($0.rawValue) }
        })
      let fields = Set(
        files.flatMap(\.tables).filter { search.tableKinds.contains($0.kind) }
          .flatMap { $0.fields.map(\.name) }
      ).subtracting(["release", "proc_release", "owner", "name"])
      var result: [Node] = []
      for (fileIndex, file) in files.enumerated() {
        for table in file.tables where table.kind == .fileOperations {
          guard let release = table.field("release")?.handler,
            definitions.reaches(
              release, from: file.path, depth: search.search,
              where: { file, function in
                dispatching.contains(file)
                  && !fields.isDisjoint(with: files[file].functions[function].memberCalls)
              })
          else { continue }
          for entry in definitions.resolve(release, from: fileIndex) {
            result.append((entry.file, entry.function, entry.table, search.reach))
          }
        }
      }
      return result
    }
  }
}
