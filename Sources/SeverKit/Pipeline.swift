import Foundation
import Kbuild
import Rules
import Scan
import SeverConfiguration
import SeverCore

/// The one pipeline every entry point runs, as an ordered list of stages, each a function from
/// the values before it to a value that carries its own diagnostics:
///
/// 1. **Discover** (`DiscoverStage`): the tree root, its mode, the C files as units;
/// 2. **Kbuild** (`KbuildStage`): the estimated configuration and module capability;
/// 3. **Tier 1** (`TierOneStage`): the fast scan and the units libclang must parse;
/// 4. **Extract** (`ExtractStage`): compile arguments and facts (libclang, facts cache);
/// 5. **Analyse** (`AnalyseStage`): module capability for the files, the rules, the model;
/// 6. **Filter** (`FilterStage`): configuration, suppression comments, baseline;
/// 7. **Report**: the `Report` every reporter renders.
///
/// `check` runs them all; `review` runs them on each image of a patch series (contents in
/// memory); `make C=1 CHECK=sever` on one object with its own flags (`CheckOptions.unitArguments`,
/// `builtAsModule`); `scan` stops after tier 1; `facts` after extraction. Configuration,
/// suppressions, baseline and module capability are applied here and nowhere else, so every
/// entry point gives the same finding for the same code.
public enum Pipeline {
  /// What a run is asked to do beyond extraction.
  public struct Request: Sendable {
    /// Extraction options.
    public var options: CheckOptions
    /// Only these rules, when set.
    public var rules: Set<String>?
    /// The `.sever.yml` in force.
    public var configuration: Configuration
    /// Known findings to hide.
    public var baseline: Baseline?
    /// Whether a memo of an earlier run with nothing changed may stand in for stages 1 to 5 (the
    /// outcome's facts are then empty: `--tables` turns it off).
    public var useMemo = true

    /// Creates a request.
    public init(
      options: CheckOptions, rules: Set<String>? = nil,
      configuration: Configuration = Configuration(),
      baseline: Baseline? = nil
    ) {
      self.options = options
      self.rules = rules
      self.configuration = configuration
      self.baseline = baseline
    }
  }

  /// The outcome of a run.
  public struct Outcome: Sendable {
    /// Facts and coverage (no facts when the run memo answered).
    public var check: CheckResult
    /// What the rules found before filtering, with every stage's diagnostics.
    public var analysis: Analysis
    /// Reported findings, rules and diagnostics for the reporters.
    public var report: Report
    /// What the filter hid, and why.
    public var filtered: FindingFilter.Outcome
  }

  /// Runs every stage: `sever check`, and each image of `sever review`.
  public static func check(_ request: Request) async throws(SeverKitError) -> Outcome {
    var request = request
    request.options = try request.options.resolvingArchitecture()
    let options = request.options
    let (root, _) = InputSet.locate(paths: options.paths)
    let memoFile = request.useMemo ? RunMemo.file(for: request, root: root) : nil
    let walkPaths = options.paths + memoPaths(options, root: root)
    let walked = memoFile.map { _ in
      RunMemo.walk(paths: walkPaths, root: root, arch: options.arch)
    }
    let walk = walked?.hash
    if let memoFile, let walk, let memo = RunMemo.load(memoFile, walk: walk) {
      return outcome(request, analysis: memo.analysis, check: nil)
    }
    // The facts the last such run used are read while the stages before extraction run.
    let preload = memoFile.map { memo in
      FactsPreload(
        cache: FactsCache(base: options.cacheBase), list: FactsPreload.list(forMemo: memo))
    }
    let discovered = try DiscoverStage.run(options, walked: walked?.walked)
    let kbuild = await KbuildStage.run(discovered, options: options)
    let inputs = kbuild.narrowing(discovered)
    let tierOne = await TierOneStage.run(inputs, kbuild: kbuild, options: options)
    let check = try await ExtractStage.run(
      tierOne.inputs, kbuild: kbuild, tierOne: tierOne, options: options, preload: preload)
    if let memoFile {
      FactsPreload.record(check.factKeys, to: FactsPreload.list(forMemo: memoFile))
    }
    let analysis = AnalyseStage.run(
      check,
      capabilities: CapabilitySource(
        kbuild: kbuild.answers, arch: options.arch, builtAsModule: options.builtAsModule),
      only: request.rules, stageDiagnostics: kbuild.diagnostics, endsProcess: options.endsProcess)
    // Parse failures, crashes and sever's own errors are not remembered: the next run tries
    // again.
    if let memoFile, let walk,
      !analysis.diagnostics.contains(where: { [.parseFailure, .internalError].contains($0.kind) }),
      let read = RunMemo.unwalkedInputs(
        check.dependencies, looked: tierOneHeaders(tierOne),
        roots: RunMemo.walkRoots(paths: walkPaths, root: root, arch: options.arch), root: root)
    {
      RunMemo(
        analysis: analysis,
        inputs: read.merging(
          (kbuild.answers?.inputs ?? [:]).map { (check.root + "/" + $0.key, $0.value) }
        ) { _, oracle in oracle }, walk: walk
      ).store(memoFile)
    }
    if options.endsProcess { ProcessLifetime.keep((discovered, kbuild, tierOne)) }
    return outcome(request, analysis: analysis, check: check)
  }

