import Foundation

/// Reads patches: a unified diff, a `git format-patch` file, or an mbox holding a series (each
/// mail with a diff is one patch, applied in order; cover letters and replies are skipped).
/// File names are validated here, so a name leaving the tree is refused before anything is read.
public enum PatchParser {
  /// The largest input sever reads (16 MiB): the biggest kernel series are a few MiB.
  public static let maximumInputSize = 16 << 20

  /// Parses `text`, named `name` in messages, into the patches it holds, in order.
  public static func parse(_ text: String, name: String) throws(ReviewError) -> [PatchMail] {
    if text.utf8.count > maximumInputSize {
      throw .inputTooLarge(name: name, bytes: text.utf8.count)
    }
    // Split at the "\n" scalar: Swift treats "\r\n" as one Character, so splitting the
    // characters would leave a patch with CRLF line ends (mail, Windows editors) in one line.
    let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
      line in
      let line = Substring(line)
      return line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
    }
    let mails = split(lines).filter(hasDiff)
    guard !mails.isEmpty else { throw .noPatch(name: name) }
    var patches: [PatchMail] = []
    for (offset, mail) in mails.enumerated() {
      let (headers, encodedBody) = headerBlock(of: mail)
      let body = try MailBody.decode(
        encodedBody, transferEncoding: headers?["content-transfer-encoding"], name: name)
      var patch = PatchMail(
        index: offset + 1, count: mails.count, subject: headers?["subject"],
        from: headers?["from"], date: headers?["date"],
        messageID: MailHeaders.messageIDs(in: headers?["message-id"]).first,
        references: MailHeaders.messageIDs(in: headers?["references"]), files: [], source: name,
        to: MailHeaderWriter.addresses(headers?["to"]),
        cc: MailHeaderWriter.addresses(headers?["cc"]))
      if patch.references.isEmpty {
        patch.references = MailHeaders.messageIDs(in: headers?["in-reply-to"])
      }
      var reader = DiffReader(lines: body, patch: patch.label)
      patch.files = try reader.files()
      guard !patch.files.isEmpty else { throw .noPatch(name: name) }
      patches.append(patch)
    }
    return patches
  }

  /// Splits an mbox at its `From ` separator lines (a `From ` line at the start or after an
  /// empty line, followed by a header field). Input without separators is one mail.
  static func split(_ lines: [String]) -> [ArraySlice<String>] {
    var starts: [Int] = []
    for index in lines.indices where lines[index].hasPrefix("From ") {
      let afterEmpty = index == 0 || lines[index - 1].isEmpty
      let beforeHeader = index + 1 < lines.count && MailHeaders.isField(lines[index + 1])
      if afterEmpty && beforeHeader { starts.append(index) }
    }
    if starts.first != 0 { starts.insert(0, at: 0) }
    return starts.indices.map { position in
      let end = position + 1 < starts.count ? starts[position + 1] : lines.count
      return lines[starts[position]..<end]
    }
  }

  private static let mailHeaderNames: Set<String> = [
    "from", "subject", "date", "message-id", "to", "cc", "received", "return-path",
    "delivered-to", "mime-version", "in-reply-to", "references",
  ]

  /// The headers and body of a mail; a bare diff has no headers.
  static func headerBlock(of mail: ArraySlice<String>) -> (MailHeaders?, ArraySlice<String>) {
    var start = mail.startIndex
    let separated =
      mail.first?.hasPrefix("From ") == true && mail.count > 1
      && MailHeaders.isField(mail[mail.startIndex + 1])
    if separated { start += 1 }
    guard start < mail.endIndex else { return (nil, mail) }
    let first = mail[start]
    let isMail =
      separated
      || (MailHeaders.isField(first)
        && mailHeaderNames.contains(String(first.prefix { $0 != ":" }).lowercased()))
    guard isMail else { return (nil, mail) }
    let end = mail[start...].firstIndex(where: \.isEmpty) ?? mail.endIndex
    return (MailHeaders(lines: mail[start..<end]), mail[end...])
  }

  private static func hasDiff(_ mail: ArraySlice<String>) -> Bool {
    mail.contains { $0.hasPrefix("diff --git ") || $0.hasPrefix("@@ -") }
  }
}

/// Walks the body of one mail and collects its file changes.
struct DiffReader {
  let lines: ArraySlice<String>
  let patch: String
  private var index: Int

  init(lines: ArraySlice<String>, patch: String) {
    self.lines = lines
    self.patch = patch
    self.index = lines.startIndex
  }

  /// Every file change in the body, in order; mode-only changes are left out.
  mutating func files() throws(ReviewError) -> [FilePatch] {
    var files: [FilePatch] = []
    while index < lines.endIndex {
      let line = lines[index]
      if line.hasPrefix("diff --git ") {
        files.append(try gitFile())
      } else if line.hasPrefix("--- "), index + 1 < lines.endIndex,
        lines[index + 1].hasPrefix("+++ ")
      {
        files.append(try plainFile())
      } else {
        index += 1
      }
    }
    return files.filter { !$0.hunks.isEmpty || $0.isRenamed || $0.isNew || $0.isDeleted }
  }

