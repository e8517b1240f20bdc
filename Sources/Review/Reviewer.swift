import Foundation
import Rules
import SeverConfiguration
import SeverCore
import SeverKit
import SeverSupport

/// Reviews a series: applies each patch in memory, runs the linter on the images before and
/// after it, and keeps the findings the patch introduces (by stable identity, not by line) and
/// those it fixes.
public enum Reviewer {
  /// What to review and how to run the linter.
  public struct Request: Sendable {
    /// The patches, in the order they apply.
    public var patches: [PatchMail]
    /// Where the contents before the first patch come from.
    public var base: BaseTree
    /// Rules, configuration and extraction options; `paths` and `unsavedFiles` are set per run.
    public var linter: Pipeline.Request
    /// Which files are parsed around the change.
    public var reach: ReviewScope.Reach

    /// Creates a request.
    public init(
      patches: [PatchMail], base: BaseTree, linter: Pipeline.Request,
      reach: ReviewScope.Reach = .affected
    ) {
      self.patches = patches
      self.base = base
      self.linter = linter
      self.reach = reach
    }
  }

  /// Applies every patch, then lints each image once (a patch's post-image is the next one's
  /// pre-image) and compares neighbours.
  public static func run(_ request: Request) async throws(ReviewError) -> ReviewOutcome {
    let root = request.base.root
    var changed: Set<String> = []
    for patch in request.patches {
      for file in patch.files { changed.formUnion([file.oldPath, file.newPath].compactMap { $0 }) }
    }
    // Every touched path is read from the base first, so each later state carries its own
    // copy and libclang never sees a checkout's newer file where the base is meant.
    var state = TreeState(base: request.base)
    for path in changed.sorted() { _ = try state.contents(of: path) }
    let (states, alreadyApplied) = try images(of: request.patches, from: state)
    // A Kconfig or Makefile change is reviewed by its effect: the C files whose module
    // capability (or placement and flags) it changes are parsed in every image too.
    var effects: [KbuildEffect] = []
    for (offset, patch) in request.patches.enumerated() {
      effects.append(
        await KbuildEffect.of(
          patch, before: states[offset], after: states[offset + 1],
          options: request.linter.options))
    }
    var changedTexts: [Data] = []
    for var image in states {
      for path in changed.sorted() where path.hasSuffix(".c") {
        if let text = try image.contents(of: path) { changedTexts.append(Data(text.utf8)) }
      }
    }
    var scope = Set(
      ReviewScope.files(
        changed: changed, changedTexts: changedTexts, root: root, reach: request.reach)
    ).union(effects.flatMap(\.causes.keys)).sorted()
    // The files in scope no patch touches read the same in every image: read once from the
    // base (one git process for a git base), not once per image.
    let common = try request.base.contents(of: scope.filter { !changed.contains($0) })
    // Images that parse to the same facts are linted once: the same files in scope, and the
    // same tokens in every changed C file (a patch that only edits comments or whitespace, or
    // touches no file sever reads, changes nothing the rules see). Only the touched files can
    // tell images apart.
    var distinct: [(paths: [String], unsaved: [String: String])] = []
    var imageIndex: [Int] = []
    var keys: [String: Int] = [:]
    for var image in states {
      var present: [String] = []
      for path in scope {
        if let shared = common[path] {
          if shared != nil { present.append(path) }
        } else if try image.contents(of: path) != nil {
          present.append(path)
        }
      }
      let own = image.existingContents()
      let key =
        present.joined(separator: "\n") + "\u{0}"
        + own.keys.filter(ReviewScope.isRelevant).sorted().map { path in
          let text = own[path] ?? ""
          return path + "\u{1}" + (ReviewScope.isSource(path) ? SourceTokens.signature(text) : text)
        }.joined(separator: "\u{2}")
      var unsaved = own
      for case (let path, let contents?) in common where unsaved[path] == nil {
        unsaved[path] = contents
      }
      if let known = keys[key] {
        imageIndex.append(known)
      } else {
        keys[key] = distinct.count
        imageIndex.append(distinct.count)
        distinct.append((present, unsaved))
      }
    }
    // Every image reads the same: nothing can be introduced or fixed, so nothing is parsed.
    let unchanged = distinct.count == 1 && states.count > 1
    // Of the files around the change, only those some rule's reach crosses the changed units
    // with can have other findings in another image (a changed header can reach every file
    // that includes it, so a header change keeps the whole scope).
    var leftOut = 0
    if !unchanged, request.reach == .affected, !changed.contains(where: { $0.hasSuffix(".h") }) {
      let seeds = changed.filter { $0.hasSuffix(".c") }.union(effects.flatMap(\.causes.keys))
      // The files every image shares are scanned once (`common`), each image's own ones apart.
      let affected = ChangeReach.affected(
        images: distinct.map { image in
          (image.paths, image.unsaved.filter { common[$0.key] == nil })
        },
        changed: seeds, root: root, arch: request.linter.options.arch,
        cacheBase: request.linter.options.useCache ? request.linter.options.cacheBase : nil,
        common: common.compactMapValues { $0 })
      leftOut = scope.count(where: { !affected.contains($0) })
      scope = scope.filter(affected.contains)
      for index in distinct.indices { distinct[index].paths.removeAll { !affected.contains($0) } }
    }
    let linted =
      unchanged
      ? [ImageRun(findings: [], suppressed: [], diagnostics: [], coverage: "", files: [])]
      : try await lintAll(distinct, root: root, request: request.linter)
    let runs = imageIndex.map { linted[$0] }
    var reviews: [PatchReview] = []
    for (offset, patch) in request.patches.enumerated() {
      reviews.append(
        compare(
          patch: patch, before: runs[offset], after: runs[offset + 1],
          image: states[offset + 1], effect: effects[offset]))
    }
    let last =
      runs.last ?? ImageRun(findings: [], suppressed: [], diagnostics: [], coverage: "", files: [])
    let introduced = reviews.flatMap(\.introduced)
    let report = Report(
      root: root, findings: introduced,
      rules: allRuleDescriptionsFor(request.linter.rules),
      diagnostics: last.diagnostics, coverage: last.coverage,
      hidden: HiddenFindings(suppressed: reviews.flatMap(\.suppressed).count))
    let changedC = scope.filter { changed.contains($0) }.count
    return ReviewOutcome(
      root: root, reviews: reviews, report: report, parsedFiles: unchanged ? [] : scope,
      changedSourceFiles: changedC, lintRuns: unchanged ? 0 : distinct.count,
      alreadyApplied: alreadyApplied, onlyCommentsChanged: unchanged && !scope.isEmpty,
      rebuiltFiles: effects.flatMap(\.causes.keys).count, leftOut: leftOut)
  }

