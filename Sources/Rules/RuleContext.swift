import KernfsModel
import SeverCore
import Synchronization

/// What rules read: the facts of every file of the run, indexed; the module-capability answer
/// for each file that defines a table; and the reference model that explains findings.
public final class RuleContext: Sendable {
  /// The facts, indexed by name.
  public let index: FactIndex
  /// Per-function analyses over the whole run, computed once (`FunctionSummaries`).
  public let summaries: FunctionSummaries
  /// Path → can this file be part of a module (from the Kbuild oracle); absent when unknown.
  public let capabilities: [String: ModuleCapability]
  /// The model that turns a behaviour summary into a counterexample.
  public let model: ModelChecker
  /// What went wrong in sever itself while the rules ran (a summary the model rejects), in
  /// no particular order (the rules run on several threads).
  public var diagnostics: [ToolDiagnostic] { recorded.withLock { $0 } }
  private let recorded = Mutex<[ToolDiagnostic]>([])

  /// Creates a context.
  public init(
    files: [FileFacts], capabilities: [String: ModuleCapability] = [:],
    model: ModelChecker = ModelChecker()
  ) {
    index = FactIndex(files: files)
    summaries = FunctionSummaries(index: index)
    self.capabilities = capabilities
    self.model = model
  }

  /// Whether the file can be built as a module; nil when the oracle had no answer.
  public func canBeModule(_ path: String) -> Bool? {
    guard let answer = capabilities[path] else { return nil }
    switch answer.verdict {
    case .moduleCapable: return true
    case .builtInOnly: return answer.hasIfdefModule
    case .notBuilt, .unknown: return nil
    }
  }

  /// Notes for the module-capability chain of a file (at most a few lines).
  public func capabilityNotes(_ path: String) -> [Finding.Note] {
    guard let answer = capabilities[path] else { return [] }
    let verdict = answer.verdict.rawValue
    return answer.evidence.prefix(4).map {
      Finding.Note(location: $0.location, message: "\(verdict): \($0.text) (\($0.note))")
    }
  }

  /// What the model says about a finding's behaviour summary: its shortest counterexample; nil
  /// when the model proves the summary safe. A summary the model rejects is sever's own bug: it
  /// becomes an internal-error diagnostic (the run exits 3) instead of silently dropping the
  /// finding. A search the state limit cut short explains nothing: the finding is kept at lower
  /// confidence with a note saying so.
  public func explain(
    _ summary: BehaviourSummary, rule: RuleDescription, at location: SourceLocation
  )
    -> Explanation?
  {
    do {
      let verdict = try model.check(summary)
      if let trace = verdict.violation {
        return Explanation(trace: trace, clauses: [trace.violated])
      }
      if verdict.complete { return nil }
      return Explanation(
        trace: nil, clauses: rule.clauses,
        incomplete: "the model stopped after \(verdict.statesExplored) states (its limit) "
          + "before finding a counterexample or proving \(summary.name) safe; this finding is "
          + "not explained by a trace")
    } catch {
      let diagnostic =
        ToolDiagnostic(
          kind: .internalError, path: location.path,
          message: "\(rule.id): the model rejected the behaviour summary sever built here, so "
            + "a finding may be missing (please report this): \(error)",
          location: location)
      recorded.withLock { $0.append(diagnostic) }
      return nil
    }
  }
}

/// The model's answer for one finding: a counterexample, or why there is none.
public struct Explanation: Sendable {
  /// The shortest counterexample, when the model found one.
  public var trace: Trace?
  /// The clauses the finding breaks: the trace's, else the rule's.
  public var clauses: [ContractRule]
  /// Why there is no trace, when the search was cut short.
  public var incomplete: String?

  /// Creates an explanation.
  public init(trace: Trace?, clauses: [ContractRule], incomplete: String? = nil) {
    self.trace = trace
    self.clauses = clauses
    self.incomplete = incomplete
  }

  /// A counterexample written by hand for clauses the model does not explore (`StaticTrace`).
  public init(static trace: Trace) {
    self.init(trace: trace, clauses: [trace.violated])
  }

  /// The finding with this explanation: its trace and clauses, and for an unexplained finding
  /// one confidence step lower and a note at its location saying why.
  public func apply(to finding: Finding) -> Finding {
    var result = finding
    result.trace = trace
    result.clauses = clauses
    if let incomplete {
      result.confidence = finding.confidence.lowered
      result.notes.append(Finding.Note(location: finding.location, message: incomplete))
    }
    return result
  }
}

extension Finding.Confidence {
  /// One step less sure.
  var lowered: Finding.Confidence {
    switch self {
    case .high: .moderate
    case .moderate, .low: .low
    }
  }
}
