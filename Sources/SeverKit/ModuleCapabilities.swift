import Kbuild
import SeverCore

/// Module-capability answers for the files that define callback tables, from the Kbuild oracle
/// (Kbuild Makefiles and Kconfig of the architecture, read once per run).
enum ModuleCapabilities {
  /// Answers for every file that holds a table or a function (rules ask about handlers' files).
  static func answers(for check: CheckResult, kbuild: KbuildAnswers?) -> [String: ModuleCapability]
  {
    guard let kbuild else { return [:] }
    var answers: [String: ModuleCapability] = [:]
    for file in check.files where !file.tables.isEmpty {
      answers[file.path] = kbuild.capabilities[file.path]
    }
    return answers
  }
}
