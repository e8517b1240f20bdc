import Foundation
import SeverTestSupport
import Testing

/// Concurrent runs on one cache never corrupt it, and a damaged cache is repaired by the next
/// run (issue 16). Each round starts eight sever processes at once on a fresh cache, four
/// `check` and four `review` (a review prepares the images before and after the patch at once,
/// in one process); every run must print exactly what a run without any cache prints.
@Suite(.serialized) struct CacheStressTests {
  static let rounds = 5
  static let check = ["check", "--jobs", "2", "--format", "json", FixturePaths.tree]
  static let review = [
    "review", "--jobs", "2", "--tree", FixturePaths.tree, "--format", "text",
    FixturePaths.fixtures + "/patches/0001-kernfs-free-hook.patch",
  ]

  /// Runs `arguments` with `cache` as `XDG_CACHE_HOME`.
  static func run(_ arguments: [String], cache: String) throws -> SeverBinary.Run {
    try SeverBinary.run(arguments, environment: ["XDG_CACHE_HOME": cache])
  }

  /// What each command prints with no cache at all.
  static func references() throws -> (check: SeverBinary.Run, review: SeverBinary.Run) {
    let cache = FixturePaths.temporary("sever-stress-reference")
    defer { try? FileManager.default.removeItem(atPath: cache) }
    let check = try run(Self.check + ["--no-cache"], cache: cache)
    let review = try run(Self.review + ["--no-cache"], cache: cache)
    #expect(check.status == 1, "\(check.stderr)")
    #expect(review.status == 1, "\(review.stderr)")
    return (check, review)
  }

  @Test func concurrentRunsOnAFreshCacheAgreeByteForByte() async throws {
    let (checkReference, reviewReference) = try Self.references()
    for round in 1...Self.rounds {
      let cache = FixturePaths.temporary("sever-stress-\(round)")
      defer { try? FileManager.default.removeItem(atPath: cache) }
      let runs = try await withThrowingTaskGroup(of: (Bool, SeverBinary.Run).self) { group in
        for index in 0..<8 {
          let isCheck = index % 2 == 0
          group.addTask {
            (isCheck, try Self.run(isCheck ? Self.check : Self.review, cache: cache))
          }
        }
        return try await group.reduce(into: [(Bool, SeverBinary.Run)]()) { $0.append($1) }
      }
      for (isCheck, run) in runs {
        let reference = isCheck ? checkReference : reviewReference
        #expect(run.status == reference.status, "round \(round): \(run.stderr)")
        #expect(run.stdout == reference.stdout, "round \(round), \(isCheck ? "check" : "review")")
        #expect(run.stderr == reference.stderr, "round \(round): \(run.stderr)")
      }
    }
  }

  @Test func aDamagedCacheIsRepairedByTheNextRun() throws {
    let (checkReference, _) = try Self.references()
    let cache = FixturePaths.temporary("sever-stress-damaged")
    defer { try? FileManager.default.removeItem(atPath: cache) }
    _ = try Self.run(Self.check, cache: cache)
    let fm = FileManager.default
    let base = cache + "/sever"
    // One of everything: a generated header deleted and another added, a facts entry cut short,
    // the index of the tree's Kbuild state grown by a byte, the tier-1 selection memo and the run
    // memo overwritten in place.
    let shims =
      base + "/shims/" + (try #require(try fm.contentsOfDirectory(atPath: base + "/shims").first))
    try fm.removeItem(atPath: shims + "/include/generated/autoconf.h")
    try "#define planted 1\n".write(
      toFile: shims + "/include/generated/planted.h", atomically: false, encoding: .utf8)
    let facts = base + "/facts/v2"
    let entry =
      facts + "/" + (try #require(try fm.contentsOfDirectory(atPath: facts).sorted().first))
    let whole = try #require(fm.contents(atPath: entry))
    try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: entry))
    let kbuild = base + "/kbuild/tree-v2"
    let answers =
      kbuild + "/" + (try #require(try fm.contentsOfDirectory(atPath: kbuild).first))
      + "/index.bin"
    let handle = try #require(FileHandle(forWritingAtPath: answers))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(" ".utf8))
    try handle.close()
    // The tier-1 selection memo with one byte changed.
    let selections = base + "/tierone/v1"
    let selection =
      selections + "/" + (try #require(try fm.contentsOfDirectory(atPath: selections).first))
    var selectionBytes = try #require(fm.contents(atPath: selection))
    selectionBytes[selectionBytes.count - 3] ^= 0x01
    try selectionBytes.write(to: URL(fileURLWithPath: selection))
    let runs = base + "/runs/v1"
    let memo =
      runs + "/"
      + (try #require(try fm.contentsOfDirectory(atPath: runs).first { $0.hasSuffix(".json") }))
    var memoBytes = try #require(fm.contents(atPath: memo))
    memoBytes[memoBytes.count - 2] ^= 0x20
    try memoBytes.write(to: URL(fileURLWithPath: memo))
    // And the list of facts the next run reads ahead, beside it.
    let list = String(memo.dropLast(".json".count)) + ".units"
    var listBytes = try #require(fm.contents(atPath: list))
    listBytes[listBytes.count - 1] ^= 0x01
    try listBytes.write(to: URL(fileURLWithPath: list))

    let repairing = try Self.run(Self.check, cache: cache)
    #expect(repairing.stdout == checkReference.stdout)
    for damaged in [
      "the run memo '\(memo)' in the cache is damaged (its checksum does not match",
      "the list of facts to preload '\(list)' in the cache is damaged (its checksum does not",
      "the Kbuild state file '\(answers)' in the cache is damaged (it holds",
      "the generated headers '\(shims)' in the cache are damaged (",
      "the facts entry '\(entry)' in the cache is damaged (it holds",
      "the tier-1 selection memo '\(selection)' in the cache is damaged (its checksum does not",
    ] {
      #expect(repairing.stderr.contains("sever: warning: " + damaged), "\(repairing.stderr)")
    }
    #expect(fm.fileExists(atPath: shims + "/include/generated/autoconf.h"))
    #expect(!fm.fileExists(atPath: shims + "/include/generated/planted.h"))

    let rewritten = try #require(fm.contents(atPath: entry))
    #expect(Self.isWhole(rewritten), "the facts entry was written again, whole")

    // Repaired: `facts` reads every cache but the memo and has nothing to say about them; the
    // next check answers from the memo written by the repairing run.
    let dump = try SeverBinary.run(
      ["facts", FixturePaths.tree], environment: ["XDG_CACHE_HOME": cache])
    #expect(dump.status == 0)
    #expect(!dump.stderr.contains("sever: warning:"), "\(dump.stderr)")
    let repaired = try Self.run(Self.check, cache: cache)
    #expect(repaired.stdout == checkReference.stdout)
    #expect(repaired.stderr == checkReference.stderr)
  }

  /// Whether a cache file holds as many bytes after its header line as the header says.
  static func isWhole(_ data: Data) -> Bool {
    guard let newline = data.firstIndex(of: UInt8(ascii: "\n")) else { return false }
    let header = String(decoding: data[..<newline], as: UTF8.self).split(separator: " ")
    guard header.count == 3, let length = Int(header[1]) else { return false }
    return data.count - newline - 1 == length
  }
}
