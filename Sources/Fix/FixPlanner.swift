import Rules
import SeverCore

/// A finding with the fix its rule made for it.
public struct FixedFinding: Sendable {
  /// The finding.
  public var finding: Finding
  /// The fix.
  public var proposal: FixProposal
}

/// A finding `sever fix` leaves, and why.
public struct LeftFinding: Sendable {
  /// The finding.
  public var finding: Finding
  /// Why there is no patch for it, in a sentence.
  public var reason: String
}

/// The edits of one file (or of the files one fix touches together) and the fixes they make.
public struct FilePatch: Sendable {
  /// The files edited, sorted; the first names the patch.
  public var paths: [String]
  /// The fixes, in finding order.
  public var fixes: [FixedFinding]
  /// Each file's text before the edits.
  var originals: [String: FileText]
  /// Each file's text after them.
  var edited: [String: FileText]

  /// The edits of every fix, by file.
  var edits: [String: [LineEdit]] {
    Dictionary(grouping: fixes.flatMap(\.proposal.edits), by: \.path)
      .mapValues { Array(Set($0)).sorted() }
  }

  /// The diff of every file, git style.
  public var diff: String {
    let edits = self.edits
    return paths.map { path in
      UnifiedDiff.render(
        path: path, old: originals[path] ?? FileText(bytes: []), edits: edits[path] ?? [])
    }.joined()
  }

  /// The bytes each file holds after the patch.
  public var editedBytes: [String: [UInt8]] { edited.mapValues(\.bytes) }

  /// The bytes each file held when the fixes read it.
  public var originalBytes: [String: [UInt8]] { originals.mapValues(\.bytes) }
}

/// What `sever fix` will do: the patches, and the findings it leaves with their reasons.
public struct FixPlan: Sendable {
  /// One patch per file, sorted by path.
  public var patches: [FilePatch]
  /// Findings without a patch, in finding order.
  public var left: [LeftFinding]
}

/// Asks each finding's rule for its fix and groups the edits into one patch per file. A fix is
/// refused when a file it edits changed after the check began (its facts may describe other
/// text), when its edits no longer match the file, or when it overlaps a fix already taken.
public enum FixPlanner {
  /// Plans fixes for `findings`, with the facts of the run that found them, against the files
  /// of `tree`. `checkStarted` is when the check began (nanoseconds since the epoch, as
  /// `FileStatus.modified`).
  public static func plan(
    _ findings: [Finding], files: [FileFacts], tree: SourceTree, checkStarted: Int
  ) -> FixPlan {
    let context = FixContext(rules: RuleContext(files: files), sources: tree.fixSources())
    var left: [LeftFinding] = []
    var accepted: [String: FilePatch] = [:]
    for finding in findings {
      guard let rule = rule(withID: finding.ruleID) else {
        left.append(LeftFinding(finding: finding, reason: "no rule is called \(finding.ruleID)"))
        continue
      }
      // A finding's own file edited after the check began: its facts may describe other text.
      if let reason = staleness(finding.location.path, tree: tree, checkStarted: checkStarted) {
        left.append(LeftFinding(finding: finding, reason: reason))
        continue
      }
      switch rule.fix(finding, in: context) {
      case .left(let reason):
        left.append(LeftFinding(finding: finding, reason: reason))
      case .fixed(let proposal):
        if let reason = refusal(proposal, tree: tree, checkStarted: checkStarted) {
          left.append(LeftFinding(finding: finding, reason: reason))
          continue
        }
        // One patch per file: a fix that also edits another file (a release elsewhere) joins the
        // patch of the first file it edits.
        let paths = Set(proposal.edits.map(\.path)).sorted()
        let key = paths.first ?? ""
        var patch =
          accepted[key]
          ?? FilePatch(paths: [], fixes: [], originals: [:], edited: [:])
        patch.paths = Set(patch.paths + paths).sorted()
        let fixed = FixedFinding(finding: finding, proposal: proposal)
        switch merge(fixed, into: &patch, tree: tree) {
        case .some(let reason): left.append(LeftFinding(finding: finding, reason: reason))
        case .none: accepted[key] = patch
        }
      }
    }
    return FixPlan(
      patches: accepted.values.sorted { $0.paths.lexicographicallyPrecedes($1.paths) },
      left: left)
  }

  /// Why a fix cannot be taken as it is, if it cannot.
  private static func refusal(_ proposal: FixProposal, tree: SourceTree, checkStarted: Int)
    -> String?
  {
    for path in Set(proposal.edits.map(\.path)).sorted() {
      if let reason = staleness(path, tree: tree, checkStarted: checkStarted) { return reason }
      if tree.bytes(path)?.last != UInt8(ascii: "\n") {
        return "\(path) does not end with a newline; add one and run sever fix again"
      }
    }
    return nil
  }

  /// Why a file's facts cannot be trusted now, if they cannot: it is gone, outside the tree, or
  /// modified after the check began.
  private static func staleness(_ path: String, tree: SourceTree, checkStarted: Int) -> String? {
    guard tree.bytes(path) != nil, let modified = tree.modified(path) else {
      return "\(path) cannot be read, or lies outside the tree"
    }
    if modified > checkStarted {
      return "\(path) changed since the check began, so its facts may describe other text; "
        + "run sever fix again"
    }
    return nil
  }

  /// Adds a fix to a patch; the reason it cannot be added otherwise. A fix whose edits are all
  /// in the patch already (two findings with one cause) shares it.
  private static func merge(_ fixed: FixedFinding, into patch: inout FilePatch, tree: SourceTree)
    -> String?
  {
    let taken = Set(patch.fixes.flatMap(\.proposal.edits))
    let new = fixed.proposal.edits.filter { !taken.contains($0) }
    for edit in new {
      if let other = patch.fixes.first(where: { fix in
        fix.proposal.edits.contains { overlaps($0, edit) }
      }) {
        return "its edit of \(edit.path):\(edit.line) overlaps the fix of "
          + "\(other.finding.fingerprint); run sever fix again after applying that one"
      }
    }
    var originals = patch.originals
    var edited = patch.edited
    for path in patch.paths where originals[path] == nil {
      guard let bytes = tree.bytes(path) else { return "\(path) cannot be read" }
      originals[path] = FileText(bytes: bytes)
    }
    var all = patch.fixes
    all.append(fixed)
    let edits = Dictionary(grouping: all.flatMap(\.proposal.edits), by: \.path)
    for path in patch.paths {
      guard let original = originals[path],
        let result = original.applying(Array(Set(edits[path] ?? [])))
      else {
        return "\(path) no longer holds the lines the fix replaces: the file changed since the "
          + "check"
      }
      edited[path] = result
    }
    patch.originals = originals
    patch.edited = edited
    patch.fixes = all
    return nil
  }

  /// Whether two edits of one file touch the same lines (two insertions at one line count).
  private static func overlaps(_ lhs: LineEdit, _ rhs: LineEdit) -> Bool {
    guard lhs.path == rhs.path else { return false }
    if lhs.removing.isEmpty && rhs.removing.isEmpty { return lhs.line == rhs.line }
    let left = lhs.removing.isEmpty ? lhs.line..<(lhs.line + 1) : lhs.range
    let right = rhs.removing.isEmpty ? rhs.line..<(rhs.line + 1) : rhs.range
    return left.overlaps(right)
  }
}
