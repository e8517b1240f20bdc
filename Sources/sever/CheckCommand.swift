import ArgumentParser

// Placeholder replaced by `sever check` (issue 2).
struct CheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "check", abstract: "Not yet built.")
}

// Placeholder replaced by `sever facts` (issue 2).
struct FactsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "facts", abstract: "Not yet built.")
}
