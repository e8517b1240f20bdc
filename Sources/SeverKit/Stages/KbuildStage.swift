import Foundation
import Kbuild
import SeverCore

/// Stage 2 of the pipeline: what the tree's Kconfig and Kbuild files answer (the estimated
/// configuration, whether each candidate file can be part of a module, the flags Kbuild compiles
/// each unit with), and what could not be answered, as diagnostics. Outside a kernel tree there
/// is nothing to ask.
///
/// With `--arch auto` every architecture sever prepares is read (`ArchitectureTable.automatic`):
/// each unit is parsed under the first one whose Kbuild builds it, a file's module capability is
/// the best answer over all of them (with that architecture's evidence), and units no supported
/// architecture builds are set aside, counted and listed instead of being parsed with the wrong
/// headers.
public struct KbuildStage: Sendable {
  /// The answers the rest of the run reads, when the tree has Kbuild files and they could be
  /// read: with several architectures, capabilities over all of them and each unit's flags from
  /// the architecture it is parsed under.
  public var answers: KbuildAnswers?
  /// The answers of each architecture read.
  public var perArch: [String: KbuildAnswers] = [:]
  /// The architecture each unit is parsed under (tree-relative unit path → `--arch` value).
  public var unitArch: [String: String] = [:]
  /// Units (tree-relative) no architecture of the run builds (with `--arch auto`, none sever
  /// prepares) and not named on the command line: not parsed, counted and listed.
  public var unbuilt: [String] = []
  /// Why module capability is unknown or may be wrong, and the units set aside.
  public var diagnostics: [ToolDiagnostic]

  /// Reads (or takes from the cache) the answers for the candidate files of `inputs`.
  static func run(_ inputs: InputSet, options: CheckOptions) async -> KbuildStage {
    guard inputs.mode == .kernelTree else { return KbuildStage(answers: nil, diagnostics: []) }
    let paths = Array(Set(inputs.units.flatMap(\.keep))).sorted()
    let units = inputs.units.map { inputs.relativePath($0.path) }
    // Tier 1 may add helper files the prefilter left out, from the candidates' directories
    // only (`TierOneSelection`); their own flags are asked for now (a built-in helper must not
    // borrow a module neighbour's `-DMODULE`).
    let directories = Set(paths.map { ($0 as NSString).deletingLastPathComponent })
    let helpers = Set(inputs.helperDefiners)
      .filter { directories.contains(($0 as NSString).deletingLastPathComponent) }
      .subtracting(units)
    let given = options.givenConfig()
    let archs = architectures(options.arch, root: inputs.root)
    var stage = KbuildStage(answers: nil, diagnostics: [])
    var skipped: [String] = []
    for arch in archs {
      do {
        let answers = try await KbuildAnswers.load(
          root: inputs.root, arch: arch, paths: Array(Set(paths + units)).sorted(),
          units: (units + helpers).sorted(), given: given, cacheBase: options.cacheBase,
          useCache: options.useCache, scope: options.kbuildStateScope,
          overlay: overlay(options.unsavedFiles, root: inputs.root))
        stage.perArch[arch] = answers
        skipped += answers.skippedFiles
      } catch {
        stage.diagnostics.append(
          ToolDiagnostic(
            kind: .moduleCapability, path: inputs.root,
            message: archs.count == 1
              ? "module capability unknown, every file is treated as built in: \(error)"
              : "the Kbuild files for \(arch) could not be read, so no file is parsed for it: "
                + "\(error)"))
      }
    }
    if !skipped.isEmpty {
      stage.diagnostics.append(
        ToolDiagnostic(
          kind: .moduleCapability, path: inputs.root,
          message: "\(Set(skipped).count) Kconfig or Kbuild files could not be read "
            + "(first: \(skipped.sorted()[0])); module capability may be wrong"))
    }
    stage.place(units: units, archs: archs, named: inputs.named)
    if archs.count == 1 {
      stage.answers = stage.perArch[archs[0]]
    } else {
      stage.merge(archs: archs, paths: paths)
    }
    return stage
  }

  /// Gives each unit the first architecture whose Kbuild builds it; a unit none builds is set
  /// aside, unless it was named on the command line (it is then parsed under the first).
  private mutating func place(units: [String], archs: [String], named: Set<String>) {
    guard !perArch.isEmpty else { return }
    for unit in units {
      if let arch = archs.first(where: { arch in
        perArch[arch].map { $0.capabilities[unit]?.verdict != .notBuilt } ?? false
      }) {
        unitArch[unit] = arch
      } else if named.contains(unit), let first = archs.first(where: { perArch[$0] != nil }) {
        unitArch[unit] = first
      } else {
        unbuilt.append(unit)
        diagnostics.append(
          ToolDiagnostic(
            kind: .moduleCapability, path: unit, message: Self.unbuiltMessage(archs: archs)))
      }
    }
  }

