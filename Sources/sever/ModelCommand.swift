import ArgumentParser

// Placeholder replaced by `sever model` (issue 3).
struct ModelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "model", abstract: "Not yet built.")
}
