import KernfsModel
import SeverCore

/// What rules read: the facts of every file of the run, indexed; the module-capability answer
/// for each file that defines a table; and the reference model that explains findings.
public final class RuleContext {
  /// The facts, indexed by name, with per-function analyses cached.
  public let index: FactIndex
  /// Path → can this file be part of a module (from the Kbuild oracle); absent when unknown.
  public let capabilities: [String: ModuleCapability]
  /// The model that turns a behaviour summary into a counterexample.
  public let model: ModelChecker

  /// Creates a context.
  public init(
    files: [FileFacts], capabilities: [String: ModuleCapability] = [:],
    model: ModelChecker = ModelChecker()
  ) {
    index = FactIndex(files: files)
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

  /// The model's shortest counterexample for a summary, or nil when the model finds it safe.
  public func trace(for summary: BehaviourSummary) -> Trace? {
    (try? model.check(summary))?.violation
  }
}
