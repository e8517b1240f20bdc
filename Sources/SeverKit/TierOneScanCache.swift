import Foundation
import Scan
import SeverCore
import SeverSupport

/// Tier 1's scans of earlier runs, one file per tree and architecture under
/// `<cache>/scan/v1/`: each file's `ScannedFile` with the status (size, time, inode) it was read
/// at, and the fingerprint of the table-making macros it was expanded with. A file whose status
/// and macros are unchanged is not lexed again, so a whole-tree re-run with one file changed
/// scans one file, and writes one entry (`EntryStore`: the whole store, and a delta of what
/// later runs learned). The store is a compact binary form (decoding JSON for ten thousand files
/// costs about what lexing them does), checksummed and written to a unique temporary name and
/// renamed into place (`CacheFile`); one that does not read back whole (another version, a torn
/// or foreign file) is ignored and rebuilt.
struct TierOneScanCache {
  /// Bumped when the shape of `ScannedFile` or of the store changes.
  static let formatVersion: UInt32 = 3
  static let magic = Array("sever-scan".utf8)

  let file: String

  init(cacheBase: String, root: String, arch: String) {
    file = SeverBuild.treeFile(cacheBase: cacheBase, folder: "scan/v1", root: root, arch: arch)
  }

  /// A cached scan: the file's status when it was read, and what tier 1 found.
  struct Entry {
    var status: [Int]
    var scanned: ScannedFile
  }

  /// The status fields compared: kind, size, modification time, inode.
  static func fields(_ status: FileStatus) -> [Int] {
    [Int(status.kind.rawValue), status.size, status.modified, Int(bitPattern: UInt(status.inode))]
  }

  /// Which headers spelled a table word when they had this status, beside the scans: a run
  /// reads only the headers that changed (the tree's `include/` holds thousands).
  var headersFile: String { (file as NSString).deletingPathExtension + ".headers" }

  /// `TierOneStage.headerMacros`, reading only the headers whose status changed since the
  /// last run to learn whether they spell a table word, with the fingerprint of the table: the
  /// paths and statuses of the headers it was lexed from (equal inputs make equal tables).
  func headerMacros(root: String, archs: [String], paths: [String]) -> (MacroTable, String) {
    var known: [String: (status: [Int], spells: Bool)] = [:]
    if let data = CacheFile.validContents(headersFile, describing: "tier-1 header cache") {
      var reader = BinaryReader(data)
      if reader.bytes(Self.magic.count) == Self.magic, reader.uint32() == Self.formatVersion,
        let count = reader.count()
      {
        for _ in 0..<count {
          guard let path = reader.string(), let status = reader.ints(), let spells = reader.bool()
          else { break }
          known[path] = (status, spells)
        }
      }
    }
    var changed = false
    var macros: [MacroDefinition] = []
    var inputs: [String] = []
    for header in TierOneStage.headerCandidates(root: root, archs: archs, paths: paths) {
      guard let status = FileStatus(path: header).map(Self.fields) else { continue }
      if let entry = known[header], entry.status == status, !entry.spells { continue }
      guard let bytes = TierOneStage.readBounded(header) else { continue }
      let spells = TierOneStage.headerWords.matches(bytes)
      if known[header]?.status != status || known[header]?.spells != spells {
        known[header] = (status, spells)
        changed = true
      }
      guard spells else { continue }
      macros += Lexer.lex(bytes).macros
      inputs.append(header + "\u{1}" + status.map(String.init).joined(separator: ","))
    }
    if changed {
      var writer = BinaryWriter()
      writer.bytes(Self.magic)
      writer.uint32(Self.formatVersion)
      writer.count(known.count)
      for path in known.keys.sorted() {
        guard let entry = known[path] else { continue }
        writer.string(path)
        writer.ints(entry.status)
        writer.bool(entry.spells)
      }
      CacheFile.write(writer.data, to: headersFile)
    }
    return (MacroTable.tableMaking(from: macros), StableHash.hex(inputs))
  }

  /// The store of the scans made with this macro fingerprint (`EntryStore`: the whole, and
  /// the scans learned since).
  func entries(macros: String) -> EntryStore<Entry> {
    var preamble = BinaryWriter()
    preamble.bytes(Self.magic)
    preamble.uint32(Self.formatVersion)
    preamble.string(macros)
    return EntryStore(
      file: file, describing: "tier-1 scan cache", preamble: Array(preamble.data),
      encode: { writer, _, entry in
        writer.ints(entry.status)
        writer.scannedFile(entry.scanned)
      },
      decode: { reader in
        guard let status = reader.ints(), let scanned = reader.scannedFile() else { return nil }
        return (scanned.path, Entry(status: status, scanned: scanned))
      })
  }
}

/// Little-endian integers, length-prefixed UTF-8 strings and counted arrays.
struct BinaryWriter {
  // Bytes in an array, not `Data`: appending to `Data` piece by piece was most of the time
  // it took to write the tier-1 store of a whole tree.
  private var buffer: [UInt8] = []

  /// What was written.
  var data: Data { Data(buffer) }

  mutating func bytes(_ value: [UInt8]) { buffer.append(contentsOf: value) }

  mutating func uint32(_ value: UInt32) {
    withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
  }

  mutating func int(_ value: Int) {
    withUnsafeBytes(of: Int64(value).littleEndian) { buffer.append(contentsOf: $0) }
  }

  mutating func count(_ value: Int) { uint32(UInt32(clamping: value)) }

