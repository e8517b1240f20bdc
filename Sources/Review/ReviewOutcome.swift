import SeverConfiguration
import SeverCore

/// What a review found for one patch.
public struct PatchReview: Sendable {
  /// The patch.
  public var patch: PatchMail
  /// Findings present after the patch and not before it, sorted.
  public var introduced: [Finding]
  /// Findings present before the patch and gone after it, sorted (locations of the pre-image).
  public var fixed: [Finding]
  /// Findings present on both sides (not reported).
  public var inherited: Int
  /// Those findings, for `--verbose`.
  public var inheritedFindings: [Finding] = []
  /// Findings hidden by a `sever: ignore[…]` comment the patch adds (whether it hides a finding
  /// the patch introduces or one the tree had), with the comment's reason.
  public var suppressed: [SuppressedFinding]
  /// The post-image lines of the files holding introduced findings, for quoting lines no hunk
  /// shows.
  public var postImageLines: [String: [String]]
}

/// The result of `Reviewer.run`.
public struct ReviewOutcome: Sendable {
  /// The tree root every path is relative to.
  public var root: String
  /// One review per patch, in series order.
  public var reviews: [PatchReview]
  /// The introduced findings of every patch, as a report for the existing reporters.
  public var report: Report
  /// The `.c` files parsed for each image, relative to the root.
  public var parsedFiles: [String]
  /// How many of them the series changes.
  public var changedSourceFiles: Int
  /// Distinct linter runs (images whose parsed contents differ).
  public var lintRuns: Int
  /// Whether the tree already held the series, so the images before each patch were made by
  /// undoing it.
  public var alreadyApplied = false
  /// Whether the series only changes comments and whitespace in C files (nothing was parsed).
  public var onlyCommentsChanged = false
  /// C files re-checked because a Kconfig or Makefile change alters how they are built.
  public var rebuiltFiles = 0
  /// Files beside the change that were not parsed because no rule's reach crosses the change
  /// from them (tier 1's judgement, `--reach affected`).
  public var leftOut = 0

  /// Whether any patch introduces a finding at warning level or above.
  public var hasFailures: Bool {
    reviews.contains { $0.introduced.contains { $0.severity >= .warning } }
  }

  /// Where the facts came from, in one sentence: the files around the change, parsed or taken
  /// from the facts cache (patched contents are keyed by their own hash).
  public var factsSource: String {
    if onlyCommentsChanged {
      return "facts: the series changes only comments and whitespace in C files, which parse "
        + "to the same facts; nothing was parsed"
    }
    guard !parsedFiles.isEmpty else {
      return "facts: no C file in reach (the series changes no .c file and none sits beside a "
        + "changed file); nothing was parsed"
    }
    let others = max(0, parsedFiles.count - changedSourceFiles - rebuiltFiles)
    let noun = parsedFiles.count == 1 ? "file" : "files"
    let base =
      alreadyApplied
      ? "; the tree already holds the series, so each pre-image was made by undoing it" : ""
    return "facts: parsed \(parsedFiles.count) \(noun) around the change "
      + "(\(changedSourceFiles) changed, \(others) beside them"
      + (leftOut > 0
        ? "; \(leftOut) beside them left out: no rule's reach crosses the change" : "")
      + (rebuiltFiles > 0
        ? ", \(rebuiltFiles) built differently by its Kconfig or Makefile change" : "")
      + ") in \(lintRuns) images; "
      + "unchanged units come from the facts cache when an earlier run parsed them" + base
      + incompleteness
  }

  /// What the last image could not parse, so that a reply never reads as complete when it is
  /// not; empty when every file parsed cleanly.
  var incompleteness: String {
    func named(_ paths: Set<String>) -> String {
      let sorted = paths.sorted()
      return sorted.prefix(3).joined(separator: ", ") + (sorted.count > 3 ? ", …" : "")
    }
    // As in the coverage line: invalid UTF-8 is parsed as bytes, every other unreadable input
    // and every failed unit is not parsed at all.
    let notParsed = Set(
      report.diagnostics.filter {
        $0.kind == .parseFailure
          || ($0.kind == .unreadableInput && !$0.message.hasPrefix("not valid UTF-8"))
      }.map(\.path))
    let withErrors = Set(report.diagnostics.filter { $0.kind == .parseError }.map(\.path))
      .subtracting(notParsed)
    var parts: [String] = []
    if !notParsed.isEmpty { parts.append("\(notParsed.count) not parsed (\(named(notParsed)))") }
    if !withErrors.isEmpty {
      parts.append("\(withErrors.count) with parse errors (\(named(withErrors)))")
    }
    guard !parts.isEmpty else { return "" }
    return "; of these, " + parts.joined(separator: " and ")
      + ", so findings in them may be missing"
  }
}
