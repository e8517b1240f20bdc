import Foundation
import Rules
import SeverSupport

/// The files of one tree as the fixes read them: bytes read once (bounded), paths relative to the
/// root, and nothing outside the root (a path that climbs out, or a symbolic link that leads out,
/// reads as missing).
public final class SourceTree: @unchecked Sendable {
  // Safe: one fix session uses a tree on one thread.
  /// The tree root, absolute and without symbolic links.
  public let root: String
  private var contents: [String: [UInt8]?] = [:]

  /// The largest file a fix reads, as for every C input (`InputSet`).
  static let maximumSize = 16 << 20

  /// A tree rooted at `root`.
  public init(root: String) {
    self.root = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
  }

  /// The absolute path of a file of the tree, or nil when it would leave the tree.
  public func absolutePath(_ relative: String) -> String? {
    guard !relative.hasPrefix("/"), !relative.split(separator: "/").contains("..") else {
      return nil
    }
    let path = root + "/" + relative
    let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    return resolved.hasPrefix(root + "/") ? path : nil
  }

  /// The bytes of a file as first read in this session.
  public func bytes(_ relative: String) -> [UInt8]? {
    if let known = contents[relative] { return known }
    let read = absolutePath(relative).flatMap {
      try? [UInt8](BoundedFile.read($0, limit: Self.maximumSize))
    }
    contents[relative] = read
    return read
  }

  /// The sources the rules' fixes read.
  public func fixSources() -> FixSources {
    FixSources(read: { [self] in bytes($0) })
  }

  /// The modification time of a file now, in nanoseconds since the epoch.
  public func modified(_ relative: String) -> Int? {
    absolutePath(relative).flatMap { FileStatus(path: $0)?.modified }
  }
}

/// A file's text as lines, and whether its last line ends with a newline.
struct FileText: Sendable, Hashable {
  var lines: [String]
  var endsWithNewline: Bool

  init(bytes: [UInt8]) {
    var lines = String(decoding: bytes, as: UTF8.self)
      .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    endsWithNewline = lines.last == ""
    if endsWithNewline { lines.removeLast() }
    self.lines = lines
  }

  init(lines: [String], endsWithNewline: Bool) {
    self.lines = lines
    self.endsWithNewline = endsWithNewline
  }

  /// The file's bytes.
  var bytes: [UInt8] {
    Array((lines.joined(separator: "\n") + (endsWithNewline && !lines.isEmpty ? "\n" : "")).utf8)
  }

  /// The text with `edits` applied (sorted, not overlapping, each still matching what it
  /// removes); nil when an edit no longer matches.
  func applying(_ edits: [LineEdit]) -> FileText? {
    var result: [String] = []
    var next = 0
    for edit in edits.sorted() {
      let start = edit.line - 1
      guard start >= next, start + edit.removing.count <= lines.count,
        Array(lines[start..<(start + edit.removing.count)]) == edit.removing
      else { return nil }
      result += lines[next..<start]
      result += edit.inserting
      next = start + edit.removing.count
    }
    result += lines[next...]
    return FileText(lines: result, endsWithNewline: endsWithNewline || lines.isEmpty)
  }
}
