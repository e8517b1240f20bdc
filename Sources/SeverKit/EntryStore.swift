import Foundation
import SeverSupport

/// A cache of entries by path for a whole tree, kept in two `CacheFile`s: the whole store, and
/// beside it (`.delta`) the entries the runs since then learned. A run that read a few files
/// again writes only those: the tier-1 scans of linux-6.12 are 46 MB and the prefilter's
/// verdicts 15 MB, which took a run with one file changed a third of a second to write whole.
/// A run whose delta would hold more than an eighth of the entries writes the whole store again
/// and removes the delta. Every entry carries the status of the file it was made for, and its
/// user checks that status before trusting it, so a whole store and a delta written by
/// different runs still give right answers.
struct EntryStore<Entry: Sendable>: Sendable {
  /// The whole store.
  let file: String
  /// What the store is, for the warning about a damaged one.
  let describing: String
  /// The bytes both files start with: the format, and what the entries were made under (the
  /// tier-1 scans' macro fingerprint); a file that starts otherwise is not read.
  let preamble: [UInt8]
  /// Writes one entry.
  let encode: @Sendable (inout BinaryWriter, String, Entry) -> Void
  /// Reads one entry; nil for a malformed one (the whole file is then ignored).
  let decode: @Sendable (inout BinaryReader) -> (String, Entry)?

  /// The entries learned since the whole store was written.
  var deltaFile: String { (file as NSString).deletingPathExtension + ".delta" }

  /// What a run read: every entry, and which of them came from the delta.
  struct Loaded: Sendable {
    var entries: [String: Entry] = [:]
    var delta: [String: Entry] = [:]
    /// Whether a whole store was read (without it, a delta means nothing).
    var whole = false
  }

  /// The stored entries, the delta's over the whole store's.
  func load() -> Loaded {
    var loaded = Loaded()
    guard let whole = entries(in: file) else { return loaded }
    loaded.entries = whole
    loaded.whole = true
    if let delta = entries(in: deltaFile) {
      loaded.delta = delta
      loaded.entries.merge(delta) { _, new in new }
    }
    return loaded
  }

  /// Stores what the run learned (`fresh`) onto what it read.
  func store(_ fresh: [String: Entry], onto loaded: Loaded) {
    guard !fresh.isEmpty else { return }
    let delta = loaded.delta.merging(fresh) { _, new in new }
    if loaded.whole, delta.count * 8 <= loaded.entries.count {
      write(delta, to: deltaFile)
    } else {
      write(loaded.entries.merging(fresh) { _, new in new }, to: file)
      try? FileManager.default.removeItem(atPath: deltaFile)
    }
  }

  private func entries(in path: String) -> [String: Entry]? {
    guard let data = CacheFile.validContents(path, describing: describing) else { return nil }
    var reader = BinaryReader(data)
    guard reader.bytes(preamble.count) == preamble, let count = reader.count() else { return nil }
    var entries: [String: Entry] = [:]
    // Each entry takes a few bytes at least: a count the data cannot hold reserves no more.
    entries.reserveCapacity(min(count, data.count / 4))
    for _ in 0..<count {
      guard let (key, entry) = decode(&reader) else { return nil }
      entries[key] = entry
    }
    return reader.atEnd ? entries : nil
  }

  /// Sorted by key, so equal stores are equal bytes.
  private func write(_ entries: [String: Entry], to path: String) {
    var writer = BinaryWriter()
    writer.bytes(preamble)
    writer.count(entries.count)
    for (key, entry) in entries.sorted(by: { $0.key < $1.key }) { encode(&writer, key, entry) }
    CacheFile.write(writer.data, to: path)
  }
}