  /// The headers of other directories tier 1 looked up for their table-making macros
  /// (`TierOneStage.otherDirectoryMacroUsers`): which files are parsed depends on them.
  private static func tierOneHeaders(_ tierOne: TierOneStage) -> [String] {
    let root = tierOne.inputs.root
    return Set(tierOne.files.flatMap { TierOneStage.otherDirectoryHeaders(of: $0, root: root) })
      .sorted()
  }

  /// What a run reads beyond the checked paths and the primary architecture's headers, for the
  /// run memo's walk: every architecture's headers with `--arch auto`, and a build directory's
  /// configuration and generated headers.
  private static func memoPaths(_ options: CheckOptions, root: String) -> [String] {
    var paths: [String] = []
    if options.arch == "auto" {
      paths += ArchitectureTable.automatic.map {
        root + "/arch/" + ArchitectureTable.sourceArch(for: $0) + "/include"
      }
    }
    if let build = options.buildDirectory.map(InputSet.absolutePath) {
      // The generated folders only: the rest of an object tree is objects sever never reads.
      let sourceArch = ArchitectureTable.sourceArch(for: options.arch)
      paths += [
        build + "/.config", build + "/include/generated",
        build + "/arch/\(sourceArch)/include/generated",
      ]
    }
    return paths
  }

  /// Stages 6 and 7 on an analysis, fresh or remembered.
  private static func outcome(_ request: Request, analysis: Analysis, check: CheckResult?)
    -> Outcome
  {
    let (report, filtered) = FilterStage.run(
      analysis, configuration: request.configuration, baseline: request.baseline,
      rules: request.rules)
    let facts =
      check
      ?? CheckResult(
        root: analysis.root, mode: analysis.mode, arch: request.options.arch, files: [],
        diagnostics: analysis.diagnostics,
        coverage: Coverage(units: 0, files: [], unitFacts: [], notParsed: 0))
    return Outcome(check: facts, analysis: analysis, report: report, filtered: filtered)
  }

  /// What `sever scan` prints: tier 1's inventory and selection, with what Kbuild could not
  /// answer.
  public struct ScanOutcome: Sendable {
    /// Every candidate file's scan.
    public var files: [ScannedFile]
    /// What tier 2 would parse; nil when tier 1 does not select (not a kernel tree, or
    /// `--no-prefilter`).
    public var selection: TierOneSelection?
    /// What discovery and Kbuild could not do.
    public var diagnostics: [ToolDiagnostic]
  }

  /// Stages 1 to 3: `sever scan`. Every candidate is scanned, whether or not a rule needs it.
  public static func scan(_ options: CheckOptions) async throws(SeverKitError) -> ScanOutcome {
    let options = try options.resolvingArchitecture()
    let discovered = try DiscoverStage.run(options)
    let kbuild = await KbuildStage.run(discovered, options: options)
    let inputs = kbuild.narrowing(discovered)
    var scanned = await TierOneStage.run(inputs, kbuild: kbuild, options: options, scanOnly: true)
    if scanned.selection == nil {
      // Outside a kernel tree tier 1 selects nothing, but the inventory is still wanted.
      scanned.files = await TierOneStage.scan(
        paths: inputs.units.flatMap(\.keep), root: inputs.root, arch: options.arch,
        jobs: options.jobs, unsavedFiles: options.unsavedFiles)
    }
    return ScanOutcome(
      files: scanned.files, selection: scanned.selection,
      diagnostics: (inputs.diagnostics + kbuild.diagnostics).sorted())
  }

  /// Stages 1, 2 and 4: the facts of every candidate (`sever facts`, tests); tier 1 selects for
  /// the rules, not for a dump.
  public static func facts(_ options: CheckOptions) async throws(SeverKitError) -> CheckResult {
    var options = try options.resolvingArchitecture()
    options.exhaustive = true
    let discovered = try DiscoverStage.run(options)
    let kbuild = await KbuildStage.run(discovered, options: options)
    let inputs = kbuild.narrowing(discovered)
    let tierOne = await TierOneStage.run(inputs, kbuild: kbuild, options: options)
    var check = try await ExtractStage.run(
      tierOne.inputs, kbuild: kbuild, tierOne: tierOne, options: options)
    check.diagnostics = (check.diagnostics + kbuild.diagnostics).sorted()
    return check
  }
}
