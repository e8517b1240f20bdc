import Foundation
import SeverCore
import SeverSupport
import SeverTestSupport
import Testing

@testable import SeverKit

/// The binary form of facts-cache entries (issue 18): it gives back exactly the facts JSON gives,
/// and a payload that is cut short, damaged or of another layout is a miss, never a crash.
@Suite struct FactsCodecTests {
  /// The extraction snapshot of the fixture tree, decoded from its JSON.
  func snapshot() throws -> [FileFacts] {
    let data = try #require(
      FileManager.default.contents(atPath: FixturePaths.fixtures + "/extraction/tree.facts.json"))
    return try JSONDecoder().decode([FileFacts].self, from: data)
  }

  /// One of every fact with every optional both set and unset, negative and large numbers, and
  /// text beyond ASCII.
  func everything() -> FileFacts {
    let here = SourceLocation(path: "drivers/démo/x.c", line: 12, column: 3)
    let far = SourceLocation(path: "include/linux/fs.h", line: Int(Int32.max), column: -1)
    let bare = AccessPath(root: "of", rootKind: .parameter)
    let deep = AccessPath(
      root: "priv", rootKind: .local, parameterIndex: -2, fields: ["a", "*"],
      recordTags: ["kernfs_open_file", ""], arrows: [true, false], addressOf: true)
    return FileFacts(
      path: "drivers/démo/x.c",
      tables: [
        CallbackTable(
          name: "t", kind: .kernfsOps, location: here, index: 4, macro: "DEFINE_X", isStatic: true,
          fields: [
            TableField(name: "open", handler: "x_open", location: here),
            TableField(name: "owner", reference: "r", value: "THIS_MODULE", location: far),
          ]),
        CallbackTable(name: "u", kind: .miscdevice, location: far, isStatic: false, fields: []),
      ],
      functions: [
        FunctionDefinition(
          name: "x_open", location: here, body: SourceRange(start: here, end: far), isStatic: true,
          parameters: [
            ParameterFact(name: "of", recordTag: "kernfs_open_file"),
            ParameterFact(name: "n", recordTag: nil),
          ],
          calls: [
            CallFact(callee: "kfree", arguments: [deep, bare], location: here, guards: ["g"]),
            CallFact(callee: "f", arguments: [], location: far),
          ],
          stores: [StoreFact(target: deep, value: bare, location: here, guards: ["a", "b"])],
          uses: [UseFact(path: deep, location: far)],
          conditions: [
            ConditionFact(text: "!p", location: here, tested: deep, takenWhenNull: true),
            ConditionFact(text: "x > 0", location: far, tested: nil, takenWhenNull: false),
          ],
          exits: [
            ExitFact(kind: .return, text: "-ENOMEM", value: .error, location: here),
            ExitFact(kind: .goto, text: nil, value: .unknown, location: far, guards: ["e"]),
          ]),
        FunctionDefinition(
          name: "empty", location: far, body: SourceRange(start: far, end: far), isStatic: false),
      ],
      registrations: [
        Registration(
          callee: "debugfs_create_file", table: "t", tableKind: .fileOperations, via: "v",
          argumentIndex: 4, enclosingFunction: "x_init", location: here),
        Registration(
          callee: "misc_register", table: nil, tableKind: nil, argumentIndex: nil,
          enclosingFunction: nil, location: far),
      ],
      dispatches: [
        DispatchSite(
          tableKind: .procOps, field: "proc_poll", enclosingFunction: "d", expression: "ops->p()",
          location: here),
        DispatchSite(
          tableKind: .seqOperations, field: "show", enclosingFunction: nil, expression: "e",
          location: far),
      ],
      parseErrorCount: 3,
      diagnostics: [
        ToolDiagnostic(kind: .parseError, path: "drivers/démo/x.c", message: "m", location: here),
        ToolDiagnostic(kind: .incompleteFacts, path: "p", message: "—"),
      ],
      suppressions: [
        Suppression(ruleIDs: ["a-b", "c"], reason: "because", location: here),
        Suppression(ruleIDs: [], reason: nil, location: far),
      ])
  }

  func entry() -> FactsCodec.Entry {
    FactsCodec.Entry(
      dependencies: ["/t/include/linux/fs.h": "0123456789abcdef", "/t/x.c": "fedcba9876543210"],
      facts: [everything(), FileFacts(path: "empty.c")])
  }

  @Test func aRoundTripGivesBackTheFactsJSONGives() throws {
    let facts = try snapshot()
    #expect(!facts.isEmpty)
    let entry = FactsCodec.Entry(dependencies: [:], facts: facts)
    let decoded = try #require(FactsCodec.decode(FactsCodec.encode(entry)))
    #expect(decoded == entry)
    // And byte for byte once rendered, as a report would see them.
    #expect(FactsRenderer.json(decoded.facts) == FactsRenderer.json(facts))
  }

  @Test func everyFieldSurvivesARoundTrip() throws {
    let entry = entry()
    #expect(FactsCodec.decode(FactsCodec.encode(entry)) == entry)
    // The same value through JSON and through the codec: one answer.
    let json = try JSONDecoder().decode(
      [FileFacts].self, from: try JSONEncoder().encode(entry.facts))
    #expect(FactsCodec.decode(FactsCodec.encode(entry))?.facts == json)
  }

  @Test func theEncodingIsStable() {
    #expect(FactsCodec.encode(entry()) == FactsCodec.encode(entry()))
  }

  @Test func aTruncatedOrGrownPayloadIsAMiss() {
    let bytes = FactsCodec.encode(entry())
    for length in 0..<bytes.count {
      #expect(FactsCodec.decode(bytes.prefix(length)) == nil, "cut to \(length) bytes")
    }
    #expect(FactsCodec.decode(bytes + Data([0])) == nil)
  }

  @Test func damagedBytesNeverCrash() {
    let bytes = FactsCodec.encode(entry())
    var generator = SplitMix(seed: 18)
    for _ in 0..<2000 {
      var damaged = bytes
      for _ in 0...Int(generator.next() % 3) {
        let index = Int(generator.next() % UInt64(damaged.count))
        damaged[index] = UInt8(truncatingIfNeeded: generator.next())
      }
      // Either a miss or some entry: what matters is that it returns.
      _ = FactsCodec.decode(damaged)
    }
    // A huge count cannot ask for a huge allocation.
    var huge = FactsCodec.encode(FactsCodec.Entry(dependencies: [:], facts: []), version: "v")
    huge.removeLast(2)
    huge += Data([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])
    #expect(FactsCodec.decode(huge, version: "v") == nil)
  }

  @Test func anotherLayoutIsAMiss() throws {
    let entry = entry()
    #expect(FactsCodec.decode(FactsCodec.encode(entry, version: "facts-6")) == nil)
    #expect(
      FactsCodec.decode(FactsCodec.encode(entry, version: "facts-6"), version: "facts-6") == entry)

    // Through the cache: a whole file (its header and checksum right) of another layout is
    // discarded and re-parsed, not used.
    let base = FixturePaths.temporary("facts-codec-version")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let cache = FactsCache(base: base)
    cache.store(key: "k", facts: entry.facts, dependencies: [])
    #expect(cache.load(key: "k") == entry.facts)
    let file = base + "/facts/v2/k.bin"
    CacheFile.write(FactsCodec.encode(entry, version: "facts-6"), to: file)
    #expect(cache.load(key: "k") == nil)
    #expect(!FileManager.default.fileExists(atPath: file), "an entry of another layout is removed")
  }

  @Test func aTruncatedCacheFileIsAMiss() throws {
    let base = FixturePaths.temporary("facts-codec-truncated")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let cache = FactsCache(base: base)
    let facts = entry().facts
    cache.store(key: "k", facts: facts, dependencies: [])
    let file = base + "/facts/v2/k.bin"
    let whole = try #require(FileManager.default.contents(atPath: file))
    try whole.prefix(whole.count - 7).write(to: URL(fileURLWithPath: file))
    #expect(cache.load(key: "k") == nil)
    cache.store(key: "k", facts: facts, dependencies: [])
    #expect(cache.load(key: "k") == facts)
  }

  /// The codec writes each type's fields by hand: a field added to a fact type must be added
  /// to `FactsCodec` (and `FactsCache.formatVersion` bumped), and this list with it.
  @Test func theCodecKnowsEveryField() {
    let here = SourceLocation(path: "p", line: 1, column: 1)
    let path = AccessPath(root: "r", rootKind: .local)
    let expected: [(Any, [String])] = [
      (
        FileFacts(path: "p"),
        [
          "path", "tables", "functions", "registrations", "dispatches", "parseErrorCount",
          "diagnostics", "suppressions",
        ]
      ),
      (
        CallbackTable(name: "n", kind: .cftype, location: here, isStatic: true, fields: []),
        ["name", "kind", "location", "index", "macro", "isStatic", "fields"]
      ),
      (
        TableField(name: "n", location: here),
        ["name", "handler", "reference", "value", "location"]
      ),
      (
        FunctionDefinition(
          name: "f", location: here, body: SourceRange(start: here, end: here), isStatic: true),
        [
          "name", "location", "body", "isStatic", "parameters", "calls", "stores", "uses",
          "conditions", "exits",
        ]
      ),
      (ParameterFact(name: "n", recordTag: nil), ["name", "recordTag"]),
      (
        CallFact(callee: "c", arguments: [], location: here),
        ["callee", "arguments", "location", "guards"]
      ),
      (
        StoreFact(target: path, value: path, location: here),
        ["target", "value", "location", "guards"]
      ),
      (UseFact(path: path, location: here), ["path", "location"]),
      (
        ConditionFact(text: "t", location: here, tested: nil, takenWhenNull: false),
        ["text", "location", "tested", "takenWhenNull"]
      ),
      (
        ExitFact(kind: .return, text: nil, value: .success, location: here),
        ["kind", "text", "value", "location", "guards"]
      ),
      (
        path,
        ["root", "rootKind", "parameterIndex", "fields", "recordTags", "arrows", "addressOf"]
      ),
      (
        Registration(
          callee: "c", table: nil, tableKind: nil, argumentIndex: nil, enclosingFunction: nil,
          location: here),
        ["callee", "table", "tableKind", "via", "argumentIndex", "enclosingFunction", "location"]
      ),
      (
        DispatchSite(
          tableKind: .cftype, field: "f", enclosingFunction: nil, expression: "e", location: here),
        ["tableKind", "field", "enclosingFunction", "expression", "location"]
      ),
      (
        ToolDiagnostic(kind: .parseError, path: "p", message: "m"),
        ["kind", "path", "message", "location"]
      ),
      (Suppression(ruleIDs: [], reason: nil, location: here), ["ruleIDs", "reason", "location"]),
      (here, ["path", "line", "column"]),
      (SourceRange(start: here, end: here), ["start", "end"]),
    ]
    for (value, fields) in expected {
      var mirror = Mirror(reflecting: value)
      // A value kept in a copy-on-write storage (FunctionDefinition): the storage's fields.
      while [["storage"], ["fields"]].contains(mirror.children.map(\.label)),
        let inner = mirror.children.first?.value
      {
        mirror = Mirror(reflecting: inner)
      }
      let names = mirror.children.compactMap(\.label)
      #expect(names == fields, "\(type(of: value)) changed: update FactsCodec and this list")
    }
  }
}

/// A small deterministic generator for the damage test.
private struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}
