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

  /// Whether any patch introduces a finding at warning level or above.
  public var hasFailures: Bool {
    reviews.contains { $0.introduced.contains { $0.severity >= .warning } }
  }

  /// Where the facts came from, in one sentence: the files around the change, parsed or taken
  /// from the facts cache (patched contents are keyed by their own hash).
  public var factsSource: String {
    guard !parsedFiles.isEmpty else {
      return "facts: no C file in reach (the series changes no .c file and none sits beside a "
        + "changed file); nothing was parsed"
    }
    let others = parsedFiles.count - changedSourceFiles
    let noun = parsedFiles.count == 1 ? "file" : "files"
    let base =
      alreadyApplied
      ? "; the tree already holds the series, so each pre-image was made by undoing it" : ""
    return "facts: parsed \(parsedFiles.count) \(noun) around the change "
      + "(\(changedSourceFiles) changed, \(others) beside them) in \(lintRuns) images; "
      + "unchanged units come from the facts cache when an earlier run parsed them" + base
  }
}