  private mutating func gitFile() throws(ReviewError) -> FilePatch {
    let header = lines[index]
    let (guessOld, guessNew) = Self.gitNames(String(header.dropFirst("diff --git ".count)))
    index += 1
    var oldName = guessOld
    var newName = guessNew
    var isNew = false
    var isDeleted = false
    var isBinary = false
    var isCopy = false
    while index < lines.endIndex {
      let line = lines[index]
      if line.hasPrefix("new file mode") {
        isNew = true
      } else if line.hasPrefix("deleted file mode") {
        isDeleted = true
      } else if let name = Self.value(line, after: ["rename from ", "copy from "]) {
        oldName = PatchPath.fromHeader(name, stripPrefix: false)
        isCopy = line.hasPrefix("copy ")
      } else if let name = Self.value(line, after: ["rename to ", "copy to "]) {
        newName = PatchPath.fromHeader(name, stripPrefix: false)
      } else if line.hasPrefix("Binary files ") || line.hasPrefix("GIT binary patch") {
        isBinary = true
      } else if line.hasPrefix("--- "), index + 1 < lines.endIndex,
        lines[index + 1].hasPrefix("+++ ")
      {
        oldName = PatchPath.fromHeader(String(line.dropFirst(4)), stripPrefix: true)
        newName = PatchPath.fromHeader(String(lines[index + 1].dropFirst(4)), stripPrefix: true)
        if oldName == nil { isNew = true }
        if newName == nil { isDeleted = true }
        index += 2
        break
      } else if line.hasPrefix("diff --git ") || line.hasPrefix("@@ ") {
        break
      } else if !Self.isExtendedHeader(line) && !isBinary {
        break
      }
      index += 1
    }
    var file = FilePatch(
      oldPath: isNew ? nil : try oldName.map(validate),
      newPath: isDeleted ? nil : try newName.map(validate), hunks: [], isBinary: isBinary,
      isCopy: isCopy)
    if !isNew && file.oldPath == nil { file.oldPath = file.newPath }
    if !isDeleted && file.newPath == nil { file.newPath = file.oldPath }
    file.hunks = try hunks(for: file.path)
    return file
  }

  private mutating func plainFile() throws(ReviewError) -> FilePatch {
    let oldRaw = PatchPath.fromHeader(String(lines[index].dropFirst(4)), stripPrefix: false)
    let newRaw = PatchPath.fromHeader(String(lines[index + 1].dropFirst(4)), stripPrefix: false)
    index += 2
    // An absolute name is refused as written, before any prefix is stripped: `git apply` and
    // `patch -p1` would read `+++ /etc/shadow` as `etc/shadow`, but a patch that names a file
    // outside the tree is not one sever should guess at.
    if let absolute = [oldRaw, newRaw].compactMap({ $0 }).first(where: { $0.hasPrefix("/") }) {
      _ = try validate(absolute)
    }
    // diff(1) output is applied with -p1 when the two sides name different top directories
    // (linux.orig/ and linux/) or git-style a/ and b/; otherwise the names are taken as they are.
    let firstParts = [oldRaw, newRaw].compactMap { $0?.split(separator: "/").first }
    let strip =
      [oldRaw, newRaw].compactMap { $0 }.allSatisfy { $0.contains("/") }
      && (Set(firstParts).count > 1 || firstParts.allSatisfy { $0 == "a" || $0 == "b" })
    func stripped(_ name: String?) -> String? {
      guard let name, strip, let slash = name.firstIndex(of: "/") else { return name }
      return String(name[name.index(after: slash)...])
    }
    let file = FilePatch(
      oldPath: try stripped(oldRaw).map(validate), newPath: try stripped(newRaw).map(validate),
      hunks: [])
    var result = file
    result.hunks = try hunks(for: file.path)
    return result
  }

  private func validate(_ name: String) throws(ReviewError) -> String {
    try PatchPath.validated(name, patch: patch)
  }

  private mutating func hunks(for path: String) throws(ReviewError) -> [Hunk] {
    var hunks: [Hunk] = []
    while index < lines.endIndex, lines[index].hasPrefix("@@ ") {
      hunks.append(try hunk(for: path))
    }
    return hunks
  }

