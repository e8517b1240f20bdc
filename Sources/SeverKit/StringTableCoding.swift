import Foundation
import SeverCore

/// A compact binary encoding for cache files whose values repeat strings (issue 18): every
/// string is written once, in a table at the front, and referred to by its index, so a path that
/// every `SourceLocation` repeats costs a byte or two, and the decoded values share one copy of
/// each string. Integers are LEB128 varints (signed ones zigzagged), a string is its table
/// index, an optional string is index + 1 (0 for nil), another optional is a presence byte then
/// the value.
///
/// ```
/// tag  string-count  (length bytes)…  body
/// ```
///
/// Used by the facts cache (`FactsCodec`) and the Kbuild state's shards (`KbuildTreeState`).
struct StringTableWriter {
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

  mutating func array<T>(_ values: [T], _ write: (inout StringTableWriter, T) -> Void) {
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

  /// The bytes: `tag`, the string table, then what was written.
  func finish(tag: String) -> Data {
    var head = StringTableWriter()
    head.raw(tag)
    head.count(strings.count)
    for string in strings { head.raw(string) }
    return Data(head.bytes + bytes)
  }
}

/// What stops a decode: the bytes are not whole.
struct StringTableMalformed: Error {}

/// Reads back what `StringTableWriter` wrote, checking every length and index against what is
/// there: bytes cut short, an index past the table or an unknown enum value throw, never crash.
struct StringTableReader {
  let buffer: UnsafeRawBufferPointer
  var offset = 0
  var stringTable: [String] = []

  init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

  mutating func byte() throws(StringTableMalformed) -> UInt8 {
    guard offset < buffer.count else { throw StringTableMalformed() }
    defer { offset += 1 }
    return buffer[offset]
  }

  mutating func unsigned() throws(StringTableMalformed) -> UInt64 {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let next = try byte()
      guard shift < 64 else { throw StringTableMalformed() }
      value |= UInt64(next & 0x7f) << shift
      if next < 0x80 { return value }
      shift += 7
    }
  }

  /// A length or index: never more than there are bytes left, so a damaged count cannot ask
  /// for a huge allocation (every element takes at least one byte).
  mutating func count() throws(StringTableMalformed) -> Int {
    let value = try unsigned()
    guard value <= UInt64(buffer.count - offset) else { throw StringTableMalformed() }
    return Int(value)
  }

  mutating func int() throws(StringTableMalformed) -> Int {
    let value = try unsigned()
    return Int(truncatingIfNeeded: Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1))
  }

  mutating func bool() throws(StringTableMalformed) -> Bool {
    switch try byte() {
    case 0: return false
    case 1: return true
    default: throw StringTableMalformed()
    }
  }

  mutating func raw() throws(StringTableMalformed) -> String {
    let length = try count()
    defer { offset += length }
    return String(
      decoding: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + length]),
      as: UTF8.self)
  }

  mutating func string() throws(StringTableMalformed) -> String {
    let index = try unsigned()
    guard index < UInt64(stringTable.count) else { throw StringTableMalformed() }
    return stringTable[Int(index)]
  }

  mutating func optionalString() throws(StringTableMalformed) -> String? {
    let index = try unsigned()
    guard index > 0 else { return nil }
    guard index <= UInt64(stringTable.count) else { throw StringTableMalformed() }
    return stringTable[Int(index - 1)]
  }

  mutating func optionalInt() throws(StringTableMalformed) -> Int? {
    try bool() ? try int() : nil
  }

  mutating func enumeration<E: RawRepresentable<String>>(_: E.Type) throws(StringTableMalformed)
    -> E
  {
    guard let value = E(rawValue: try string()) else { throw StringTableMalformed() }
    return value
  }

  mutating func array<T>(_ read: (inout StringTableReader) throws(StringTableMalformed) -> T)
    throws(StringTableMalformed) -> [T]
  {
    let count = try count()
    var values: [T] = []
    values.reserveCapacity(count)
    for _ in 0..<count { values.append(try read(&self)) }
    return values
  }

  mutating func strings() throws(StringTableMalformed) -> [String] {
    try array { (reader: inout StringTableReader) throws(StringTableMalformed) in
      try reader.string()
    }
  }

  mutating func location() throws(StringTableMalformed) -> SourceLocation {
    SourceLocation(path: try string(), line: try int(), column: try int())
  }

  mutating func optionalLocation() throws(StringTableMalformed) -> SourceLocation? {
    try bool() ? try location() : nil
  }

  /// Reads the tag and the string table; throws unless the tag is `tag`.
  mutating func begin(tag: String) throws(StringTableMalformed) {
    guard try raw() == tag else { throw StringTableMalformed() }
    let strings = try count()
    stringTable.reserveCapacity(strings)
    for _ in 0..<strings { stringTable.append(try raw()) }
  }

  /// Throws unless every byte was read.
  func end() throws(StringTableMalformed) {
    guard offset == buffer.count else { throw StringTableMalformed() }
  }

  /// Decodes `data` with `read` between `begin(tag:)` and `end()`; nil when it is not whole.
  static func decode<T>(
    _ data: Data, tag: String, _ read: (inout StringTableReader) throws(StringTableMalformed) -> T
  ) -> T? {
    data.withUnsafeBytes { buffer -> T? in
      var reader = StringTableReader(buffer)
      do {
        try reader.begin(tag: tag)
        let value = try read(&reader)
        try reader.end()
        return value
      } catch {
        return nil
      }
    }
  }
}
