/// The tree as a series leaves it after some of its patches: the base plus, for every path a
/// patch touched, its contents in memory (nil once deleted). Nothing on disk changes.
public struct TreeState: Sendable {
  /// The base the patches apply to.
  public let base: BaseTree
  /// Contents by path relative to the root, for every path touched so far or read from a git
  /// base; nil marks a deleted file.
  public private(set) var overlay: [String: String?] = [:]

  /// A tree with no patch applied.
  public init(base: BaseTree) {
    self.base = base
  }

  /// The contents of `path` in this state, or nil when it does not exist.
  public mutating func contents(of path: String) throws(ReviewError) -> String? {
    if let known = overlay[path] { return known }
    let contents = try base.contents(of: path)
    overlay[path] = .some(contents)
    return contents
  }

  /// Applies one patch; throws when a hunk does not apply or a file is not where the patch
  /// expects it. Returns the state after the patch; `self` is unchanged on error.
  public func applying(_ patch: PatchMail) throws(ReviewError) -> TreeState {
    var next = self
    for file in patch.files {
      if file.isBinary {
        if [file.oldPath, file.newPath].compactMap({ $0 }).contains(where: ReviewScope.isSource) {
          throw .fileState(
            patch: patch.label, path: file.path,
            reason: "a binary diff of a source file cannot be reviewed; send it as text")
        }
        continue
      }
      var original = ""
      if let oldPath = file.oldPath {
        guard let text = try next.contents(of: oldPath) else {
          throw .fileState(
            patch: patch.label, path: oldPath,
            reason: "the patch changes this file, but the tree has no such file")
        }
        original = text
      }
      if file.isNew, let newPath = file.newPath, try next.contents(of: newPath) != nil {
        throw .fileState(
          patch: patch.label, path: newPath,
          reason: "the patch creates this file, but the tree already has it")
      }
      let result = try HunkApplier.apply(
        file.hunks, to: original, path: file.path, patch: patch.label)
      if let oldPath = file.oldPath, oldPath != file.newPath, !file.isCopy {
        next.overlay[oldPath] = .some(nil)
      }
      if let newPath = file.newPath {
        next.overlay[newPath] = .some(result)
      } else if !result.isEmpty {
        throw .fileState(
          patch: patch.label, path: file.path,
          reason: "the patch deletes this file, but the tree's copy has lines the patch does "
            + "not list")
      }
    }
    return next
  }

  /// Every path in the overlay that exists in this state, with its contents.
  func existingContents() -> [String: String] {
    var result: [String: String] = [:]
    for (path, contents) in overlay {
      if let contents { result[path] = contents }
    }
    return result
  }
}
