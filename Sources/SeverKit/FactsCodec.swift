import Foundation
import SeverCore

/// The binary form of a facts-cache entry (issue 18): decoding the JSON entries of a whole
/// kernel tree was most of a re-run with one file changed. A `StringTableWriter` payload, so
/// the paths that every `SourceLocation` repeats cost a byte or two each, and the decoded facts
/// share one copy of each string (the facts of a whole tree held at once are most of a run's
/// memory).
///
/// ```
/// tag  string-table  dependency-count (path hash)…  facts-count FileFacts…
/// ```
///
/// An enum is its raw value's string. Fields are written in declaration order; the `tag` names
/// the layout, and a change of any fact type must change `FactsCache.formatVersion` (which the
/// tag and every cache key hold) and this file (`FactsCodecTests` lists each type's fields). A
/// payload that is cut short, names a string it does not hold, or spells an unknown enum value
/// decodes to nil, never to a crash.
enum FactsCodec {
  /// The facts and dependencies of a cache entry.
  struct Entry: Equatable {
    /// Absolute path → content hash of every file the unit read.
    var dependencies: [String: String]
    /// The facts.
    var facts: [FileFacts]
  }

  /// The bytes of an entry, tagged with `version`.
  static func encode(_ entry: Entry, version: String = FactsCache.formatVersion) -> Data {
    var writer = StringTableWriter()
    writer.count(entry.dependencies.count)
    for (path, hash) in entry.dependencies.sorted(by: { $0.key < $1.key }) {
      writer.string(path)
      writer.string(hash)
    }
    writer.array(entry.facts) { $0.fileFacts($1) }
    return writer.finish(tag: version)
  }

  /// The entry in `data`, or nil when it is not a whole entry of layout `version`.
  static func decode(_ data: Data, version: String = FactsCache.formatVersion) -> Entry? {
    StringTableReader.decode(data, tag: version) { reader throws(Malformed) in try reader.entry() }
  }
}

private typealias Malformed = StringTableMalformed
private typealias Reader = StringTableReader

/// The fact types, field by field in declaration order.
extension StringTableWriter {
  fileprivate mutating func path(_ value: AccessPath) {
    string(value.root)
    string(value.rootKind.rawValue)
    int(value.parameterIndex)
    strings(value.fields)
    strings(value.recordTags)
    array(value.arrows) { $0.bool($1) }
    bool(value.addressOf)
  }

  fileprivate mutating func fileFacts(_ value: FileFacts) {
    string(value.path)
    array(value.tables) { $0.table($1) }
    array(value.functions) { $0.function($1) }
    array(value.registrations) { $0.registration($1) }
    array(value.dispatches) { $0.dispatch($1) }
    int(value.parseErrorCount)
    array(value.diagnostics) { $0.diagnostic($1) }
    array(value.suppressions) { $0.suppression($1) }
  }

  fileprivate mutating func table(_ value: CallbackTable) {
    string(value.name)
    string(value.kind.rawValue)
    location(value.location)
    int(value.index)
    string(value.macro)
    bool(value.isStatic)
    array(value.fields) {
      $0.string($1.name)
      $0.string($1.handler)
      $0.string($1.reference)
      $0.string($1.value)
      $0.location($1.location)
    }
  }

  fileprivate mutating func function(_ value: FunctionDefinition) {
    string(value.name)
    location(value.location)
    location(value.body.start)
    location(value.body.end)
    bool(value.isStatic)
    array(value.parameters) {
      $0.string($1.name)
      $0.string($1.recordTag)
    }
    array(value.calls) {
      $0.string($1.callee)
      $0.array($1.arguments) { $0.path($1) }
      $0.location($1.location)
      $0.strings($1.guards)
    }
    array(value.stores) {
      $0.path($1.target)
      $0.path($1.value)
      $0.location($1.location)
      $0.strings($1.guards)
    }
    array(value.uses) {
      $0.path($1.path)
      $0.location($1.location)
    }
    array(value.conditions) {
      $0.string($1.text)
      $0.location($1.location)
      $0.bool($1.tested != nil)
      if let tested = $1.tested { $0.path(tested) }
      $0.bool($1.takenWhenNull)
    }
    array(value.exits) {
      $0.string($1.kind.rawValue)
      $0.string($1.text)
      $0.string($1.value.rawValue)
      $0.location($1.location)
      $0.strings($1.guards)
    }
  }

  fileprivate mutating func registration(_ value: Registration) {
    string(value.callee)
    string(value.table)
    string(value.tableKind?.rawValue)
    string(value.via)
    int(value.argumentIndex)
    string(value.enclosingFunction)
    location(value.location)
  }

  fileprivate mutating func dispatch(_ value: DispatchSite) {
    string(value.tableKind.rawValue)
    string(value.field)
    string(value.enclosingFunction)
    string(value.expression)
    location(value.location)
  }

  fileprivate mutating func diagnostic(_ value: ToolDiagnostic) {
    string(value.kind.rawValue)
    string(value.path)
    string(value.message)
    location(value.location)
  }

