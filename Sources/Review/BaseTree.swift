import Foundation

/// Where the contents before a patch come from: the files of a directory, or the blobs of a git
/// revision (for `--git` and `--staged`, where the checkout already holds the change). Read-only.
public enum BaseTree: Sendable {
  /// Files on disk under an absolute root.
  case directory(root: String)
  /// Blobs of `revision` in the repository at `root`; `revision == nil` is an empty tree (an
  /// unborn branch).
  case git(root: String, revision: String?)

  /// The absolute root.
  public var root: String {
    switch self {
    case .directory(let root), .git(let root, _): root
    }
  }

  /// The contents of a file relative to the root, or nil when it does not exist.
  func contents(of path: String) throws(ReviewError) -> String? {
    switch self {
    case .directory(let root):
      return try Self.read(root: root, path: path)
    case .git(let root, let revision):
      guard let revision else { return nil }
      let git = GitRunner(directory: root)
      guard let data = try git.outputIfSuccessful(["cat-file", "blob", "\(revision):\(path)"])
      else { return nil }
      if data.count > PatchParser.maximumInputSize {
        throw .unreadableBase(path: path, reason: "larger than 16 MiB")
      }
      return String(decoding: data, as: UTF8.self)
    }
  }

  /// The contents of several files relative to the root (nil for each that does not exist):
  /// for a git base, one `git cat-file --batch` for them all instead of a process per file.
  func contents(of paths: [String]) throws(ReviewError) -> [String: String?] {
    var result: [String: String?] = [:]
    guard case .git(let root, let revision?) = self, paths.count > 1 else {
      for path in paths { result[path] = .some(try contents(of: path)) }
      return result
    }
    // A name with a line break cannot be one line of the batch's input: read on its own.
    let batched = paths.filter { !$0.contains("\n") && !$0.contains("\r") }
    let blobs = try GitRunner(directory: root).blobs(revision: revision, paths: batched)
    for (path, data) in zip(batched, blobs) {
      result[path] = .some(data.map { String(decoding: $0, as: UTF8.self) })
    }
    for path in paths where result[path] == nil { result[path] = .some(try contents(of: path)) }
    return result
  }

  private static func read(root: String, path: String) throws(ReviewError) -> String? {
    let absolute = root + "/" + path
    let fm = FileManager.default
    guard fm.fileExists(atPath: absolute) else { return nil }
    // A symbolic link inside the tree may point outside it; the resolved file must stay inside.
    let resolvedRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
    let resolved = URL(fileURLWithPath: absolute).resolvingSymlinksInPath().path
    guard resolved.hasPrefix(resolvedRoot + "/") else {
      throw .unreadableBase(path: path, reason: "it resolves to a file outside the tree")
    }
    guard let attributes = try? fm.attributesOfItem(atPath: resolved),
      attributes[.type] as? FileAttributeType == .typeRegular,
      let size = (attributes[.size] as? NSNumber)?.intValue
    else { throw .unreadableBase(path: path, reason: "not a regular file") }
    if size > PatchParser.maximumInputSize {
      throw .unreadableBase(path: path, reason: "larger than 16 MiB")
    }
    guard let data = fm.contents(atPath: resolved) else {
      throw .unreadableBase(path: path, reason: "permission denied")
    }
    // Latin-1 in old comments must not stop a review; clang reads the bytes the same way.
    return String(decoding: data, as: UTF8.self)
  }
}
