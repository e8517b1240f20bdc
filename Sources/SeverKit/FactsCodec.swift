import Foundation
import SeverCore

/// The binary form of a facts-cache entry (issue 18): decoding the JSON entries of a whole
/// kernel tree was most of a re-run with one file changed. Every string is written once, in a
/// table at the front, and referred to by its index, so the paths that every `SourceLocation`
/// repeats cost a few bytes each, and the decoded facts share one copy of each string (the
/// facts of a whole tree held at once are most of a run's memory).
///
/// ```
/// tag  string-count  (length bytes)…  dependency-count (path hash)…  facts-count FileFacts…
/// ```
///
/// Integers are LEB128 varints (signed ones zigzagged), a string is its table index, an
/// optional is a presence byte then the value (an optional string is index + 1, 0 for nil), an
/// enum is its raw value's string. Fields are written in declaration order; the `tag` names the
/// layout, and a change of any fact type must change `FactsCache.formatVersion` (which the tag
/// and every cache key hold) and this file (`FactsCodecTests` lists each type's fields). A
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
    var writer = Writer()
    writer.count(entry.dependencies.count)
    for (path, hash) in entry.dependencies.sorted(by: { $0.key < $1.key }) {
      writer.string(path)
      writer.string(hash)
    }
    writer.array(entry.facts) { $0.fileFacts($1) }
    var head = Writer()
    head.raw(version)
    head.count(writer.strings.count)
    for string in writer.strings { head.raw(string) }
    return Data(head.bytes + writer.bytes)
  }

  /// The entry in `data`, or nil when it is not a whole entry of layout `version`.
  static func decode(_ data: Data, version: String = FactsCache.formatVersion) -> Entry? {
    data.withUnsafeBytes { buffer -> Entry? in
      var reader = Reader(buffer)
      guard let tag = try? reader.raw(), tag == version else { return nil }
      return try? reader.entry()
    }
  }
}

