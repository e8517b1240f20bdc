import Foundation
import SeverConfiguration
import SeverSupport

/// Where the patches come from, and the base they apply to.
public struct PatchInput: Sendable {
  /// The patches, in order.
  public var patches: [PatchMail]
  /// The base tree.
  public var base: BaseTree

  /// Reads a patch file, or standard input for `-`, bounded by `PatchParser.maximumInputSize`;
  /// the base is the directory `tree`.
  public static func file(_ name: String, tree: String) throws(ReviewError) -> PatchInput {
    let data: Data
    if name == "-" {
      data = FileHandle.standardInput.readData(ofLength: PatchParser.maximumInputSize + 1)
    } else {
      // Bounded also for streams: `<(git diff)` works, `/dev/zero` is refused as too large.
      do {
        data = try BoundedFile.read(name, limit: PatchParser.maximumInputSize)
      } catch {
        if case .tooLarge(let bytes, _) = error { throw .inputTooLarge(name: name, bytes: bytes) }
        throw .unreadableInput(name)
      }
    }
    let label = name == "-" ? "<stdin>" : name
    if data.count > PatchParser.maximumInputSize {
      throw .inputTooLarge(name: label, bytes: data.count)
    }
    let text = String(decoding: data, as: UTF8.self)
    let patches = try PatchParser.parse(text, name: label)
    return PatchInput(patches: patches, base: .directory(root: tree))
  }

  /// The commits of `range` in the checkout holding `directory` (`A..B`, or `A` meaning
  /// `A..HEAD`), as `git format-patch` writes them, applied to the parent of the first commit.
  public static func gitRange(_ range: String, directory: String) throws(ReviewError)
    -> PatchInput
  {
    guard !range.isEmpty, !range.hasPrefix("-"),
      !range.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 32 } == true })
    else { throw .badRange(range) }
    let root = try checkoutRoot(directory)
    let git = GitRunner(directory: root)
    let span = range.contains("..") ? range : range + "..HEAD"
    let commits = try git.text(["rev-list", "--reverse", "--no-merges", span, "--"])
      .split(separator: "\n").map(String.init)
    guard let first = commits.first else {
      throw .git("the range '\(span)' holds no commits (merges are skipped)")
    }
    let parent = try git.outputIfSuccessful(["rev-parse", "--verify", "--quiet", first + "^"])
      .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
    let mbox = try git.output([
      "format-patch", "--stdout", "--no-signature", "--no-color", "--src-prefix=a/",
      "--dst-prefix=b/", span, "--",
    ])
    if mbox.count > PatchParser.maximumInputSize {
      throw .inputTooLarge(name: span, bytes: mbox.count)
    }
    let patches = try PatchParser.parse(String(decoding: mbox, as: UTF8.self), name: span)
    return PatchInput(patches: patches, base: .git(root: root, revision: parent))
  }

  /// The staged change (`git diff --cached`) applied to `HEAD`, or nil when nothing is staged.
  public static func staged(directory: String) throws(ReviewError) -> PatchInput? {
    let root = try checkoutRoot(directory)
    let git = GitRunner(directory: root)
    let diff = try git.output([
      "diff", "--cached", "--no-color", "--no-ext-diff", "--no-textconv", "-M",
      "--src-prefix=a/", "--dst-prefix=b/",
    ])
    guard !diff.isEmpty else { return nil }
    if diff.count > PatchParser.maximumInputSize {
      throw .inputTooLarge(name: "the staged change", bytes: diff.count)
    }
    let head = try git.outputIfSuccessful(["rev-parse", "--verify", "--quiet", "HEAD"])
      .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
    let patches = try PatchParser.parse(
      String(decoding: diff, as: UTF8.self), name: "the staged change")
    return PatchInput(patches: patches, base: .git(root: root, revision: head))
  }

  /// git's committer identity (`Name <address>`) in the checkout holding `directory`, for a
  /// reply's `From:`; nil outside a checkout or when git knows no identity.
  public static func committerIdentity(directory: String) -> String? {
    guard
      let data = try? GitRunner(directory: directory)
        .outputIfSuccessful(["var", "GIT_COMMITTER_IDENT"])
    else { return nil }
    // `Name <address> 1764151200 +0000`: the identity ends at the address.
    let ident = String(decoding: data, as: UTF8.self)
    guard let close = ident.lastIndex(of: ">") else { return nil }
    return String(ident[...close])
  }

  /// The top of the checkout holding `directory`.
  public static func checkoutRoot(_ directory: String) throws(ReviewError) -> String {
    let git = GitRunner(directory: directory)
    guard let data = try git.outputIfSuccessful(["rev-parse", "--show-toplevel"]) else {
      throw .git("'\(directory)' is not inside a git checkout; --git and --staged need one")
    }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The default tree: walking up from the current directory, the first directory that looks
  /// like a kernel tree root (`include/linux` and a `Kconfig` or `Makefile`) or holds `.git`;
  /// else the current directory. Git is not run.
  public static func defaultTree() -> String {
    let fm = FileManager.default
    let start = fm.currentDirectoryPath
    var candidate = start
    while !candidate.isEmpty {
      let kernelLike =
        fm.fileExists(atPath: candidate + "/include/linux")
        && (fm.fileExists(atPath: candidate + "/Kconfig")
          || fm.fileExists(atPath: candidate + "/Makefile"))
      if kernelLike || fm.fileExists(atPath: candidate + "/.git") { return candidate }
      if candidate == "/" { break }
      candidate = (candidate as NSString).deletingLastPathComponent
    }
    return start
  }
}
