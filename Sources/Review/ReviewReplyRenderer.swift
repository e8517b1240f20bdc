import SeverCore

/// `--format review`: for each patch a plain-text reply a maintainer could send, as an mbox.
/// Each introduced finding quotes the hunk lines leading to its line with `> `, trimmed to a
/// few lines, and writes the finding, its notes, the model's counterexample and a fix below.
public enum ReviewReplyRenderer {
  /// Lines of a hunk quoted before the finding's own line.
  static let linesBefore = 4

  /// The replies, one per patch, each starting with an mbox `From ` line.
  public static func render(_ outcome: ReviewOutcome) -> String {
    outcome.reviews.map { reply(to: $0, outcome: outcome) }.joined(separator: "\n")
  }

  static func reply(to review: PatchReview, outcome: ReviewOutcome) -> String {
    let patch = review.patch
    var lines = ["From sever Thu Jan  1 00:00:00 1970"]
    let subject = patch.subject ?? "patch to " + (patch.files.first?.path ?? "the tree")
    lines.append("Subject: " + (subject.lowercased().hasPrefix("re:") ? subject : "Re: " + subject))
    if let id = patch.messageID {
      lines.append("In-Reply-To: \(id)")
      lines.append("References: " + (patch.references + [id]).joined(separator: " "))
    }
    lines.append("")
    if review.introduced.isEmpty {
      lines.append("sever found nothing this patch introduces.")
    } else if let from = patch.from {
      lines.append(patch.date.map { "On \($0), \(from) wrote:" } ?? "\(from) wrote:")
    }
    for finding in review.introduced {
      lines += quote(finding, in: patch, postImage: review.postImageLines)
      lines.append("")
      lines += body(of: finding)
    }
    if !review.fixed.isEmpty {
      lines.append("")
      lines.append("This patch fixes what sever found before it:")
      for finding in review.fixed {
        lines += ReplyText.wrap(
          "\(finding.location): \(finding.message) [\(finding.ruleID)]", first: "  ",
          rest: "    ")
      }
    }
    lines.append("")
    let count = review.introduced.count
    let problems = count == 1 ? "1 problem" : "\(count) problems"
    var summary = "sever: \(problems) introduced, \(review.fixed.count) fixed"
    if review.inherited == 1 {
      summary += "; 1 finding the tree had before this patch is not mentioned"
    } else if review.inherited > 1 {
      summary += "; \(review.inherited) findings the tree had before this patch are not mentioned"
    }
    lines += ReplyText.wrap(summary + ".")
    lines += ReplyText.wrap(outcome.factsSource + ".")
    lines.append("")
    lines.append("-- ")
    lines.append("sever \(SeverVersion.current), the kernfs severing contract checker")
    return lines.map { $0 + "\n" }.joined()
  }

  /// The quoted hunk lines up to the finding's line, or the post-image line when no hunk of
  /// this patch shows it.
  static func quote(_ finding: Finding, in patch: PatchMail, postImage: [String: [String]])
    -> [String]
  {
    let path = finding.location.path
    let line = finding.location.line
    for file in patch.files where file.newPath == path {
      for hunk in file.hunks {
        var number = hunk.newStart
        for (index, hunkLine) in hunk.lines.enumerated() {
          if hunkLine.kind == .removed { continue }
          if number == line {
            let start = max(0, index - linesBefore)
            var quoted = [
              "> diff --git a/\(file.oldPath ?? path) b/\(path)",
              "> " + hunk.header + (hunk.section.isEmpty ? "" : " " + hunk.section),
            ]
            if start > 0 { quoted.append("> [...]") }
            quoted += hunk.lines[start...index].map { "> " + $0.prefix + $0.text }
            return quoted.map { $0.trimmingTrailingWhitespace() }
          }
          number += 1
        }
      }
    }
    var quoted = ["In \(path):\(line), which this patch does not change:"]
    if let lines = postImage[path], line >= 1, line <= lines.count {
      quoted.append("    " + lines[line - 1].trimmingTrailingWhitespace())
    }
    return quoted
  }

  /// The finding, its notes, the counterexample and the fix, wrapped for mail.
  static func body(of finding: Finding) -> [String] {
    var lines = ReplyText.wrap(
      "\(finding.severity.rawValue): \(finding.message) [\(finding.ruleID)]", rest: "  ")
    for note in finding.notes {
      lines += ReplyText.wrap("\(note.location): \(note.message)", first: "  ", rest: "    ")
    }
    if let trace = finding.trace {
      lines.append("")
      lines.append(
        "How it goes wrong (the model's counterexample, violates \(trace.violated.rawValue)):")
      for (number, step) in trace.steps.enumerated() {
        let mirrors = step.mirrors.map { " (\($0))" } ?? ""
        lines += ReplyText.wrap(
          "\(number + 1). \(step.event)\(mirrors): \(step.state)", first: "  ", rest: "     ")
      }
      // The last step usually states what goes wrong already; say it once.
      if !(trace.steps.last?.state.contains(trace.summary) ?? false) {
        lines += ReplyText.wrap(trace.summary, first: "  ", rest: "  ")
      }
    }
    if let fix = finding.fix {
      lines.append("")
      lines += ReplyText.wrap("Suggested fix: " + fix)
    }
    return lines
  }
}

extension String {
  func trimmingTrailingWhitespace() -> String {
    var copy = self
    while let last = copy.last, last == " " || last == "\t" { copy.removeLast() }
    return copy
  }
}
