import Foundation
import SeverSupport
import SeverTestSupport
import Testing

@testable import SeverKit

/// The walk on every core finds what a walk on one thread finds: every entry once, folders
/// entered as the caller says, links not followed but for a root's when asked.
@Suite struct TreeWalkTests {
  /// A tree of `count` folders, two files each, a hidden folder, a link back to the top (a
  /// loop, if links were followed) and a link to a file; returns its path and every file.
  func makeTree(folders count: Int) throws -> (root: String, files: Set<String>) {
    let fm = FileManager.default
    let root = FixturePaths.temporary("walk")
    var files: Set<String> = []
    for index in 0..<count {
      // Nested three deep, so that folders are found while others are walked.
      let folder = root + "/d\(index % 3)/e\(index % 7)/f\(index)"
      try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
      for name in ["a.c", "b.h"] {
        try "x".write(toFile: folder + "/" + name, atomically: false, encoding: .utf8)
        files.insert(folder + "/" + name)
      }
    }
    try fm.createDirectory(atPath: root + "/.hidden", withIntermediateDirectories: true)
    try "y".write(toFile: root + "/.hidden/c.c", atomically: false, encoding: .utf8)
    files.insert(root + "/.hidden/c.c")
    try fm.createSymbolicLink(atPath: root + "/d0/loop", withDestinationPath: root)
    try fm.createSymbolicLink(
      atPath: root + "/d1/link.c", withDestinationPath: root + "/.hidden/c.c")
    files.formUnion([root + "/d0/loop", root + "/d1/link.c"])
    return (root, files)
  }

  @Test func everyEntryIsFoundOnceAndLinksAreNotFollowed() throws {
    let (root, files) = try makeTree(folders: 60)
    let entries = TreeWalk.entries(under: [root], enter: { _ in true })
    #expect(entries.count == files.count)
    #expect(Set(entries.map(\.path)) == files)
    let links = entries.filter { $0.status.kind == .symbolicLink }.map(\.path).sorted()
    #expect(links == [root + "/d0/loop", root + "/d1/link.c"])
  }

  @Test func overlappingRootsAreWalkedOnceAndFoldersAsTheCallerSays() throws {
    let (root, files) = try makeTree(folders: 30)
    // A root inside another: its folder is walked once.
    let entries = TreeWalk.entries(under: [root, root + "/d1"], enter: { _ in true })
    #expect(entries.count == files.count)
    let kept = TreeWalk.entries(
      under: [root], enter: { !($0 as NSString).lastPathComponent.hasPrefix(".") },
      keep: { path, status in status.kind == .regular && path.hasSuffix(".c") })
    #expect(
      Set(kept.map(\.path))
        == files.filter { $0.hasSuffix("/a.c") })
  }

  @Test func aRootThatIsALinkIsWalkedOnlyWhenAsked() throws {
    let (root, _) = try makeTree(folders: 3)
    let link = FixturePaths.temporary("walk-link")
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: root + "/d1")
    let own = TreeWalk.entries(under: [link], enter: { _ in true })
    #expect(own.map(\.path) == [link])
    let followed = TreeWalk.entries(under: [link], followingRootLinks: true, enter: { _ in true })
    #expect(
      Set(followed.map(\.path)) == [link + "/e1/f1/a.c", link + "/e1/f1/b.h", link + "/link.c"])
  }

  /// A walk that declined fewer folders answers a later walk of one of its roots with that
  /// walk's own rules: the same entries with the same statuses as walking again.
  @Test func aWiderWalkAnswersANarrowerOne() throws {
    let (root, _) = try makeTree(folders: 40)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let include = root + "/d2"
    let wide = TreeWalk.walk(
      under: [root, include], enter: { !$0.hasSuffix("/e3") },
      keep: { path, _ in !path.hasSuffix(".h") || path.contains("/e1/") })
    let narrow: @Sendable (String) -> Bool = { path in
      !(path as NSString).lastPathComponent.hasPrefix(".") && !path.hasSuffix("/e3")
        && !path.hasSuffix("/f5")
    }
    let keep: @Sendable (String, FileStatus) -> Bool = { path, status in
      status.kind == .regular && path.hasSuffix(".c")
    }
    for start in [root, include] {
      let answered = try #require(wide.entries(under: start, enter: narrow, keep: keep))
      let walked = TreeWalk.entries(under: [start], enter: narrow, keep: keep)
      #expect(!walked.isEmpty)
      #expect(
        Set(answered.map { "\($0.path) \($0.status.inode) \($0.status.size)" })
          == Set(walked.map { "\($0.path) \($0.status.inode) \($0.status.size)" }))
      #expect(answered.count == walked.count)
    }
    // A folder the wide walk declined and the narrow one enters: it cannot answer.
    #expect(wide.entries(under: root, enter: { _ in true }, keep: keep) == nil)
    // Nor for a folder that was not one of its roots, or a root that is a link.
    #expect(wide.entries(under: root + "/d1", enter: narrow, keep: keep) == nil)
    let linked = TreeWalk.walk(under: [root + "/d0/loop"], followingRootLinks: true) { _ in true }
    #expect(linked.entries(under: root + "/d0/loop", enter: narrow, keep: keep) == nil)
  }

  /// Discovery keeps the files `isVisibleCFile` accepts, read from bytes; it answers as the
  /// `String` checks it replaced.
  @Test func aVisibleCFileIsAnsweredAsTheStringChecksDo() {
    for path in [
      "a/b.c", "b.c", ".c", "a/.c", "a/.b.c", "a/b.h", "a/b.cc", "a/c", "c", "", "a.c/b",
      "drivers/démo/x.c", "x\u{301}.c", "a/b.c\u{301}", "/abs/x.c", "a/b..c",
    ] {
      let expected =
        path.hasSuffix(".c") && !(path as NSString).lastPathComponent.hasPrefix(".")
      #expect(InputSet.isVisibleCFile(path) == expected, "\(path)")
    }
  }
}
