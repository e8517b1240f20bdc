import Kbuild
import SeverCore

/// Module-capability answers for the files that define callback tables, from the Kbuild oracle
/// (Kbuild Makefiles and Kconfig of the architecture, read once per run).
enum ModuleCapabilities {
  /// Loads the oracle for a kernel tree; nil for other inputs, or when the tree's Kbuild files
  /// cannot be read (the run goes on without module capability, and says so).
  static func oracle(root: String, mode: InputSet.Mode, options: CheckOptions) async -> Result<
    KbuildOracle, KbuildError
  >? {
    guard mode == .kernelTree else { return nil }
    do {
      return .success(try await KbuildOracle.load(tree: root, arch: options.arch))
    } catch {
      return .failure(error)
    }
  }

  /// Answers for every file that holds a table or a function (rules ask about handlers' files).
  static func answers(for check: CheckResult, oracle: KbuildOracle?) -> [String: ModuleCapability] {
    guard let oracle else { return [:] }
    var answers: [String: ModuleCapability] = [:]
    for file in check.files where !file.tables.isEmpty {
      answers[file.path] = oracle.answer(for: file.path)
    }
    return answers
  }
}
