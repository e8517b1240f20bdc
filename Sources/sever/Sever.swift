import ArgumentParser
import Foundation
import SeverCore
import SeverKit
import SeverSupport

/// The `sever` command: lints Linux kernel C against the lifecycle contracts of pseudo-filesystem
/// callback tables, and explains each finding with a trace from the reference model.
@main
struct Sever: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sever",
    abstract: "Check kernel callback tables against the kernfs severing contract.",
    version: SeverVersion.current,
    subcommands: [
      CheckCommand.self, FactsCommand.self, RulesCommand.self, ExplainCommand.self,
      ModelCommand.self, KbuildCommand.self, ReviewCommand.self, HookCommand.self,
      ScanCommand.self, FixCommand.self,
    ]
  )

  /// Parses and runs a command, mapping outcomes to sever's exit statuses in one place: a
  /// `CommandFailure` gives its own status, usage errors exit 2 (ArgumentParser's own default is
  /// 64), unexpected errors exit 3.
  static func main() async {
    // Before any other thread reads the environment: libclang is told to parse on sever's
    // large-stack threads.
    UnitWorker.prepareProcess()
    let arguments = Array(CommandLine.arguments.dropFirst())
    if ObjectInvocation.matches(arguments) {
      // Kbuild's checker call: findings on standard error like sparse, status 0 so the build
      // goes on.
      Foundation.exit(await ObjectCheck.run(arguments))
    }
    if arguments.first == UnitWorker.subcommand {
      // A worker process: unit requests on stdin, their facts on stdout, until stdin ends.
      Foundation.exit(await UnitWorker.serve())
    }
    do {
      try checkSubcommand(arguments)
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch let failure as CommandFailure {
      if let message = failure.message {
        FileHandle.standardError.write(Data("sever: error: \(message)\n".utf8))
      }
      Foundation.exit(failure.status.rawValue)
    } catch let exit as ExitCode {
      Foundation.exit(exit.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        self.exit(withError: error)
      } else if code == .validationFailure {
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(2)
      } else {
        FileHandle.standardError.write(Data("sever: internal error: \(error)\n".utf8))
        Foundation.exit(3)
      }
    }
  }

  /// A first argument that is neither an option nor a command is a mistyped command: say which
  /// one was meant, instead of ArgumentParser's "unexpected argument".
  static func checkSubcommand(_ arguments: [String]) throws(CommandFailure) {
    guard let first = arguments.first, !first.hasPrefix("-") else { return }
    let names = configuration.subcommands.map { $0._commandName } + ["help"]
    guard !names.contains(first) else { return }
    throw .usage(
      "'\(first)' is not a sever command" + Spelling.suggestion(for: first, in: names)
        + " (`sever --help` lists the commands)")
  }
}
