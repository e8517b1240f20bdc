import Rules

/// A git-style unified diff of line edits, with three lines of context: the edits are the
/// change, so no line matching is needed, and the hunks say exactly what the fix does.
enum UnifiedDiff {
  /// Lines of context around each change.
  static let context = 3

  /// One file's diff: `diff --git`, `---`/`+++` and the hunks, each line ending in a newline.
  static func render(path: String, old: FileText, edits: [LineEdit]) -> String {
    var text = "diff --git a/\(path) b/\(path)\n--- a/\(path)\n+++ b/\(path)\n"
    for hunk in hunks(old: old, edits: edits.sorted()) {
      text += hunk
    }
    return text
  }

  /// Counts of added and removed lines, for the diffstat.
  static func counts(_ edits: [LineEdit]) -> (added: Int, removed: Int) {
    (edits.map(\.inserting.count).reduce(0, +), edits.map(\.removing.count).reduce(0, +))
  }

  /// The hunks: edits closer than twice the context share one.
  private static func hunks(old: FileText, edits: [LineEdit]) -> [String] {
    var groups: [[LineEdit]] = []
    for edit in edits {
      if let last = groups.last?.last, edit.line - last.range.upperBound <= 2 * context {
        groups[groups.count - 1].append(edit)
      } else {
        groups.append([edit])
      }
    }
    var shift = 0
    var result: [String] = []
    for group in groups {
      let first = group[0].line - 1
      let last = group[group.count - 1].range.upperBound - 1
      let start = max(0, first - context)
      let end = min(old.lines.count, last + context)
      var lines: [String] = []
      var oldCount = 0
      var newCount = 0
      var position = start
      for edit in group {
        for index in position..<(edit.line - 1) {
          lines.append(" " + old.lines[index])
        }
        lines += edit.removing.map { "-" + $0 }
        lines += edit.inserting.map { "+" + $0 }
        oldCount += (edit.line - 1 - position) + edit.removing.count
        newCount += (edit.line - 1 - position) + edit.inserting.count
        position = edit.line - 1 + edit.removing.count
      }
      for index in position..<end {
        lines.append(" " + old.lines[index])
      }
      oldCount += end - position
      newCount += end - position
      let header =
        "@@ -\(range(start, oldCount)) +\(range(start + shift, newCount)) @@\n"
      result.append(header + lines.map { $0 + "\n" }.joined())
      shift += newCount - oldCount
    }
    return result
  }

  /// `start,count` as a hunk header writes it: 1-based, the count left out when it is one, the
  /// line before when the range is empty.
  private static func range(_ start: Int, _ count: Int) -> String {
    switch count {
    case 0: "\(start),0"
    case 1: "\(start + 1)"
    default: "\(start + 1),\(count)"
    }
  }
}
