import Foundation

/// Applies the hunks of one file to its text in memory, as `patch` does: each hunk's old side
/// is looked for at its stated line, then at growing offsets around it, first with all its
/// context, then ignoring up to `maximumFuzz` context lines at either end.
enum HunkApplier {
  /// Context lines that may be ignored at each end of a hunk (GNU patch's default fuzz).
  static let maximumFuzz = 2

  /// A text as lines, remembering whether it ends with a newline.
  struct Text: Sendable, Equatable {
    var lines: [String]
    var endsWithNewline: Bool

    init(_ text: String) {
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      endsWithNewline = text.isEmpty || text.hasSuffix("\n")
      if lines.last == "" { lines.removeLast() }
      self.lines = lines
    }

    var string: String {
      lines.isEmpty ? "" : lines.joined(separator: "\n") + (endsWithNewline ? "\n" : "")
    }
  }

  /// Applies `hunks` (in order) to `text`. Throws `doesNotApply` naming the hunk.
  static func apply(_ hunks: [Hunk], to text: String, path: String, patch: String)
    throws(ReviewError) -> String
  {
    var current = Text(text)
    // Where the next hunk is expected relative to its stated position, and the first line it
    // may start at (hunks are ordered and must not overlap).
    var delta = 0
    var floor = 0
    for hunk in hunks {
      let old = hunk.oldLines
      let new = hunk.newLines
      let stated = (hunk.oldCount == 0 ? hunk.oldStart : hunk.oldStart - 1) + delta
      guard let match = locate(hunk, old: old, in: current.lines, near: stated, floor: floor)
      else {
        throw .doesNotApply(
          patch: patch, path: path, hunk: hunk.header,
          reason: mismatch(old: old, lines: current.lines, at: max(stated, 0)))
      }
      let keptNew = Array(new.dropFirst(match.leading).dropLast(match.trailing))
      let replaced = old.count - match.leading - match.trailing
      current.lines.replaceSubrange(match.start..<(match.start + replaced), with: keptNew)
      let end = match.start + keptNew.count
      if end == current.lines.count {
        if hunk.newMissingNewline {
          current.endsWithNewline = false
        } else if hunk.oldMissingNewline || !current.lines.isEmpty {
          current.endsWithNewline = true
        }
      }
      delta =
        match.start - match.leading - (hunk.oldCount == 0 ? hunk.oldStart : hunk.oldStart - 1)
        + (new.count - old.count)
      floor = end
    }
    return current.string
  }

  private struct Match {
    var start: Int
    var leading: Int
    var trailing: Int
  }

  private static func locate(
    _ hunk: Hunk, old: [String], in lines: [String], near stated: Int, floor: Int
  ) -> Match? {
    let leadingContext = hunk.lines.prefix { $0.kind == .context }.count
    let trailingContext = hunk.lines.reversed().prefix { $0.kind == .context }.count
    for fuzz in 0...maximumFuzz {
      let leading = min(fuzz, leadingContext)
      let trailing = min(fuzz, trailingContext)
      if fuzz > 0 && leading + trailing == 0 { break }
      let needle = Array(old.dropFirst(leading).dropLast(trailing))
      if needle.isEmpty && !old.isEmpty { continue }
      let target = stated + leading
      let last = lines.count - needle.count
      guard last >= floor else { continue }
      let span = max(target - floor, last - target, 0)
      for distance in 0...span {
        for candidate in distance == 0 ? [target] : [target - distance, target + distance]
        where candidate >= floor && candidate <= last {
          if needle.isEmpty || lines[candidate..<(candidate + needle.count)].elementsEqual(needle) {
            return Match(start: candidate, leading: leading, trailing: trailing)
          }
        }
      }
    }
    return nil
  }

  /// The first line that differs at the stated position, for the error message.
  private static func mismatch(old: [String], lines: [String], at start: Int) -> String {
    for (offset, expected) in old.enumerated() {
      let index = start + offset
      guard index < lines.count else {
        return "the file has \(lines.count) lines, the hunk expects '\(clip(expected))' at line "
          + "\(index + 1); no place in the file matches its context"
      }
      if lines[index] != expected {
        return "line \(index + 1) is '\(clip(lines[index]))' where the hunk expects "
          + "'\(clip(expected))', and no place in the file matches its context"
      }
    }
    return "its context matches only where an earlier hunk already changed the file"
  }

  private static func clip(_ line: String) -> String {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    return trimmed.count > 50 ? trimmed.prefix(47) + "..." : trimmed
  }
}
