/// The lines a change touched, per path relative to the tree root: what `git diff -U0` calls the
/// new side of each hunk. GitHub annotations on these lines are emitted first.
public struct ChangedLines: Sendable, Hashable {
  /// Touched line ranges (1-based, inclusive) per path.
  public private(set) var ranges: [String: [ClosedRange<Int>]]

  /// Creates a set from ranges per path.
  public init(_ ranges: [String: [ClosedRange<Int>]] = [:]) {
    self.ranges = ranges
  }

  /// Reads the new side of a unified diff (`git diff -U0 base...HEAD`): every `+++ b/path`
  /// header names a file and every `@@ -a,b +c,d @@` hunk adds lines `c..<c+d`.
  /// Deleted files (`+++ /dev/null`) and pure deletions (`+c,0`) add nothing.
  public init(unifiedDiff: String) {
    var ranges: [String: [ClosedRange<Int>]] = [:]
    var current: String?
    // "\r\n" is one Character; splitting the scalars finds the "\n" of CRLF line ends too.
    for scalars in unifiedDiff.unicodeScalars.split(
      separator: "\n", omittingEmptySubsequences: false)
    {
      var line = Substring(scalars)
      if line.hasSuffix("\r") { line = line.dropLast() }
      if line.hasPrefix("+++ ") {
        current = Self.newPath(String(line.dropFirst(4)))
      } else if line.hasPrefix("@@ "), let path = current,
        let range = Self.newRange(String(line))
      {
        ranges[path, default: []].append(range)
      }
    }
    self.ranges = ranges
  }

  /// Whether no line is marked as changed (then every finding counts as unchanged).
  public var isEmpty: Bool { ranges.isEmpty }

  /// Whether `line` of `path` was touched.
  public func contains(path: String, line: Int) -> Bool {
    ranges[path]?.contains { $0.contains(line) } ?? false
  }

  /// Marks more lines as changed.
  public mutating func insert(path: String, lines: ClosedRange<Int>) {
    ranges[path, default: []].append(lines)
  }

  // `+++ b/fs/kernfs/file.c` (git's prefix), `+++ fs/x.c` (--no-prefix), maybe a tab and a date.
  private static func newPath(_ header: String) -> String? {
    var path = header
    if let tab = path.firstIndex(of: "\t") { path = String(path[..<tab]) }
    if path == "/dev/null" { return nil }
    if path.hasPrefix("\""), path.hasSuffix("\""), path.count >= 2 {
      // git quotes paths with unusual characters; the common escapes are enough here.
      path = String(path.dropFirst().dropLast()).replacingEscapes()
    }
    if path.hasPrefix("b/") { path = String(path.dropFirst(2)) }
    return path
  }

  private static func newRange(_ hunk: String) -> ClosedRange<Int>? {
    guard let plus = hunk.split(separator: " ").first(where: { $0.hasPrefix("+") }) else {
      return nil
    }
    let parts = plus.dropFirst().split(separator: ",")
    guard let start = parts.first.flatMap({ Int($0) }) else { return nil }
    let count = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
    // Numbers no source file reaches would overflow the range's upper bound.
    guard count > 0, start < Int(Int32.max), count < Int(Int32.max) else { return nil }
    return max(start, 1)...(max(start, 1) + count - 1)
  }
}

extension String {
  fileprivate func replacingEscapes() -> String {
    var result = ""
    var escaping = false
    for character in self {
      if escaping {
        switch character {
        case "t": result.append("\t")
        case "n": result.append("\n")
        default: result.append(character)
        }
        escaping = false
      } else if character == "\\" {
        escaping = true
      } else {
        result.append(character)
      }
    }
    return result
  }
}
