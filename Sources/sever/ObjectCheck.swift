import Foundation
import Reporters
import Rules
import SeverConfiguration
import SeverCore
import SeverKit

/// `make C=1 CHECK=sever`: the object through the pipeline, findings printed on standard error
/// in the text format (as sparse prints its warnings), without the summary and coverage lines a
/// whole run ends with. The status is 0 whatever is found, so the build goes on; a problem with
/// sever itself is a line on standard error too.
enum ObjectCheck {
  /// Checks the object Kbuild names in `arguments` and returns the exit status.
  static func run(_ arguments: [String]) async -> Int32 {
    let directory = FileManager.default.currentDirectoryPath
    guard let invocation = ObjectInvocation(arguments: arguments, directory: directory) else {
      return 0
    }
    let output: String
    do {
      let configuration = try Configuration.load(from: invocation.file)
      try configuration.validate(knownRules: Set(allRuleDescriptions.map(\.id)))
      let outcome = try await Pipeline.check(invocation.request(configuration: configuration))
      var report = outcome.report
      // Coverage is one unit per call: what matters is whether this one parsed.
      report.diagnostics = report.diagnostics.filter {
        [.parseFailure, .unreadableInput, .internalError, .invalidSuppression].contains($0.kind)
      }
      let findings =
        (try? Reporters.render(report, format: .text, options: ReporterOptions(summary: false)))
        ?? ""
      output = findings + Reporters.diagnosticLines(report)
    } catch {
      output = "\(invocation.file): warning: sever could not check this file: \(error)\n"
    }
    FileHandle.standardError.write(Data(output.utf8))
    return 0
  }
}
