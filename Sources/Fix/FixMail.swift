import Foundation
import Reporters
import Rules
import SeverCore

/// A patch in `git format-patch` form: a subject with the prefix the file's history uses, a
/// commit message that states the bug from the model's trace, `Fixes:` from `git blame` of the
/// lines that introduced it, `Cc: stable` for errors, the diffstat and the diff. No
/// `Signed-off-by`: the sender certifies the patch, not sever.
public struct FixMail: Sendable {
  /// The patch.
  public var patch: FilePatch
  /// `Name <address>` for `From:`.
  public var from: String
  /// The `Date:` value.
  public var date: Date
  /// The subject prefix (`cgroup`, `iwlwifi: fw`).
  public var prefix: String
  /// Whether the history capitalises the word after the prefix.
  public var capitalized: Bool
  /// The `Fixes:` tags.
  public var fixes: [GitHistory.Commit]

  /// The mail's subject, without `[PATCH]`.
  public var subject: String {
    var actions: [(action: String, targets: [String])] = []
    for fix in patch.fixes {
      let proposal = fix.proposal
      if let index = actions.firstIndex(where: { $0.action == proposal.action }) {
        if !actions[index].targets.contains(proposal.target) {
          actions[index].targets.append(proposal.target)
        }
      } else {
        actions.append((proposal.action, [proposal.target]))
      }
    }
    var text = actions.map { "\($0.action) \(Self.list($0.targets))" }.joined(separator: "; ")
    if text.count > 60, actions.count == 1, let action = actions.first,
      let first = action.targets.first
    {
      text = "\(action.action) \(first) and \(action.targets.count - 1) more"
    } else if text.count > 60 {
      text = "fix \(patch.fixes.count) lifetime bugs found by sever"
    }
    if capitalized, let first = text.first { text = first.uppercased() + text.dropFirst() }
    return prefix.isEmpty ? text : "\(prefix): \(text)"
  }

  /// `a`, `a and b`, `a, b and c`.
  static func list(_ items: [String]) -> String {
    guard items.count > 1, let last = items.last else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + last
  }

  /// The commit message body: per fix, the bug, how it goes wrong, and the change; then the
  /// trailers. A counterexample told for an earlier fix of the patch is not told again.
  public var body: String {
    var paragraphs: [String] = []
    // Tables of one file usually fail the same way: eight copies of one trace would bury the
    // changes a maintainer reviews. Traces that differ only in the table they name are alike.
    let shapes = patch.fixes.map { fix in
      fix.finding.trace.map { trace in
        let prose = TraceRendering.prose(trace)
        return fix.finding.identity.table.map { prose.replacingOccurrences(of: $0, with: "\u{0}") }
          ?? prose
      }
    }
    var told: Set<String> = []
    for (fix, shape) in zip(patch.fixes, shapes) {
      let finding = fix.finding
      var bug = finding.message
      while bug.hasSuffix(".") { bug.removeLast() }
      paragraphs.append(bug + ".")
      if let trace = finding.trace, let shape, told.insert(shape).inserted {
        // The tables whose trace this one tells too, named unless they are all the others.
        let others = zip(patch.fixes, shapes).filter { $0.1 == shape }.dropFirst()
          .compactMap(\.0.finding.identity.table)
        var whose = ""
        if let table = finding.identity.table, !others.isEmpty, shape.contains("\u{0}") {
          whose =
            others.count + 1 == shapes.count
            ? " for \(table) (the other tables alike)"
            : " for \(table) (and alike for \(Self.list(others)))"
        }
        paragraphs.append(
          "As sever's model of the contract runs it\(whose): "
            + TraceRendering.sentences(trace))
      }
      paragraphs.append(fix.proposal.change)
    }
    let rules = Set(patch.fixes.map(\.finding.ruleID)).sorted().joined(separator: ", ")
    paragraphs.append("Found by sever (\(rules)).")
    var trailers = fixes.map(\.fixesTag)
    if patch.fixes.contains(where: { $0.finding.severity == .error }) {
      trailers.append("Cc: stable@vger.kernel.org")
    }
    let text = paragraphs.map { Self.wrap($0, width: 72) }.joined(separator: "\n\n")
    return trailers.isEmpty ? text + "\n" : text + "\n\n" + trailers.joined(separator: "\n") + "\n"
  }