extension FactsCodec {
  /// Appends values to a byte buffer, collecting the strings into a table.
  fileprivate struct Writer {
    var bytes: [UInt8] = []
    var strings: [String] = []
    var indices: [String: Int] = [:]

    mutating func unsigned(_ value: UInt64) {
      var value = value
      while value >= 0x80 {
        bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
        value >>= 7
      }
      bytes.append(UInt8(value))
    }

    mutating func count(_ value: Int) { unsigned(UInt64(value)) }

    mutating func int(_ value: Int) {
      let wide = Int64(value)
      unsigned(UInt64(bitPattern: (wide << 1) ^ (wide >> 63)))
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// A string's bytes in place (the tag and the table).
    mutating func raw(_ value: String) {
      let utf8 = Array(value.utf8)
      count(utf8.count)
      bytes += utf8
    }

    mutating func index(_ value: String) -> Int {
      if let known = indices[value] { return known }
      indices[value] = strings.count
      strings.append(value)
      return strings.count - 1
    }

    mutating func string(_ value: String) { count(index(value)) }

    mutating func string(_ value: String?) {
      guard let value else { return count(0) }
      count(index(value) + 1)
    }

    mutating func int(_ value: Int?) {
      bool(value != nil)
      if let value { int(value) }
    }

    mutating func array<T>(_ values: [T], _ write: (inout Writer, T) -> Void) {
      count(values.count)
      for value in values { write(&self, value) }
    }

    mutating func strings(_ values: [String]) { array(values) { $0.string($1) } }

    mutating func location(_ value: SourceLocation) {
      string(value.path)
      int(value.line)
      int(value.column)
    }

    mutating func location(_ value: SourceLocation?) {
      bool(value != nil)
      if let value { location(value) }
    }

    mutating func path(_ value: AccessPath) {
      string(value.root)
      string(value.rootKind.rawValue)
      int(value.parameterIndex)
      strings(value.fields)
      strings(value.recordTags)
      array(value.arrows) { $0.bool($1) }
      bool(value.addressOf)
    }

    mutating func fileFacts(_ value: FileFacts) {
      string(value.path)
      array(value.tables) { $0.table($1) }
      array(value.functions) { $0.function($1) }
      array(value.registrations) { $0.registration($1) }
      array(value.dispatches) { $0.dispatch($1) }
      int(value.parseErrorCount)
      array(value.diagnostics) { $0.diagnostic($1) }
      array(value.suppressions) { $0.suppression($1) }
    }

    mutating func table(_ value: CallbackTable) {
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

    mutating func function(_ value: FunctionDefinition) {
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

    mutating func registration(_ value: Registration) {
      string(value.callee)
      string(value.table)
      string(value.tableKind?.rawValue)
      string(value.via)
      int(value.argumentIndex)
      string(value.enclosingFunction)
      location(value.location)
    }

    mutating func dispatch(_ value: DispatchSite) {
      string(value.tableKind.rawValue)
      string(value.field)
      string(value.enclosingFunction)
      string(value.expression)
      location(value.location)
    }

    mutating func diagnostic(_ value: ToolDiagnostic) {
      string(value.kind.rawValue)
      string(value.path)
      string(value.message)
      location(value.location)
    }

    mutating func suppression(_ value: Suppression) {
      strings(value.ruleIDs)
      string(value.reason)
      location(value.location)
    }
  }

  /// What stops a decode: the bytes are not a whole entry.
  fileprivate struct Malformed: Error {}

  /// Reads values back from the bytes `Writer` wrote, checking every length and index against
  /// what is there.
  fileprivate struct Reader {
    let buffer: UnsafeRawBufferPointer
    var offset = 0
    var stringTable: [String] = []

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    mutating func byte() throws(Malformed) -> UInt8 {
      guard offset < buffer.count else { throw Malformed() }
      defer { offset += 1 }
      return buffer[offset]
    }

    mutating func unsigned() throws(Malformed) -> UInt64 {
      var value: UInt64 = 0
      var shift: UInt64 = 0
      while true {
        let next = try byte()
        guard shift < 64 else { throw Malformed() }
        value |= UInt64(next & 0x7f) << shift
        if next < 0x80 { return value }
        shift += 7
      }
    }

    /// A length or index: never more than there are bytes left, so a damaged count cannot ask
    /// for a huge allocation (every element takes at least one byte).
    mutating func count() throws(Malformed) -> Int {
      let value = try unsigned()
      guard value <= UInt64(buffer.count - offset) else { throw Malformed() }
      return Int(value)
    }

    mutating func int() throws(Malformed) -> Int {
      let value = try unsigned()
      return Int(truncatingIfNeeded: Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1))
    }

    mutating func bool() throws(Malformed) -> Bool {
      switch try byte() {
      case 0: return false
      case 1: return true
      default: throw Malformed()
      }
    }

    mutating func raw() throws(Malformed) -> String {
      let length = try count()
      defer { offset += length }
      return String(
        decoding: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + length]),
        as: UTF8.self)
    }

    mutating func string() throws(Malformed) -> String {
      let index = try unsigned()
      guard index < UInt64(stringTable.count) else { throw Malformed() }
      return stringTable[Int(index)]
    }

    mutating func optionalString() throws(Malformed) -> String? {
      let index = try unsigned()
      guard index > 0 else { return nil }
      guard index <= UInt64(stringTable.count) else { throw Malformed() }
      return stringTable[Int(index - 1)]
    }

    mutating func optionalInt() throws(Malformed) -> Int? {
      try bool() ? try int() : nil
    }

    mutating func enumeration<E: RawRepresentable<String>>(_: E.Type) throws(Malformed) -> E {
      guard let value = E(rawValue: try string()) else { throw Malformed() }
      return value
    }

    mutating func array<T>(_ read: (inout Reader) throws(Malformed) -> T) throws(Malformed) -> [T] {
      let count = try count()
      var values: [T] = []
      values.reserveCapacity(count)
      for _ in 0..<count { values.append(try read(&self)) }
      return values
    }

    mutating func strings() throws(Malformed) -> [String] {
      try array { (reader: inout Reader) throws(Malformed) in try reader.string() }
    }

    mutating func entry() throws(Malformed) -> Entry {
      let strings = try count()
      stringTable.reserveCapacity(strings)
      for _ in 0..<strings { stringTable.append(try raw()) }
      var dependencies: [String: String] = [:]
      let dependencyCount = try count()
      dependencies.reserveCapacity(dependencyCount)
      for _ in 0..<dependencyCount {
        let path = try string()
        dependencies[path] = try string()
      }
      let facts = try array { (reader: inout Reader) throws(Malformed) in try reader.fileFacts() }
      guard offset == buffer.count else { throw Malformed() }
      return Entry(dependencies: dependencies, facts: facts)
    }

    mutating func location() throws(Malformed) -> SourceLocation {
      SourceLocation(path: try string(), line: try int(), column: try int())
    }

    mutating func optionalLocation() throws(Malformed) -> SourceLocation? {
      try bool() ? try location() : nil
    }

    mutating func path() throws(Malformed) -> AccessPath {
      AccessPath(
        root: try string(), rootKind: try enumeration(AccessPath.RootKind.self),
        parameterIndex: try optionalInt(), fields: try strings(), recordTags: try strings(),
        arrows: try array { (reader: inout Reader) throws(Malformed) in try reader.bool() },
        addressOf: try bool())
    }

    mutating func fileFacts() throws(Malformed) -> FileFacts {
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

    mutating func table() throws(Malformed) -> CallbackTable {
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

    mutating func function() throws(Malformed) -> FunctionDefinition {
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

    mutating func registration() throws(Malformed) -> Registration {
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

    mutating func dispatch() throws(Malformed) -> DispatchSite {
      DispatchSite(
        tableKind: try enumeration(TableKind.self), field: try string(),
        enclosingFunction: try optionalString(), expression: try string(),
        location: try location())
    }

    mutating func diagnostic() throws(Malformed) -> ToolDiagnostic {
      ToolDiagnostic(
        kind: try enumeration(ToolDiagnostic.Kind.self), path: try string(),
        message: try string(), location: try optionalLocation())
    }

    mutating func suppression() throws(Malformed) -> Suppression {
      Suppression(
        ruleIDs: try strings(), reason: try optionalString(), location: try location())
    }
  }
}
