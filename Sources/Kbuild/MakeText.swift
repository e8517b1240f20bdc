/// Small text helpers shared by the Makefile and Kconfig readers: line joining, comment
/// stripping, top-level splitting that respects `$(…)` nesting.
enum MakeText {
  /// A logical line: continuation lines joined, with the 1-based number of its first line.
  struct Line {
    var number: Int
    var text: String
    var startsWithTab: Bool
  }

  /// Splits file text into logical lines, joining `\`-continued lines with a space.
  static func logicalLines(_ text: String) -> [Line] {
    var out: [Line] = []
    var pending: String?
    var pendingNumber = 0
    var pendingTab = false
    var number = 0
    // "\r\n" is one Character; splitting the scalars finds the "\n" of CRLF line ends too.
    for raw in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
      number += 1
      var line = Substring(raw)
      if line.last == "\r" { line = line.dropLast() }
      let continued = line.last == "\\"
      if continued { line = line.dropLast() }
      if pending == nil {
        pending = String(line)
        pendingNumber = number
        pendingTab = line.first == "\t"
      } else {
        pending? += " " + line.drop(while: { $0 == " " || $0 == "\t" })
      }
      if !continued, let done = pending {
        out.append(Line(number: pendingNumber, text: done, startsWithTab: pendingTab))
        pending = nil
      }
    }
    if let done = pending {
      out.append(Line(number: pendingNumber, text: done, startsWithTab: pendingTab))
    }
    return out
  }

  /// Removes a make comment (`#` outside `$(…)`, not escaped).
  static func stripComment(_ s: String) -> String {
    var depth = 0
    var previous: Character = " "
    var index = s.startIndex
    while index < s.endIndex {
      let c = s[index]
      if c == "(" || c == "{" {
        depth += 1
      } else if c == ")" || c == "}" {
        depth = max(0, depth - 1)
      } else if c == "#" && previous != "\\" && depth == 0 {
        return String(s[..<index])
      }
      previous = c
      index = s.index(after: index)
    }
    return s
  }

  /// Trims spaces and tabs.
  static func trim<S: StringProtocol>(_ s: S) -> String {
    var sub = Substring(s)
    while let f = sub.first, f == " " || f == "\t" { sub = sub.dropFirst() }
    while let l = sub.last, l == " " || l == "\t" { sub = sub.dropLast() }
    return String(sub)
  }

  /// Splits on top-level whitespace (not inside `$(…)`).
  static func words(_ s: String) -> [String] {
    var out: [String] = []
    var current = ""
    var depth = 0
    for c in s {
      if c == "(" || c == "{" { depth += 1 }
      if c == ")" || c == "}" { depth = max(0, depth - 1) }
      if depth == 0 && (c == " " || c == "\t") {
        if !current.isEmpty { out.append(current) }
        current = ""
      } else {
        current.append(c)
      }
    }
    if !current.isEmpty { out.append(current) }
    return out
  }

  /// Splits function arguments on top-level commas; at most `limit` parts (the last keeps commas).
  static func arguments(_ s: Substring, limit: Int = .max) -> [Substring] {
    var out: [Substring] = []
    var depth = 0
    var start = s.startIndex
    var index = s.startIndex
    while index < s.endIndex {
      let c = s[index]
      if c == "(" || c == "{" {
        depth += 1
      } else if c == ")" || c == "}" {
        depth -= 1
      } else if c == "," && depth == 0 && out.count < limit - 1 {
        out.append(s[start..<index])
        start = s.index(after: index)
      }
      index = s.index(after: index)
    }
    out.append(s[start...])
    return out
  }

  /// The index just after the `)`/`}` closing the reference opened at `open`.
  static func closing(_ s: Substring, from open: Substring.Index) -> Substring.Index? {
    let opener = s[open]
    let closer: Character = opener == "(" ? ")" : "}"
    var depth = 0
    var index = open
    while index < s.endIndex {
      let c = s[index]
      if c == "(" || c == "{" {
        depth += 1
      } else if c == ")" || c == "}" {
        depth -= 1
        if depth == 0 {
          return c == closer ? s.index(after: index) : s.index(after: index)
        }
      }
      index = s.index(after: index)
    }
    return nil
  }

  /// Normalises `a/./b/../c` to `a/c`; the tree root is the empty string.
  static func normalize(_ path: String) -> String {
    if isPlain(path) { return path.hasSuffix("/") ? String(path.dropLast()) : path }
    var parts: [Substring] = []
    for part in path.split(separator: "/") {
      if part == "." || part.isEmpty { continue }
      if part == "..", let last = parts.last, last != ".." {
        parts.removeLast()
      } else {
        parts.append(part)
      }
    }
    return parts.joined(separator: "/")
  }

  /// Whether a path has no empty, `.` or `..` segment and does not start with `/` (a trailing
  /// `/` is allowed): such a path is already normal. Byte-level, as this runs for every word.
  private static func isPlain(_ path: String) -> Bool {
    var length = 0
    var dots = 0
    var first = true
    for byte in path.utf8 {
      if byte == 0x2F {
        if length == 0 || dots == length && dots <= 2 { return false }
        length = 0
        dots = 0
        first = false
      } else {
        length += 1
        if byte == 0x2E { dots += 1 }
      }
    }
    _ = first
    return !(length > 0 && dots == length && dots <= 2)
  }

  /// Substring search on UTF-8 bytes (Foundation's `contains` goes through CFString).
  static func contains<S: StringProtocol>(_ haystack: S, _ needle: String) -> Bool {
    let n = Array(needle.utf8)
    guard let head = n.first else { return true }
    let h = Array(haystack.utf8)
    guard h.count >= n.count else { return false }
    var i = 0
    while i <= h.count - n.count {
      if h[i] == head {
        var j = 1
        while j < n.count && h[i + j] == n[j] { j += 1 }
        if j == n.count { return true }
      }
      i += 1
    }
    return false
  }

  /// `dir/name` with `dir` possibly empty (the tree root).
  static func join(_ dir: String, _ name: String) -> String {
    dir.isEmpty ? normalize(name) : normalize(dir + "/" + name)
  }

  /// Make's `%` pattern match; returns the stem.
  static func patternMatch(_ pattern: String, _ word: String) -> String? {
    guard let percent = pattern.firstIndex(of: "%") else { return pattern == word ? "" : nil }
    let prefix = pattern[..<percent]
    let suffix = pattern[pattern.index(after: percent)...]
    guard word.count >= prefix.count + suffix.count, word.hasPrefix(prefix),
      word.hasSuffix(suffix)
    else { return nil }
    return String(word.dropFirst(prefix.count).dropLast(suffix.count))
  }

  /// Make's `patsubst` on one word.
  static func patsubst(_ pattern: String, _ replacement: String, _ word: String) -> String {
    guard let stem = patternMatch(pattern, word) else { return word }
    guard let percent = replacement.firstIndex(of: "%") else { return replacement }
    return String(replacement[..<percent]) + stem
      + String(replacement[replacement.index(after: percent)...])
  }
}
