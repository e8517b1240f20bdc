import Kbuild
import KernfsModel
import Rules
import SeverCore

/// Stage 5 of the pipeline: the rules over the facts of every file, each finding explained by
/// the model. The result is what a run found before configuration, suppressions and baseline,
/// with everything the stages before could not do; the run memo keeps it for a re-run in which
/// nothing changed.
public struct Analysis: Codable, Sendable {
  /// The tree root paths are relative to.
  public var root: String
  /// How compile arguments were made.
  public var mode: InputSet.Mode
  /// Every finding, sorted.
  public var findings: [Finding]
  /// The suppression comments of every file with facts, by path.
  public var suppressions: [String: [Suppression]]
  /// What discovery, Kbuild, extraction and the model could not do, sorted.
  public var diagnostics: [ToolDiagnostic]
  /// The coverage line.
  public var coverage: String
}

/// Where module capability comes from for a run: the tree's Kbuild answers, and for an object
/// Kbuild is compiling (`make C=1`), its own command line.
public struct CapabilitySource: Sendable {
  /// The tree's answers, when it has Kbuild files.
  public var kbuild: KbuildAnswers?
  /// The architecture the answers are for.
  public var arch: String
  /// Files Kbuild compiles into a module right now (`-DMODULE` on the checker's command line),
  /// with the module's name (`KBUILD_MODNAME`).
  public var builtAsModule: [String: String] = [:]

  /// Creates a source.
  public init(kbuild: KbuildAnswers?, arch: String, builtAsModule: [String: String] = [:]) {
    self.kbuild = kbuild
    self.arch = arch
    self.builtAsModule = builtAsModule
  }

  /// Answers for every file that holds a table (rules ask about tables' files, and about the
  /// files of handlers those tables name).
  func answers(for files: [FileFacts]) -> [String: ModuleCapability] {
    var answers: [String: ModuleCapability] = [:]
    for file in files where !file.tables.isEmpty || builtAsModule[file.path] != nil {
      if let module = builtAsModule[file.path] {
        // Kbuild passes -DMODULE only for objects it links into a .ko: that settles it, with
        // the tree's own evidence when the tree agrees.
        if let known = kbuild?.capabilities[file.path], known.verdict == .moduleCapable {
          answers[file.path] = known
        } else {
          answers[file.path] = ModuleCapability(
            path: file.path, arch: arch, verdict: .moduleCapable,
            evidence: [
              ModuleCapability.Evidence(
                location: SourceLocation(path: file.path, line: 1, column: 1),
                text: "-DMODULE -DKBUILD_MODNAME=\(module)",
                note: "Kbuild compiles this object into the module \(module)")
            ])
        }
      } else {
        answers[file.path] = kbuild?.capabilities[file.path]
      }
    }
    return answers
  }
}

enum AnalyseStage {
  /// Runs the rules (all, or `only` these) over the facts.
  static func run(
    _ check: CheckResult, capabilities source: CapabilitySource, only rules: Set<String>?,
    stageDiagnostics: [ToolDiagnostic], endsProcess: Bool = false
  ) -> Analysis {
    let context = RuleContext(files: check.files, capabilities: source.answers(for: check.files))
    if endsProcess { ProcessLifetime.keep(context) }
    let findings = runRules(context, only: rules)
    var suppressions: [String: [Suppression]] = [:]
    for file in check.files where !file.suppressions.isEmpty {
      suppressions[file.path] = file.suppressions
    }
    return Analysis(
      root: check.root, mode: check.mode, findings: findings, suppressions: suppressions,
      diagnostics: (check.diagnostics + check.files.flatMap(\.diagnostics) + stageDiagnostics
        + context.diagnostics).sorted(),
      coverage: check.coverage.line)
  }
}
