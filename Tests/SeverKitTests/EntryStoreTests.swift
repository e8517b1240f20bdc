import Foundation
import SeverSupport
import SeverTestSupport
import Testing

@testable import SeverKit

/// The whole-and-delta store of the tier-1 scans and the prefilter's verdicts: a run that
/// learned a few entries writes only those, beside the whole store; the next run reads both;
/// a run that learned many writes the whole again.
@Suite struct EntryStoreTests {
  static func store(_ directory: String, preamble: String = "demo-1") -> EntryStore<Int> {
    EntryStore(
      file: directory + "/store.bin", describing: "demo store", preamble: Array(preamble.utf8),
      encode: { writer, key, value in
        writer.string(key)
        writer.int(value)
      },
      decode: { reader in
        guard let key = reader.string(), let value = reader.int() else { return nil }
        return (key, value)
      })
  }

  static func entries(_ count: Int, value: Int = 0) -> [String: Int] {
    Dictionary(uniqueKeysWithValues: (0..<count).map { ("file\($0).c", value) })
  }

  @Test func aFewNewEntriesGoToTheDeltaAndManyRewriteTheWhole() throws {
    let directory = FixturePaths.temporary("entry-store")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = Self.store(directory)
    let fm = FileManager.default

    // The first run has nothing to build on: the whole store.
    store.store(Self.entries(80), onto: store.load())
    #expect(fm.fileExists(atPath: store.file))
    #expect(!fm.fileExists(atPath: store.deltaFile))
    let whole = try Data(contentsOf: URL(fileURLWithPath: store.file))

    // Two runs that each learned one entry: the whole store stays as it was, the delta holds both.
    store.store(["file3.c": 1], onto: store.load())
    store.store(["new.c": 2], onto: store.load())
    #expect(try Data(contentsOf: URL(fileURLWithPath: store.file)) == whole)
    var loaded = store.load()
    #expect(loaded.delta == ["file3.c": 1, "new.c": 2])
    #expect(loaded.entries.count == 81)
    #expect(loaded.entries["file3.c"] == 1 && loaded.entries["file4.c"] == 0)

    // More than an eighth of the entries new: the whole store again, and no delta.
    store.store(Self.entries(20, value: 5), onto: loaded)
    #expect(!fm.fileExists(atPath: store.deltaFile))
    loaded = store.load()
    #expect(loaded.delta.isEmpty && loaded.entries.count == 81)
    #expect(loaded.entries["file3.c"] == 5 && loaded.entries["new.c"] == 2)
    #expect(loaded.entries["file40.c"] == 0)

    // Nothing new writes nothing (a write renames a new file into place: another inode).
    let before = FileStatus(path: store.file)
    store.store([:], onto: loaded)
    #expect(FileStatus(path: store.file) == before)
    #expect(!fm.fileExists(atPath: store.deltaFile))
  }

  @Test func aDeltaWithoutItsWholeOrOfAnotherFormatIsNotRead() throws {
    let directory = FixturePaths.temporary("entry-store-orphan")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = Self.store(directory)
    store.store(Self.entries(80), onto: store.load())
    store.store(["file1.c": 7], onto: store.load())
    #expect(store.load().entries["file1.c"] == 7)

    // Another format (another macro table, for tier 1's scans) reads neither file.
    let other = Self.store(directory, preamble: "demo-2")
    #expect(other.load().entries.isEmpty)

    // A delta whose whole store is gone means nothing; the next store is a whole one.
    try FileManager.default.removeItem(atPath: store.file)
    #expect(store.load().entries.isEmpty)
    store.store(["file1.c": 8], onto: store.load())
    #expect(!FileManager.default.fileExists(atPath: store.deltaFile))
    #expect(store.load().entries == ["file1.c": 8])

    // A torn delta is not half read: the whole store's entries stand.
    store.store(Self.entries(80), onto: store.load())
    store.store(["file1.c": 9], onto: store.load())
    let delta = try Data(contentsOf: URL(fileURLWithPath: store.deltaFile))
    try delta.prefix(delta.count - 3).write(to: URL(fileURLWithPath: store.deltaFile))
    #expect(store.load().entries["file1.c"] == 0)
  }
}