  /// The architectures `--arch` names: with `auto`, those sever prepares that the tree has.
  static func architectures(_ arch: String, root: String) -> [String] {
    guard arch == "auto" else { return [arch] }
    return ArchitectureTable.automatic.filter {
      FileManager.default.fileExists(
        atPath: root + "/arch/" + ArchitectureTable.sourceArch(for: $0) + "/Kconfig")
    }
  }

  /// Module capability of `paths` as the tree reads with `overlay` (tree-relative path → text,
  /// a patch's image) and no cache, over every architecture `arch` names (see `union`); empty
  /// when no architecture's Kbuild files can be read.
  public static func capabilities(
    of paths: [String], root: String, arch: String, overlay: [String: String]
  ) async -> [String: ModuleCapability] {
    var read: [[String: ModuleCapability]] = []
    for each in architectures(arch, root: root) {
      // Flags are not asked for: a review only compares module capability.
      if let answers = try? await KbuildAnswers.load(
        root: root, arch: each, paths: paths, units: [], given: nil, cacheBase: "",
        useCache: false, overlay: overlay)
      {
        read.append(answers.capabilities)
      }
    }
    var result: [String: ModuleCapability] = [:]
    for path in paths {
      if let best = union(read.compactMap { $0[path] }) { result[path] = best }
    }
    return result
  }

  /// With several architectures: the answers the rest of the run reads.
  private mutating func merge(archs: [String], paths: [String]) {
    let read = archs.compactMap { perArch[$0] }
    guard var merged = read.first else { return }
    for (unit, arch) in unitArch { merged.flags[unit] = perArch[arch]?.flags[unit] }
    for path in paths {
      let answers = read.compactMap { $0.capabilities[path] }
      if let best = Self.union(answers) { merged.capabilities[path] = best }
    }
    for other in read.dropFirst() {
      merged.inputs.merge(other.inputs) { first, _ in first }
      merged.skippedFiles = Array(Set(merged.skippedFiles + other.skippedFiles)).sorted()
    }
    answers = merged
  }

  /// What a unit no architecture of the run builds is told.
  static func unbuiltMessage(archs: [String]) -> String {
    guard archs.count > 1 else {
      return unbuiltPrefix + " \(archs.first ?? "?") do not compile it (--arch auto parses it "
        + "under an architecture whose Kbuild does)"
    }
    return unbuiltPrefix + " no architecture sever prepares (\(archs.joined(separator: ", "))) "
      + "compile it"
  }

  static let unbuiltPrefix = "not parsed: the Kbuild files of"

  /// The answer over several architectures: the strongest verdict (module-capable, then built-in
  /// only, then unknown), keeping that architecture's evidence, each line marked with it.
  static func union(_ answers: [ModuleCapability]) -> ModuleCapability? {
    let rank: [ModuleCapability.Verdict: Int] = [
      .moduleCapable: 3, .builtInOnly: 2, .unknown: 1, .notBuilt: 0,
    ]
    guard var best = answers.first else { return nil }
    for answer in answers.dropFirst()
    where rank[answer.verdict, default: 0] > rank[best.verdict, default: 0] {
      best = answer
    }
    // A literal #ifdef MODULE is in the file whatever the architecture.
    best.hasIfdefModule = answers.contains(where: \.hasIfdefModule)
    if answers.count > 1 {
      best.evidence = best.evidence.map {
        var line = $0
        line.note += " [\(best.arch)]"
        return line
      }
    }
    return best
  }

  /// The input set without the units no supported architecture builds.
  func narrowing(_ inputs: InputSet) -> InputSet {
    guard !unbuilt.isEmpty else { return inputs }
    let set = Set(unbuilt)
    var narrowed = inputs
    narrowed.units.removeAll { set.contains(inputs.relativePath($0.path)) }
    return narrowed
  }

  /// Contents held in memory (a patch under review) by tree-relative path: the oracle reads
  /// them instead of the disk's copies, so a review sees what a Kconfig or Makefile change does
  /// to module capability, and knows the files the patch adds.
  static func overlay(_ unsaved: [String: String], root: String) -> [String: String] {
    var result: [String: String] = [:]
    for (path, text) in unsaved where path.hasPrefix(root + "/") {
      result[String(path.dropFirst(root.count + 1))] = text
    }
    return result
  }
}

extension ToolDiagnostic {
  /// Whether the text output lists this diagnostic only with `--verbose` (the coverage line
  /// counts it): a parse error, or a unit no supported architecture builds.
  public var isListedOnlyWhenVerbose: Bool {
    kind == .parseError
      || (kind == .moduleCapability && message.hasPrefix(KbuildStage.unbuiltPrefix))
  }
}