  /// The tree before the series and after each patch. When the series does not apply but the
  /// tree already holds it (b4's `prep-perpatch-check-cmd` runs on committed patches), the
  /// images are found backwards by undoing the patches from the last; else the first error.
  static func images(of patches: [PatchMail], from base: TreeState) throws(ReviewError)
    -> ([TreeState], Bool)
  {
    var state = base
    var states = [state]
    do {
      for patch in patches {
        state = try state.applying(patch)
        states.append(state)
      }
      return (states, false)
    } catch {
      guard case .directory = base.base else { throw error }
      var backwards = [base]
      var current = base
      for patch in patches.reversed() {
        guard let undone = try? current.applying(patch.reversed) else { throw error }
        current = undone
        backwards.append(current)
      }
      return (backwards.reversed(), true)
    }
  }

  /// Findings and coverage of one image.
  struct ImageRun: Sendable {
    var findings: [Finding]
    var suppressed: [SuppressedFinding]
    var diagnostics: [ToolDiagnostic]
    var coverage: String
    var files: [String]
  }

  /// Lints the images concurrently, sharing `--jobs` between them: a one-file patch has two
  /// one-unit images, which would otherwise leave a core idle each.
  private static func lintAll(
    _ images: [(paths: [String], unsaved: [String: String])], root: String,
    request: Pipeline.Request
  ) async throws(ReviewError) -> [ImageRun] {
    let jobs = request.options.jobs
    var shared = request
    shared.options.jobs = max(1, jobs / max(1, images.count))
    let results = await withTaskGroup(of: (Int, Result<ImageRun, ReviewError>).self) { group in
      var next = 0
      // At most `jobs` images in flight, so a long series does not hold a TU per image at once.
      func submit() {
        guard next < images.count else { return }
        let index = next
        let image = images[index]
        let request = shared
        group.addTask {
          do throws(ReviewError) {
            let run = try await lint(
              image.paths, unsaved: image.unsaved, root: root, request: request)
            return (index, .success(run))
          } catch {
            return (index, .failure(error))
          }
        }
        next += 1
      }
      for _ in 0..<max(1, jobs) { submit() }
      var results = [Result<ImageRun, ReviewError>?](repeating: nil, count: images.count)
      for await (index, result) in group {
        results[index] = result
        submit()
      }
      return results
    }
    var runs: [ImageRun] = []
    for result in results {
      guard let result else { continue }
      runs.append(try result.get())
    }
    return runs
  }

  private static func lint(
    _ paths: [String], unsaved: [String: String], root: String, request: Pipeline.Request
  ) async throws(ReviewError) -> ImageRun {
    guard !paths.isEmpty else {
      return ImageRun(findings: [], suppressed: [], diagnostics: [], coverage: "", files: [])
    }
    var request = request
    request.options.paths = paths.map { root + "/" + $0 }
    var absolute: [String: String] = [:]
    for (path, contents) in unsaved { absolute[root + "/" + path] = contents }
    request.options.unsavedFiles = absolute
    let outcome: Pipeline.Outcome
    do {
      outcome = try await Pipeline.check(request)
    } catch {
      throw .linter(error)
    }
    let checkRoot = outcome.report.root
    let findings = outcome.report.findings.map { relocate($0, from: checkRoot, to: root) }
    let suppressed = outcome.filtered.suppressed.map { entry in
      var moved = entry
      moved.finding = relocate(entry.finding, from: checkRoot, to: root)
      moved.suppression = relocate(entry.suppression, from: checkRoot, to: root)
      return moved
    }
    return ImageRun(
      findings: findings, suppressed: suppressed, diagnostics: outcome.report.diagnostics,
      coverage: outcome.report.coverage, files: paths)
  }

