import Foundation
import Testing

/// Golden files: output compared with a file under `Fixtures/`, with a line diff when they differ.
///
/// `SEVER_UPDATE_GOLDEN=1 make test` rewrites every golden that differs and *fails* each such
/// comparison with "Recorded new baseline" (as swift-argument-parser's `assertSnapshot` does), so
/// a recording run never passes by accident: review the diff, then run the tests again.
public enum Golden {
  /// Whether this run records goldens instead of comparing.
  public static var recording: Bool {
    let environment = ProcessInfo.processInfo.environment
    return environment["SEVER_UPDATE_GOLDEN"] == "1" || environment["SEVER_UPDATE_SNAPSHOTS"] == "1"
  }

  /// Compares `actual` with the golden file at `path` and records an issue with a line diff when
  /// they differ (or when recording).
  public static func check(
    _ actual: String, file path: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let expected = try? String(contentsOfFile: path, encoding: .utf8)
    guard expected != actual else { return }
    if recording {
      do {
        try actual.write(toFile: path, atomically: true, encoding: .utf8)
        let message =
          "Recorded new baseline for \(path); review the diff and run the tests again:\n"
          + LineDiff.render(expected: expected ?? "", actual: actual)
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
      } catch {
        Issue.record("cannot write the golden \(path): \(error)", sourceLocation: sourceLocation)
      }
      return
    }
    guard let expected else {
      Issue.record(
        "no golden file \(path); run with SEVER_UPDATE_GOLDEN=1 to record one",
        sourceLocation: sourceLocation)
      return
    }
    let message =
      "output differs from \(path) (- golden, + actual); if the change is intended, run with "
      + "SEVER_UPDATE_GOLDEN=1 and review the diff:\n"
      + LineDiff.render(expected: expected, actual: actual)
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
  }
}

/// A line diff for test failures: the lines only in the golden (`-`) and only in the output
/// (`+`), with a line of context, from a longest common subsequence.
public enum LineDiff {
  /// The diff of two texts; empty when they are equal.
  public static func render(expected: String, actual: String, context: Int = 1) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // Long outputs are compared by their first differing region only: the diff is for reading.
    guard a.count * b.count <= 4_000_000 else {
      let first =
        (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
      return "first difference at line \(first + 1):\n- \(first < a.count ? a[first] : "")\n"
        + "+ \(first < b.count ? b[first] : "")\n"
    }
    var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in stride(from: a.count - 1, through: 0, by: -1) {
      for j in stride(from: b.count - 1, through: 0, by: -1) {
        table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
      }
    }
    var lines: [(Character, String)] = []
    var i = 0
    var j = 0
    while i < a.count || j < b.count {
      if i < a.count, j < b.count, a[i] == b[j] {
        lines.append((" ", a[i]))
        i += 1
        j += 1
      } else if j < b.count, i == a.count || table[i][j + 1] >= table[i + 1][j] {
        lines.append(("+", b[j]))
        j += 1
      } else {
        lines.append(("-", a[i]))
        i += 1
      }
    }
    var shown = Set<Int>()
    for (index, line) in lines.enumerated() where line.0 != " " {
      for near in max(0, index - context)...min(lines.count - 1, index + context) {
        shown.insert(near)
      }
    }
    var out = ""
    var last = -1
    for index in shown.sorted() {
      if last >= 0, index > last + 1 { out += "…\n" }
      out += "\(lines[index].0) \(lines[index].1)\n"
      last = index
    }
    return out
  }
}