  mutating func string(_ value: String) {
    let utf8 = Array(value.utf8)
    count(utf8.count)
    buffer.append(contentsOf: utf8)
  }

  mutating func strings(_ values: [String]) {
    count(values.count)
    for value in values { string(value) }
  }

  mutating func ints(_ values: [Int]) {
    count(values.count)
    for value in values { int(value) }
  }

  mutating func bool(_ value: Bool) { buffer.append(value ? 1 : 0) }

  mutating func optional(_ value: String?) {
    bool(value != nil)
    if let value { string(value) }
  }

  mutating func scannedFile(_ file: ScannedFile) {
    string(file.path)
    count(file.tables.count)
    for table in file.tables {
      string(table.kind.rawValue)
      string(table.name)
      int(table.line)
      bool(table.isStatic)
      bool(table.index != nil)
      int(table.index ?? 0)
      optional(table.macro)
      bool(table.isOpaque)
      count(table.fields.count)
      for field in table.fields {
        string(field.name)
        strings(field.identifiers)
        bool(field.isSingleName)
        bool(field.isConditional)
      }
    }
    count(file.functions.count)
    for function in file.functions {
      string(function.name)
      int(function.line)
      bool(function.isStatic)
      strings(function.references)
      strings(function.memberCalls)
    }
    strings(file.identifiers)
    strings(file.dataReferences)
    bool(file.ownMacrosMakeTables)
    strings(file.otherDirectoryIncludes)
  }
}

/// Reads what `BinaryWriter` wrote; every read returns nil past the end.
struct BinaryReader {
  private let bytes: [UInt8]
  private var offset = 0

  init(_ data: Data) { bytes = [UInt8](data) }

  var atEnd: Bool { offset == bytes.count }

  mutating func bytes(_ count: Int) -> [UInt8]? {
    guard count >= 0, offset + count <= bytes.count else { return nil }
    defer { offset += count }
    return Array(bytes[offset..<offset + count])
  }

  mutating func uint32() -> UInt32? {
    guard offset + 4 <= bytes.count else { return nil }
    var value: UInt32 = 0
    for shift in 0..<4 { value |= UInt32(bytes[offset + shift]) << (8 * shift) }
    offset += 4
    return value
  }

  mutating func int() -> Int? {
    guard offset + 8 <= bytes.count else { return nil }
    var value: UInt64 = 0
    for shift in 0..<8 { value |= UInt64(bytes[offset + shift]) << (8 * shift) }
    offset += 8
    return Int(Int64(bitPattern: value))
  }

  mutating func count() -> Int? { uint32().map(Int.init) }

  mutating func string() -> String? {
    guard let length = count(), offset + length <= bytes.count else { return nil }
    defer { offset += length }
    return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
  }

  mutating func strings() -> [String]? {
    guard let count = count(), count <= bytes.count - offset else { return nil }
    var result: [String] = []
    result.reserveCapacity(count)
    for _ in 0..<count {
      guard let value = string() else { return nil }
      result.append(value)
    }
    return result
  }

  mutating func ints() -> [Int]? {
    guard let count = count(), count <= bytes.count - offset else { return nil }
    var result: [Int] = []
    for _ in 0..<count {
      guard let value = int() else { return nil }
      result.append(value)
    }
    return result
  }

  mutating func bool() -> Bool? {
    guard offset < bytes.count else { return nil }
    defer { offset += 1 }
    return bytes[offset] != 0
  }

  mutating func optional() -> String?? {
    guard let present = bool() else { return nil }
    return present ? string().map { .some($0) } : .some(nil)
  }

  mutating func scannedFile() -> ScannedFile? {
    guard let path = string(), let tableCount = count(), tableCount <= bytes.count - offset
    else { return nil }
    var tables: [ScannedTable] = []
    for _ in 0..<tableCount {
      guard let kindName = string(), let kind = TableKind(rawValue: kindName),
        let name = string(), let line = int(), let isStatic = bool(), let hasIndex = bool(),
        let index = int(), let macro = optional(), let isOpaque = bool(),
        let fieldCount = count(), fieldCount <= bytes.count - offset
      else { return nil }
      var fields: [ScannedField] = []
      for _ in 0..<fieldCount {
        guard let fieldName = string(), let identifiers = strings(),
          let isSingleName = bool(), let isConditional = bool()
        else { return nil }
        fields.append(
          ScannedField(
            name: fieldName, identifiers: identifiers, isSingleName: isSingleName,
            isConditional: isConditional))
      }
      tables.append(
        ScannedTable(
          kind: kind, name: name, line: line, isStatic: isStatic, index: hasIndex ? index : nil,
          macro: macro, fields: fields, isOpaque: isOpaque))
    }
    guard let functionCount = count(), functionCount <= bytes.count - offset else { return nil }
    var functions: [ScannedFunction] = []
    for _ in 0..<functionCount {
      guard let name = string(), let line = int(), let isStatic = bool(),
        let references = strings(), let memberCalls = strings()
      else { return nil }
      functions.append(
        ScannedFunction(
          name: name, line: line, isStatic: isStatic, references: references,
          memberCalls: memberCalls))
    }
    guard let identifiers = strings(), let dataReferences = strings(),
      let ownMacrosMakeTables = bool(), let otherDirectoryIncludes = strings()
    else { return nil }
    return ScannedFile(
      path: path, tables: tables, functions: functions, identifiers: identifiers,
      dataReferences: dataReferences, ownMacrosMakeTables: ownMacrosMakeTables,
      otherDirectoryIncludes: otherDirectoryIncludes)
  }
}
