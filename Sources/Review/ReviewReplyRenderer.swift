import Foundation
import Reporters
import SeverCore

/// `--format review`: for each patch a plain-text reply a maintainer could send, as an mbox that
/// `git send-email` accepts. The headers answer the patch mail: `To:` its author, `Cc:` its
/// `To:` and `Cc:`, `Subject: Re: …`, `In-Reply-To:`, `References:`, a `Date:`, and MIME
/// headers saying how the body is encoded. Each introduced finding quotes the hunk lines
/// leading to its line with `> `, trimmed to a few lines, and writes the finding, the notes that
/// locate its cause, the model's counterexample in a sentence (every step with its state with
/// `--trace`) and a fix below. Tool diagnostics are not part of a reply: the CLI prints them on
/// standard error.
public enum ReviewReplyRenderer {
  /// Lines of a hunk quoted before the finding's own line.
  static let linesBefore = 4

  /// What the command line adds to a reply.
  public struct Options: Sendable {
    /// `From:`, the reviewer; nil leaves it to the mailer (`git send-email --from`).
    public var from: String?
    /// The reply's `Date:`.
    public var date: Date
    /// Every note and the model's steps with their states (`--trace`).
    public var trace: Bool
    /// Also reply to patches that introduce nothing.
    public var replyWhenClean: Bool

    /// Creates options.
    public init(from: String? = nil, date: Date, trace: Bool = false, replyWhenClean: Bool = false)
    {
      self.from = from
      self.date = date
      self.trace = trace
      self.replyWhenClean = replyWhenClean
    }
  }

  /// The replies, one per patch that introduces a finding (or every patch with
  /// `replyWhenClean`), each starting with an mbox `From ` line; empty when there is nothing to
  /// say.
  public static func render(_ outcome: ReviewOutcome, options: Options) -> String {
    outcome.reviews.filter { options.replyWhenClean || !$0.introduced.isEmpty }
      .map { reply(to: $0, outcome: outcome, options: options) }.joined(separator: "\n")
  }

  static func reply(to review: PatchReview, outcome: ReviewOutcome, options: Options) -> String {
    let patch = review.patch
    var body: [String] = []
    if review.introduced.isEmpty {
      body.append("sever found nothing this patch introduces.")
    } else if let from = patch.from {
      body.append(patch.date.map { "On \($0), \(from) wrote:" } ?? "\(from) wrote:")
    }
    for finding in review.introduced {
      body += quote(finding, in: patch, postImage: review.postImageLines)
      body.append("")
      body += self.body(of: finding, trace: options.trace)
    }
    if !review.fixed.isEmpty {
      body.append("")
      body.append("This patch fixes what sever found before it:")
      for finding in review.fixed {
        body += ReplyText.wrap(
          "\(finding.location): \(finding.message) [\(finding.ruleID)]", first: "  ",
          rest: "    ")
      }
    }
    body.append("")
    let count = review.introduced.count
    let problems = count == 1 ? "1 problem" : "\(count) problems"
    var summary = "sever: \(problems) introduced, \(review.fixed.count) fixed"
    if review.inherited == 1 {
      summary += "; 1 finding the tree had before this patch is not mentioned"
    } else if review.inherited > 1 {
      summary += "; \(review.inherited) findings the tree had before this patch are not mentioned"
    }
    body += ReplyText.wrap(summary + ".")
    // A reply must not read as complete when sever could not parse everything; otherwise
    // where the facts came from is a tool message, for standard error.
    if !outcome.incompleteness.isEmpty { body += ReplyText.wrap(outcome.factsSource + ".") }
    body.append("")
    body.append("-- ")
    body.append("sever \(SeverVersion.current), the kernfs severing contract checker")
    let text = body.map { $0 + "\n" }.joined()
    return
      (headers(for: patch, options: options, bodyIsASCII: MailHeaderWriter.isASCII(text))
      + [""]).map { $0 + "\n" }.joined() + text
  }

  /// The mbox separator and the header block.
  static func headers(for patch: PatchMail, options: Options, bodyIsASCII: Bool) -> [String] {
    var lines = ["From sever Thu Jan  1 00:00:00 1970"]
    if let from = options.from { lines += MailHeaderWriter.addressField("From", [from]) }
    let author = patch.from.map { MailHeaderWriter.addresses($0) } ?? []
    if !author.isEmpty { lines += MailHeaderWriter.addressField("To", author) }
    // Everyone the patch went to, less its author and the reviewer, who are already there.
    let excluded = Set(
      (author + [options.from].compactMap { $0 }).map(MailHeaderWriter.bareAddress))
    let cc = MailHeaderWriter.unique(patch.to + patch.cc, excluding: excluded)
    if !cc.isEmpty { lines += MailHeaderWriter.addressField("Cc", cc) }
    lines += MailHeaderWriter.field("Date", MailHeaderWriter.date(options.date))
    let subject = patch.subject ?? "patch to " + (patch.files.first?.path ?? "the tree")
    lines += MailHeaderWriter.field(
      "Subject", subject.lowercased().hasPrefix("re:") ? subject : "Re: " + subject)
    if let id = patch.messageID {
      lines.append("In-Reply-To: \(id)")
      lines += MailHeaderWriter.field(
        "References", (patch.references + [id]).joined(separator: " "))
    }
    lines.append("MIME-Version: 1.0")
    lines.append("Content-Type: text/plain; charset=" + (bodyIsASCII ? "US-ASCII" : "UTF-8"))
    lines.append("Content-Transfer-Encoding: " + (bodyIsASCII ? "7bit" : "8bit"))
    return lines
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

  /// The finding, the notes that locate its cause, the counterexample and the fix, wrapped for
  /// mail. The counterexample is one paragraph of prose; with `trace`, every note and every
  /// step with the model's state after it.
  static func body(of finding: Finding, trace showTrace: Bool) -> [String] {
    var lines = ReplyText.wrap(
      "\(finding.severity.rawValue): \(finding.message) [\(finding.ruleID)]", rest: "  ")
    let notes = showTrace ? finding.notes : TraceRendering.causalNotes(finding.notes)
    for note in notes {
      lines += ReplyText.wrap("\(note.location): \(note.message)", first: "  ", rest: "    ")
    }
    if let trace = finding.trace {
      lines.append("")
      if showTrace {
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
      } else {
        lines += ReplyText.wrap("How it goes wrong: " + TraceRendering.prose(trace))
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
