/// One hunk of a unified diff: `@@ -oldStart,oldCount +newStart,newCount @@ section`.
public struct Hunk: Sendable, Hashable {
  /// What a hunk line does.
  public enum Kind: Sendable, Hashable {
    /// A line present on both sides (` `).
    case context
    /// A line only the pre-image has (`-`).
    case removed
    /// A line only the post-image has (`+`).
    case added
  }

  /// One line of the hunk body, without its prefix character.
  public struct Line: Sendable, Hashable {
    /// Context, removed or added.
    public var kind: Kind
    /// The text, without the prefix and without the newline.
    public var text: String
    /// The prefix character as printed in a diff.
    public var prefix: String {
      switch kind {
      case .context: " "
      case .removed: "-"
      case .added: "+"
      }
    }
  }

  /// First line of the old side (1-based; 0 for an empty old side).
  public var oldStart: Int
  /// Lines on the old side.
  public var oldCount: Int
  /// First line of the new side (1-based; 0 for an empty new side).
  public var newStart: Int
  /// Lines on the new side.
  public var newCount: Int
  /// What follows the second `@@` (usually the enclosing function).
  public var section: String
  /// The body.
  public var lines: [Line]
  /// Whether `\ No newline at end of file` follows the old side's last line.
  public var oldMissingNewline = false
  /// Whether `\ No newline at end of file` follows the new side's last line.
  public var newMissingNewline = false

  /// The header as error messages and replies print it: `@@ -30,6 +30,8 @@`.
  public var header: String { "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@" }

  /// The old side's lines (context and removed), in order.
  public var oldLines: [String] { lines.filter { $0.kind != .added }.map(\.text) }
  /// The new side's lines (context and added), in order.
  public var newLines: [String] { lines.filter { $0.kind != .removed }.map(\.text) }

  /// The hunk that undoes this one.
  public var reversed: Hunk {
    var hunk = self
    (hunk.oldStart, hunk.newStart) = (newStart, oldStart)
    (hunk.oldCount, hunk.newCount) = (newCount, oldCount)
    (hunk.oldMissingNewline, hunk.newMissingNewline) = (newMissingNewline, oldMissingNewline)
    hunk.lines = lines.map { line in
      switch line.kind {
      case .context: line
      case .removed: Line(kind: .added, text: line.text)
      case .added: Line(kind: .removed, text: line.text)
      }
    }
    return hunk
  }
}

/// The changes a patch makes to one file.
public struct FilePatch: Sendable, Hashable {
  /// The file before (nil for a new file), relative to the tree root.
  public var oldPath: String?
  /// The file after (nil for a deleted file), relative to the tree root.
  public var newPath: String?
  /// The hunks, in order.
  public var hunks: [Hunk]
  /// Whether git marked the change as binary (nothing to apply; refused for C files).
  public var isBinary = false
  /// Whether the new file is a copy (`copy from`/`copy to`): the old file stays.
  public var isCopy = false

  /// The path a reader knows the change by: the new name, or the old one for a deletion.
  public var path: String { newPath ?? oldPath ?? "?" }
  /// Whether the file is created by the patch.
  public var isNew: Bool { oldPath == nil }
  /// Whether the file is deleted by the patch.
  public var isDeleted: Bool { newPath == nil }
  /// Whether the file is renamed (or copied) by the patch.
  public var isRenamed: Bool { oldPath != nil && newPath != nil && oldPath != newPath }

  /// The change that undoes this one.
  public var reversed: FilePatch {
    // Undoing a copy deletes the copy; the original was never touched.
    isCopy
      ? FilePatch(oldPath: newPath, newPath: nil, hunks: [], isBinary: isBinary)
      : FilePatch(
        oldPath: newPath, newPath: oldPath, hunks: hunks.map(\.reversed), isBinary: isBinary)
  }
}

/// One patch: the mail headers sever answers to (when it came as mail) and its file changes.
public struct PatchMail: Sendable, Hashable {
  /// Position in the series, from 1.
  public var index: Int
  /// How many patches the series holds.
  public var count: Int
  /// `Subject:`, decoded and unfolded.
  public var subject: String?
  /// `From:`.
  public var from: String?
  /// `Date:`.
  public var date: String?
  /// `Message-ID:`, with its angle brackets.
  public var messageID: String?
  /// `References:` (and `In-Reply-To:` when there are no references), in order.
  public var references: [String]
  /// The file changes, in patch order.
  public var files: [FilePatch]
  /// The input it came from (a file name, `<stdin>`, a git range), for messages.
  public var source = ""
  /// `To:` addresses, as written (decoded); a reply copies them to `Cc:`.
  public var to: [String] = []
  /// `Cc:` addresses, as written (decoded).
  public var cc: [String] = []

  /// The patch that undoes this one (files in reverse order, each change undone).
  public var reversed: PatchMail {
    var patch = self
    patch.files = files.reversed().map(\.reversed)
    return patch
  }

  /// How messages name this patch: the input, its position in a series, and its subject.
  public var label: String {
    var label = source.isEmpty ? "patch" : source
    if count > 1 { label += ": patch \(index)/\(count)" }
    if let subject { label += " '\(subject)'" }
    return label
  }
}
