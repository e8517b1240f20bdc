import Foundation
import SeverCore
import SeverSupport

/// The prefilter's verdicts of earlier runs, one file per tree under `<cache>/prefilter/v1/`:
/// for each C file, the status (kind, size, time, inode) it was read at, whether it spells a
/// table word, the functions it defines when it does not (tier 1's helper files come from
/// those), and what `InputSet` found wrong with it. Discovery reads every C file of the tree
/// to decide this (about three seconds of a whole-tree re-run, issue 18); a file whose status
/// is unchanged is not read again. Kept like the tier-1 scan cache: an `EntryStore` (the whole,
/// and a delta of what later runs learned) of `CacheFile`s, checksummed and renamed into place;
/// a file that does not read back whole is ignored and rebuilt.
struct PrefilterCache {
  /// Bumped when the shape of a verdict or of the store changes, or the prefilter's words do.
  static let formatVersion: UInt32 = 3
  static let magic = Array("sever-prefilter".utf8)

  /// What discovery decided about one file.
  struct Verdict: Equatable {
    /// What is wrong with the file (`unreadable-input`), and whether it is skipped for it.
    var problem: String?
    var skip: Bool
    /// Whether the file spells a table word.
    var spells: Bool
    /// The `.c` files its `#include "…"` lines name (`IncludedSources.targets`): a wrapper's
    /// parts are found without reading the tree's files again.
    var includedSources: [String]
    /// The functions the file defines, when it spells none.
    var definitions: [String]
  }

  /// A verdict and the status of the file it was made for.
  struct Entry {
    var status: [Int]
    var verdict: Verdict
  }

  let file: String

  init(cacheBase: String, root: String) {
    file =
      cacheBase + "/prefilter/v1/"
      + StableHash.hex([root, SeverBuild.identity, InputSet.prefilterWords.joined(separator: " ")])
      + ".bin"
  }

  /// The status fields compared, or nil for a file whose status is not worth remembering (a
  /// symbolic link's own status says nothing of its target).
  static func fields(_ path: String) -> [Int]? {
    guard let status = FileStatus(path: path), status.kind == .regular else { return nil }
    return TierOneScanCache.fields(status)
  }

  /// The store of verdicts by absolute path (`EntryStore`: the whole, and the verdicts
  /// learned since).
  var entries: EntryStore<Entry> {
    var preamble = BinaryWriter()
    preamble.bytes(Self.magic)
    preamble.uint32(Self.formatVersion)
    return EntryStore(
      file: file, describing: "prefilter cache", preamble: Array(preamble.data),
      encode: { writer, path, entry in
        writer.string(path)
        writer.ints(entry.status)
        writer.optional(entry.verdict.problem)
        writer.bool(entry.verdict.skip)
        writer.bool(entry.verdict.spells)
        writer.strings(entry.verdict.includedSources)
        writer.strings(entry.verdict.definitions)
      },
      decode: { reader in
        guard let path = reader.string(), let status = reader.ints(),
          let problem = reader.optional(), let skip = reader.bool(), let spells = reader.bool(),
          let includedSources = reader.strings(), let definitions = reader.strings()
        else { return nil }
        return (
          path,
          Entry(
            status: status,
            verdict: Verdict(
              problem: problem, skip: skip, spells: spells, includedSources: includedSources,
              definitions: definitions))
        )
      })
  }
}