  fileprivate mutating func suppression(_ value: Suppression) {
    strings(value.ruleIDs)
    string(value.reason)
    location(value.location)
  }
}

extension StringTableReader {
  fileprivate mutating func entry() throws(Malformed) -> FactsCodec.Entry {
    var dependencies: [String: String] = [:]
    let dependencyCount = try count()
    dependencies.reserveCapacity(dependencyCount)
    for _ in 0..<dependencyCount {
      let path = try string()
      dependencies[path] = try string()
    }
    let facts = try array { (reader: inout Reader) throws(Malformed) in try reader.fileFacts() }
    return FactsCodec.Entry(dependencies: dependencies, facts: facts)
  }

  fileprivate mutating func path() throws(Malformed) -> AccessPath {
    AccessPath(
      root: try string(), rootKind: try enumeration(AccessPath.RootKind.self),
      parameterIndex: try optionalInt(), fields: try strings(), recordTags: try strings(),
      arrows: try array { (reader: inout Reader) throws(Malformed) in try reader.bool() },
      addressOf: try bool())
  }

  fileprivate mutating func fileFacts() throws(Malformed) -> FileFacts {
    FileFacts(
      path: try string(),
      tables: try array { (reader: inout Reader) throws(Malformed) in try reader.table() },
      functions: try array { (reader: inout Reader) throws(Malformed) in try reader.function() },
      registrations: try array { (reader: inout Reader) throws(Malformed) in
        try reader.registration()
      },
      dispatches: try array { (reader: inout Reader) throws(Malformed) in try reader.dispatch() },
      parseErrorCount: try int(),
      diagnostics: try array { (reader: inout Reader) throws(Malformed) in
        try reader.diagnostic()
      },
      suppressions: try array { (reader: inout Reader) throws(Malformed) in
        try reader.suppression()
      })
  }

  fileprivate mutating func table() throws(Malformed) -> CallbackTable {
    CallbackTable(
      name: try string(), kind: try enumeration(TableKind.self), location: try location(),
      index: try optionalInt(), macro: try optionalString(), isStatic: try bool(),
      fields: try array { (reader: inout Reader) throws(Malformed) in
        TableField(
          name: try reader.string(), handler: try reader.optionalString(),
          reference: try reader.optionalString(), value: try reader.optionalString(),
          location: try reader.location())
      })
  }

  fileprivate mutating func function() throws(Malformed) -> FunctionDefinition {
    FunctionDefinition(
      name: try string(), location: try location(),
      body: SourceRange(start: try location(), end: try location()), isStatic: try bool(),
      parameters: try array { (reader: inout Reader) throws(Malformed) in
        ParameterFact(name: try reader.string(), recordTag: try reader.optionalString())
      },
      calls: try array { (reader: inout Reader) throws(Malformed) in
        CallFact(
          callee: try reader.string(),
          arguments: try reader.array { (reader: inout Reader) throws(Malformed) in
            try reader.path()
          },
          location: try reader.location(), guards: try reader.strings())
      },
      stores: try array { (reader: inout Reader) throws(Malformed) in
        StoreFact(
          target: try reader.path(), value: try reader.path(), location: try reader.location(),
          guards: try reader.strings())
      },
      uses: try array { (reader: inout Reader) throws(Malformed) in
        UseFact(path: try reader.path(), location: try reader.location())
      },
      conditions: try array { (reader: inout Reader) throws(Malformed) in
        ConditionFact(
          text: try reader.string(), location: try reader.location(),
          tested: try reader.bool() ? try reader.path() : nil,
          takenWhenNull: try reader.bool())
      },
      exits: try array { (reader: inout Reader) throws(Malformed) in
        ExitFact(
          kind: try reader.enumeration(ExitFact.Kind.self), text: try reader.optionalString(),
          value: try reader.enumeration(ExitFact.Value.self), location: try reader.location(),
          guards: try reader.strings())
      })
  }

  fileprivate mutating func registration() throws(Malformed) -> Registration {
    let callee = try string()
    let table = try optionalString()
    let kind = try optionalString()
    var tableKind: TableKind?
    if let kind {
      guard let known = TableKind(rawValue: kind) else { throw Malformed() }
      tableKind = known
    }
    return Registration(
      callee: callee, table: table, tableKind: tableKind, via: try optionalString(),
      argumentIndex: try optionalInt(), enclosingFunction: try optionalString(),
      location: try location())
  }

  fileprivate mutating func dispatch() throws(Malformed) -> DispatchSite {
    DispatchSite(
      tableKind: try enumeration(TableKind.self), field: try string(),
      enclosingFunction: try optionalString(), expression: try string(),
      location: try location())
  }

  fileprivate mutating func diagnostic() throws(Malformed) -> ToolDiagnostic {
    ToolDiagnostic(
      kind: try enumeration(ToolDiagnostic.Kind.self), path: try string(),
      message: try string(), location: try optionalLocation())
  }

  fileprivate mutating func suppression() throws(Malformed) -> Suppression {
    Suppression(
      ruleIDs: try strings(), reason: try optionalString(), location: try location())
  }
}
