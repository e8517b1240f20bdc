import SeverCore

/// One designated field of a table as tier 1 reads it: the identifiers of its value.
public struct ScannedField: Sendable, Codable, Equatable {
  /// The field (`release`).
  public var name: String
  /// Every identifier in the value (`foo_release`; `THIS_MODULE`; the words of a macro call).
  public var identifiers: [String]
  /// Whether the value is one identifier, possibly with `&` (a handler or a table's address).
  public var isSingleName: Bool
  /// Whether the field is inside an `#if` block of the initializer (set in some
  /// configurations only).
  public var isConditional: Bool

  /// Creates a field.
  public init(name: String, identifiers: [String], isSingleName: Bool, isConditional: Bool = false)
  {
    self.name = name
    self.identifiers = identifiers
    self.isSingleName = isSingleName
    self.isConditional = isConditional
  }

  /// The one handler name when the value is a single name.
  public var handler: String? { isSingleName ? identifiers.first : nil }
}

/// A callback table found by tier 1, written by hand or made by a macro it could expand.
public struct ScannedTable: Sendable, Codable, Equatable {
  /// Which struct.
  public var kind: TableKind
  /// The variable's name.
  public var name: String
  /// 1-based line of the definition (of the macro call for a macro-made table).
  public var line: Int
  /// Whether it has internal linkage.
  public var isStatic: Bool
  /// For an element of an array, its 0-based index.
  public var index: Int?
  /// The macro that made it, when one did.
  public var macro: String?
  /// The designated fields.
  public var fields: [ScannedField]
  /// Whether the initializer holds something tier 1 cannot read exactly: a positional value, a
  /// macro standing for fields, or a conditional directive. Such a table is treated as if any
  /// field could be set.
  public var isOpaque: Bool

  /// Creates a table.
  public init(
    kind: TableKind, name: String, line: Int, isStatic: Bool, index: Int? = nil,
    macro: String? = nil, fields: [ScannedField], isOpaque: Bool
  ) {
    self.kind = kind
    self.name = name
    self.line = line
    self.isStatic = isStatic
    self.index = index
    self.macro = macro
    self.fields = fields
    self.isOpaque = isOpaque
  }

  /// The field with this name.
  public func field(_ name: String) -> ScannedField? { fields.first { $0.name == name } }
}

/// A function definition found by tier 1, with every identifier its body spells.
public struct ScannedFunction: Sendable, Codable, Equatable {
  /// The function's name.
  public var name: String
  /// 1-based line of the name.
  public var line: Int
  /// Whether it has internal linkage.
  public var isStatic: Bool
  /// Identifiers in the body, sorted and unique: calls, fields, locals, macros.
  public var references: [String]
  /// Fields called through a pointer or member (`ops->seq_show(…)`), sorted and unique.
  public var memberCalls: [String]

  /// Creates a function.
  public init(
    name: String, line: Int, isStatic: Bool, references: [String], memberCalls: [String] = []
  ) {
    self.name = name
    self.line = line
    self.isStatic = isStatic
    self.references = references
    self.memberCalls = memberCalls
  }

  /// Whether the body spells this identifier.
  public func spells(_ identifier: String) -> Bool { references.sortedContains(identifier) }
}

/// What tier 1 learns from one `.c` file without preprocessing it.
public struct ScannedFile: Sendable, Codable, Equatable {
  /// Path relative to the tree root.
  public var path: String
  /// Tables defined in the file (by hand or by an expanded macro).
  public var tables: [ScannedTable]
  /// Function definitions (by hand or by an expanded macro).
  public var functions: [ScannedFunction]
  /// Every identifier the file spells, sorted and unique.
  public var identifiers: [String]
  /// Identifiers in the initializers of top-level variables that are not tables (a driver's own
  /// array of `{ name, &fops }`), sorted and unique.
  public var dataReferences: [String]
  /// Whether a function-like macro the file defines spells a table type or a debugfs or procfs
  /// file creation (`net/mac80211/debugfs_netdev.c`'s `_IEEE80211_IF_FILE_OPS`,
  /// `wcn36xx/debug.c`'s `ADD_FILE`): tier 1 may not expand what such a macro makes (a table
  /// named by token pasting through nested macros, a registration), so the file is parsed.
  public var ownMacrosMakeTables: Bool
  /// The headers the file includes by a quoted path that leads out of its own directory
  /// (`wl18xx/debugfs.c`'s `"../wlcore/debugfs.h"`), as written, in order: tier 1 reads the
  /// table-making macros of the shared headers and of those next to each file, not of these, so
  /// `TierOneStage` has the file parsed when it names a table-making macro of one.
  public var otherDirectoryIncludes: [String]

  /// Creates a file summary.
  public init(
    path: String, tables: [ScannedTable], functions: [ScannedFunction], identifiers: [String],
    dataReferences: [String] = [], ownMacrosMakeTables: Bool = false,
    otherDirectoryIncludes: [String] = []
  ) {
    self.path = path
    self.tables = tables
    self.functions = functions
    self.identifiers = identifiers
    self.dataReferences = dataReferences
    self.ownMacrosMakeTables = ownMacrosMakeTables
    self.otherDirectoryIncludes = otherDirectoryIncludes
  }

  /// Whether the file spells this identifier anywhere.
  public func spells(_ identifier: String) -> Bool { identifiers.sortedContains(identifier) }
}

extension [String] {
  /// Binary search in a sorted array: tier 1's identifier lists are sorted and unique.
  func sortedContains(_ element: String) -> Bool {
    var low = 0
    var high = count
    while low < high {
      let middle = (low + high) / 2
      if self[middle] < element { low = middle + 1 } else { high = middle }
    }
    return low < count && self[low] == element
  }
}