  /// Findings are compared by path and stable identity. A finding in a renamed file keeps
  /// its identity under the new name.
  static func compare(
    patch: PatchMail, before beforeRun: ImageRun, after afterRun: ImageRun,
    image: TreeState, effect: KbuildEffect = KbuildEffect()
  ) -> PatchReview {
    let before = beforeRun.findings
    let after = afterRun.findings
    var renames: [String: String] = [:]
    for file in patch.files where file.isRenamed {
      if let old = file.oldPath, let new = file.newPath { renames[old] = new }
    }
    func key(_ finding: Finding, renamed: Bool) -> String {
      let path =
        renamed
        ? renames[finding.location.path] ?? finding.location.path
        : finding.location.path
      return path + "\u{1}" + finding.fingerprint
    }
    var remaining: [String: Int] = [:]
    for finding in before { remaining[key(finding, renamed: true), default: 0] += 1 }
    var introduced: [Finding] = []
    var inherited: [Finding] = []
    let touched = Set(patch.files.compactMap(\.newPath))
    for finding in after {
      let k = key(finding, renamed: false)
      if let count = remaining[k], count > 0 {
        remaining[k] = count - 1
        inherited.append(finding)
      } else if !touched.contains(finding.location.path),
        let cause = effect.causes[finding.location.path]
      {
        // Introduced by a Kconfig or Makefile line: reported there, with a note at the
        // finding's own place.
        introduced.append(attribute(finding, to: cause))
      } else {
        introduced.append(finding)
      }
    }
    // A suppression the patch adds hides a finding; it does not fix it.
    let suppressedBefore = Set(beforeRun.suppressed.map { key($0.finding, renamed: true) })
    let suppressed = afterRun.suppressed.filter {
      !suppressedBefore.contains(key($0.finding, renamed: false))
    }
    var hiddenNow: [String: Int] = [:]
    for entry in suppressed { hiddenNow[key(entry.finding, renamed: false), default: 0] += 1 }
    var fixed: [Finding] = []
    for finding in before {
      let k = key(finding, renamed: true)
      if let count = remaining[k], count > 0 {
        remaining[k] = count - 1
        if let hidden = hiddenNow[k], hidden > 0 {
          hiddenNow[k] = hidden - 1
        } else {
          fixed.append(finding)
        }
      }
    }
    var image = image
    var lines: [String: [String]] = [:]
    for path in Set(introduced.map(\.location.path)) {
      if let text = try? image.contents(of: path) ?? nil {
        lines[path] = HunkApplier.Text(text).lines
      } else if let data = try? BoundedFile.read(
        image.base.root + "/" + path, limit: PatchParser.maximumInputSize)
      {
        lines[path] = HunkApplier.Text(String(decoding: data, as: UTF8.self)).lines
      }
    }
    return PatchReview(
      patch: patch, introduced: introduced.sorted(), fixed: fixed.sorted(),
      inherited: inherited.count, inheritedFindings: inherited.sorted(),
      suppressed: suppressed.sorted { $0.finding < $1.finding }, postImageLines: lines)
  }

  /// A finding a Kconfig or Makefile change brings, moved to the line that causes it; its own
  /// place becomes the first note. Its identity (what makes it the same finding at every entry
  /// point) is unchanged.
  static func attribute(_ finding: Finding, to cause: KbuildEffect.Cause) -> Finding {
    var moved = finding
    moved.location = cause.location
    moved.notes =
      [Finding.Note(location: finding.location, message: cause.note(for: finding.location.path))]
      + finding.notes
    return moved
  }

  /// A finding with its paths relative to the review's root instead of the tree root the
  /// pipeline found (they differ when the kernel tree is a subdirectory of the checkout).
  private static func relocate(_ finding: Finding, from checkRoot: String, to root: String)
    -> Finding
  {
    guard checkRoot != root else { return finding }
    var finding = finding
    finding.location = relocate(finding.location, from: checkRoot, to: root)
    finding.notes = finding.notes.map {
      Finding.Note(location: relocate($0.location, from: checkRoot, to: root), message: $0.message)
    }
    return finding
  }

  private static func relocate(_ location: SourceLocation, from checkRoot: String, to root: String)
    -> SourceLocation
  {
    var location = location
    let absolute = location.path.hasPrefix("/") ? location.path : checkRoot + "/" + location.path
    if absolute.hasPrefix(root + "/") {
      location.path = String(absolute.dropFirst(root.count + 1))
    }
    return location
  }

  private static func allRuleDescriptionsFor(_ only: Set<String>?) -> [RuleDescription] {
    allRuleDescriptions.filter { only?.contains($0.id) ?? true }
  }
}
