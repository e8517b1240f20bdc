import ArgumentParser

// Placeholder replaced by `sever kbuild` (issue 4).
struct KbuildCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "kbuild", abstract: "Not yet built.")
}