  /// The whole mail, ending with a blank line so that mails concatenate into an mbox.
  public var text: String {
    let edits = patch.edits
    var stat: [(path: String, added: Int, removed: Int)] = []
    for path in patch.paths {
      let counts = UnifiedDiff.counts(edits[path] ?? [])
      stat.append((path, counts.added, counts.removed))
    }
    let width = stat.map(\.path.count).max() ?? 0
    let changed = stat.map { $0.added + $0.removed }.max() ?? 0
    var lines = stat.map { entry in
      let total = entry.added + entry.removed
      return " " + entry.path.padding(toLength: width, withPad: " ", startingAt: 0) + " | "
        + String(repeating: " ", count: String(changed).count - String(total).count)
        + "\(total) " + String(repeating: "+", count: entry.added)
        + String(repeating: "-", count: entry.removed)
    }
    let added = stat.map(\.added).reduce(0, +)
    let removed = stat.map(\.removed).reduce(0, +)
    var summary = " \(stat.count) file\(stat.count == 1 ? "" : "s") changed"
    if added > 0 { summary += ", \(added) insertion\(added == 1 ? "" : "s")(+)" }
    if removed > 0 { summary += ", \(removed) deletion\(removed == 1 ? "" : "s")(-)" }
    lines.append(summary)
    let body = self.body
    // The traces print arrows (→): mail then says it is UTF-8, as git format-patch does.
    let mime =
      (body + subject).unicodeScalars.allSatisfy(\.isASCII)
      ? ""
      : "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
        + "Content-Transfer-Encoding: 8bit\n"
    return """
      From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
      From: \(from)
      Date: \(Self.format(date))
      Subject: [PATCH] \(subject)
      \(mime)
      \(body)---
      \(lines.joined(separator: "\n"))

      \(patch.diff)-- 
      sever \(SeverVersion.current)


      """
  }

  /// A file name for the patch, as `git format-patch` makes one: `0001-cgroup-set-of-priv.patch`.
  public func fileName(number: Int) -> String {
    var slug = ""
    for character in subject.lowercased() {
      if character.isASCII && (character.isLetter || character.isNumber) {
        slug.append(character)
      } else if !slug.isEmpty && slug.last != "-" {
        slug.append("-")
      }
    }
    slug = String(slug.prefix(52))
    while slug.hasSuffix("-") { slug.removeLast() }
    return String(format: "%04d-", number) + slug + ".patch"
  }

  /// An RFC 2822 date in UTC, as git writes it (`Wed, 26 Nov 2025 10:00:00 +0000`: the day of
  /// the month unpadded), with English names whatever the locale.
  static func format(_ date: Date) -> String {
    var time = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    gmtime_r(&time, &parts)
    let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = [
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    let clock = String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    return "\(weekdays[Int(parts.tm_wday)]), \(parts.tm_mday) \(months[Int(parts.tm_mon)]) "
      + "\(parts.tm_year + 1900) \(clock) +0000"
  }

  /// Words filled into lines of at most `width` columns; a longer word gets a line of its own.
  static func wrap(_ text: String, width: Int) -> String {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ") {
      if current.isEmpty {
        current = String(word)
      } else if current.count + 1 + word.count <= width {
        current += " " + word
      } else {
        lines.append(current)
        current = String(word)
      }
    }
    if !current.isEmpty { lines.append(current) }
    return lines.joined(separator: "\n")
  }
}

extension FixMail {
  /// The subject prefix the history of a file uses most (the `: `-separated words before the
  /// summary: `ASoC: SOF: ipc3` of `ASoC: SOF: ipc3: Fix x`), and whether its subjects go on
  /// with a capital; nil without history.
  static func prefix(fromSubjects subjects: [String]) -> (prefix: String, capitalized: Bool)? {
    var counts: [String: Int] = [:]
    var order: [String] = []
    var capitals: [String: Int] = [:]
    for subject in subjects {
      guard !subject.hasPrefix("Merge "), !subject.hasPrefix("Revert ") else { continue }
      let parts = subject.components(separatedBy: ": ")
      let words = parts.dropLast().prefix { !$0.isEmpty && !$0.contains(" ") }
      guard !words.isEmpty else { continue }
      let prefix = words.joined(separator: ": ")
      if counts[prefix] == nil { order.append(prefix) }
      counts[prefix, default: 0] += 1
      if parts[words.count].first?.isUppercase == true {
        capitals[prefix, default: 0] += 1
      }
    }
    // The most used; among equals, the most recent.
    guard let best = order.max(by: { counts[$0, default: 0] < counts[$1, default: 0] }) else {
      return nil
    }
    return (best, capitals[best, default: 0] * 2 > counts[best, default: 0])
  }

  /// The prefix a path's directory suggests when there is no history: its last two directories,
  /// after a top-level one such as `drivers` (`drivers/net/wireless/intel/iwlwifi/fw/debugfs.c`
  /// → `iwlwifi: fw`, `kernel/cgroup/cgroup.c` → `cgroup`).
  static func prefix(fromPath path: String) -> String {
    var directories = path.split(separator: "/").dropLast().map(String.init)
    if directories.count > 1, ["drivers", "fs", "kernel", "lib", "net"].contains(directories[0]) {
      directories.removeFirst()
    }
    return directories.suffix(2).joined(separator: ": ")
  }
}
