import ArgumentParser
import SeverCore

/// The `sever` command: lints Linux kernel C against the lifecycle contracts of pseudo-filesystem
/// callback tables, and explains each finding with a trace from the reference model.
@main
struct Sever: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sever",
    abstract: "Check kernel callback tables against the kernfs severing contract.",
    version: SeverVersion.current,
    subcommands: [CheckCommand.self, FactsCommand.self, ModelCommand.self, KbuildCommand.self]
  )
}
