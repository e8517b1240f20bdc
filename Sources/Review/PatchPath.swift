/// File names as a patch spells them, made into paths relative to the tree root, or refused when
/// they would leave it. Nothing here touches the disk.
enum PatchPath {
  /// The name on a `---`/`+++` line or a `diff --git` side: git's `a/`/`b/` prefix removed,
  /// a C-quoted name unquoted, a trailing tab and timestamp dropped. `nil` for `/dev/null`.
  static func fromHeader(_ raw: String, stripPrefix: Bool) -> String? {
    var name = raw
    if let tab = name.firstIndex(of: "\t") { name = String(name[..<tab]) }
    if !name.hasPrefix("\"") {
      // diff(1) separates the timestamp with a tab; some tools use spaces before a date.
      name = name.trimmingTrailingSpaces()
    } else if let unquoted = unquote(name) {
      name = unquoted
    }
    if name == "/dev/null" { return nil }
    if stripPrefix, let slash = name.firstIndex(of: "/"), name[..<slash].count == 1 {
      // git's prefixes (a/, b/, and the mnemonic i/, w/, c/, o/) are one letter and a slash.
      name = String(name[name.index(after: slash)...])
    }
    return name
  }

  /// The path made safe: relative, no `..`, no empty or `.` components, no NUL or newline.
  static func validated(_ name: String, patch: String) throws(ReviewError) -> String {
    func refuse(_ reason: String) -> ReviewError {
      .unsafePath(patch: patch, path: name, reason: reason)
    }
    if name.isEmpty { throw refuse("the name is empty") }
    if name.hasPrefix("/") { throw refuse("absolute paths leave the tree") }
    if name.contains("\0") || name.contains("\n") || name.contains("\r") {
      throw refuse("control characters in a file name")
    }
    var parts: [Substring] = []
    for part in name.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == ".." { throw refuse("'..' leaves the tree") }
      parts.append(part)
    }
    if parts.isEmpty { throw refuse("the name names no file") }
    if parts.first == ".git" { throw refuse("files under .git are not source") }
    return parts.joined(separator: "/")
  }

  /// Undoes git's C-style quoting (`"a/tab\there"`, octal escapes for bytes).
  static func unquote(_ quoted: String) -> String? {
    guard quoted.hasPrefix("\""), quoted.count >= 2 else { return nil }
    var bytes: [UInt8] = []
    var input = Array(quoted.utf8.dropFirst())
    guard let closing = input.lastIndex(of: UInt8(ascii: "\"")) else { return nil }
    input = Array(input[..<closing])
    var index = 0
    while index < input.count {
      let byte = input[index]
      index += 1
      guard byte == UInt8(ascii: "\\"), index < input.count else {
        bytes.append(byte)
        continue
      }
      let escape = input[index]
      index += 1
      switch escape {
      case UInt8(ascii: "n"): bytes.append(10)
      case UInt8(ascii: "t"): bytes.append(9)
      case UInt8(ascii: "r"): bytes.append(13)
      case UInt8(ascii: "a"): bytes.append(7)
      case UInt8(ascii: "b"): bytes.append(8)
      case UInt8(ascii: "f"): bytes.append(12)
      case UInt8(ascii: "v"): bytes.append(11)
      case UInt8(ascii: "0")...UInt8(ascii: "7"):
        var value = Int(escape - UInt8(ascii: "0"))
        for _ in 0..<2 where index < input.count {
          let digit = input[index]
          guard (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(digit) else { break }
          value = value * 8 + Int(digit - UInt8(ascii: "0"))
          index += 1
        }
        bytes.append(UInt8(truncatingIfNeeded: value))
      default: bytes.append(escape)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var copy = self
    while copy.last == " " { copy.removeLast() }
    return copy
  }
}
