import SeverKit

/// Everything that stops a review before any finding: unreadable or malformed input, a patch that
/// does not apply, a file name leaving the tree, git failures. Each case is a sentence a user can
/// act on; the CLI prints it and exits with status 2.
public enum ReviewError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The input file cannot be read.
  case unreadableInput(String)
  /// The input is larger than `PatchParser.maximumInputSize`.
  case inputTooLarge(name: String, bytes: Int)
  /// The input holds no diff at all.
  case noPatch(name: String)
  /// A hunk or header is malformed; `place` names the file and hunk.
  case malformed(patch: String, place: String, reason: String)
  /// A file name in the patch leaves the tree (absolute, `..`) or is unusable.
  case unsafePath(patch: String, path: String, reason: String)
  /// A hunk's context is not in the file.
  case doesNotApply(patch: String, path: String, hunk: String, reason: String)
  /// A file the patch modifies, deletes or renames is missing, or a new file already exists.
  case fileState(patch: String, path: String, reason: String)
  /// A base file cannot be read or is too large.
  case unreadableBase(path: String, reason: String)
  /// `--git` and `--staged` need a checkout, and git must be runnable.
  case git(String)
  /// A `--git` range that could be mistaken for an option or is empty.
  case badRange(String)
  /// The linter itself stopped (bad options, nothing parsed).
  case linter(SeverKitError)
  /// `sever hook install` would replace a hook it did not write.
  case foreignHook(path: String)
  /// A hook file cannot be written or removed.
  case hookNotWritable(path: String, reason: String)

  public var description: String {
    switch self {
    case .unreadableInput(let name):
      "cannot read the patch '\(name)'; give a readable file, or '-' for standard input"
    case .inputTooLarge(let name, let bytes):
      "the patch '\(name)' holds \(bytes >> 20) MiB or more; sever reviews patches up to "
        + "\(PatchParser.maximumInputSize >> 20) MiB (split the series)"
    case .noPatch(let name):
      "no diff found in '\(name)': expected a unified diff, a git format-patch file or an mbox"
    case .malformed(let patch, let place, let reason):
      "\(patch): malformed patch at \(place): \(reason)"
    case .unsafePath(let patch, let path, let reason):
      "\(patch): refusing file name '\(path)': \(reason)"
    case .doesNotApply(let patch, let path, let hunk, let reason):
      "\(patch): hunk \(hunk) of \(path) does not apply: \(reason)"
    case .fileState(let patch, let path, let reason):
      "\(patch): \(path): \(reason)"
    case .unreadableBase(let path, let reason):
      "cannot read '\(path)' from the base tree: \(reason)"
    case .git(let message):
      message
    case .badRange(let range):
      "'\(range)' is not a revision range; give one such as 'origin/master..HEAD' or 'HEAD~2'"
    case .linter(let error):
      error.description
    case .foreignHook(let path):
      "\(path) exists and was not written by sever; move it aside or use --force to replace it"
    case .hookNotWritable(let path, let reason):
      "cannot write \(path): \(reason)"
    }
  }
}