  private mutating func hunk(for path: String) throws(ReviewError) -> Hunk {
    let headerLine = lines[index]
    let inputLine = index + 1
    guard var hunk = Self.parseHeader(headerLine) else {
      throw .malformed(
        patch: patch, place: "\(path), input line \(inputLine)",
        reason: "'\(headerLine.prefix(60))' is not a hunk header such as '@@ -1,4 +1,5 @@'")
    }
    let place = "\(path), hunk \(hunk.header) (input line \(inputLine))"
    index += 1
    var oldLeft = hunk.oldCount
    var newLeft = hunk.newCount
    while oldLeft > 0 || newLeft > 0 {
      guard index < lines.endIndex else {
        throw .malformed(
          patch: patch, place: place,
          reason: "the input ends inside the hunk: \(oldLeft) old and \(newLeft) new lines missing")
      }
      let line = lines[index]
      let kind: Hunk.Kind
      switch line.first {
      case nil, " ": kind = .context
      case "-": kind = .removed
      case "+": kind = .added
      case "\\":
        markMissingNewline(&hunk)
        index += 1
        continue
      default:
        throw .malformed(
          patch: patch, place: place,
          reason: "input line \(index + 1) '\(line.prefix(40))' is not a hunk line, but the "
            + "header promises \(oldLeft) more old and \(newLeft) more new lines")
      }
      let usesOld = kind != .added
      let usesNew = kind != .removed
      if (usesOld && oldLeft == 0) || (usesNew && newLeft == 0) {
        throw .malformed(
          patch: patch, place: place,
          reason: "input line \(index + 1) makes the hunk longer than its header says")
      }
      if usesOld { oldLeft -= 1 }
      if usesNew { newLeft -= 1 }
      hunk.lines.append(Hunk.Line(kind: kind, text: line.isEmpty ? "" : String(line.dropFirst())))
      index += 1
    }
    if index < lines.endIndex, lines[index].hasPrefix("\\") {
      markMissingNewline(&hunk)
      index += 1
    }
    return hunk
  }

  private func markMissingNewline(_ hunk: inout Hunk) {
    switch hunk.lines.last?.kind {
    case .removed: hunk.oldMissingNewline = true
    case .added: hunk.newMissingNewline = true
    case .context:
      hunk.oldMissingNewline = true
      hunk.newMissingNewline = true
    case nil: break
    }
  }

  /// `@@ -a[,b] +c[,d] @@ section`.
  static func parseHeader(_ line: String) -> Hunk? {
    let parts = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
    guard parts.count >= 4, parts[0] == "@@", parts[3] == "@@" || parts[3].hasPrefix("@@"),
      parts[1].hasPrefix("-"), parts[2].hasPrefix("+"),
      let old = range(parts[1].dropFirst()), let new = range(parts[2].dropFirst())
    else { return nil }
    let section = parts.count > 4 ? String(parts[4]) : ""
    return Hunk(
      oldStart: old.start, oldCount: old.count, newStart: new.start, newCount: new.count,
      section: section, lines: [])
  }

  private static func range(_ text: Substring) -> (start: Int, count: Int)? {
    let pieces = text.split(separator: ",", omittingEmptySubsequences: false)
    // A start past any file sever reads (16 MiB holds fewer lines) would only make the
    // applier's offsets overflow.
    guard pieces.count <= 2, let start = Int(pieces[0]), start >= 0,
      start <= PatchParser.maximumInputSize
    else { return nil }
    let count = pieces.count == 2 ? Int(pieces[1]) : 1
    guard let count, count >= 0, count < 10_000_000 else { return nil }
    return (start, count)
  }

  private static func value(_ line: String, after prefixes: [String]) -> String? {
    for prefix in prefixes where line.hasPrefix(prefix) {
      return String(line.dropFirst(prefix.count))
    }
    return nil
  }

  private static let extendedHeaders = [
    "index ", "old mode ", "new mode ", "similarity index ", "dissimilarity index ",
    "new file mode ", "deleted file mode ",
  ]

  private static func isExtendedHeader(_ line: String) -> Bool {
    extendedHeaders.contains { line.hasPrefix($0) }
  }

  /// The two names of `diff --git a/X b/Y`; used when no `---`/`+++` lines follow.
  static func gitNames(_ rest: String) -> (String?, String?) {
    if rest.hasPrefix("\"") {
      guard let close = rest.dropFirst().firstIndex(of: "\"") else { return (nil, nil) }
      let first = String(rest[...close])
      let second = rest[rest.index(after: close)...].trimmingCharacters(in: .whitespaces)
      return (
        PatchPath.fromHeader(first, stripPrefix: true),
        PatchPath.fromHeader(second, stripPrefix: true)
      )
    }
    // Same name on both sides: "a/X b/X" splits where the halves agree.
    let characters = Array(rest)
    if characters.count % 2 == 1 {
      let half = characters.count / 2
      if characters[half] == " " {
        let first = String(characters[..<half])
        let second = String(characters[(half + 1)...])
        if first.dropFirst(2) == second.dropFirst(2) {
          return (
            PatchPath.fromHeader(first, stripPrefix: true),
            PatchPath.fromHeader(second, stripPrefix: true)
          )
        }
      }
    }
    guard let split = rest.range(of: " b/", options: .backwards) else { return (nil, nil) }
    return (
      PatchPath.fromHeader(String(rest[..<split.lowerBound]), stripPrefix: true),
      PatchPath.fromHeader(String(rest[rest.index(after: split.lowerBound)...]), stripPrefix: true)
    )
  }
}
