import ArgumentParser
import Foundation
import Review

/// `sever hook install|uninstall`: the git pre-commit hook that reviews the staged change.
struct HookCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hook",
    abstract: "Install or remove the git pre-commit hook that runs sever review --staged.",
    subcommands: [HookInstallCommand.self, HookUninstallCommand.self])
}

/// `sever hook install [--force]`.
struct HookInstallCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "install",
    abstract: "Write .git/hooks/pre-commit to run sever review --staged.",
    discussion: """
      The hook exits at once, without starting sever, when no C source, header, Kconfig, \
      Makefile or Kbuild file is staged. An existing hook sever did not write is kept unless \
      --force is given.
      """)

  @Flag(help: "Replace an existing pre-commit hook that sever did not write.")
  var force = false

  @Option(help: "A directory inside the checkout (default: the current directory).")
  var directory: String?

  func run() throws {
    let here = directory ?? FileManager.default.currentDirectoryPath
    do {
      let path = try HookInstaller.install(
        directory: here, sever: Self.executablePath(), force: force)
      print("sever: installed \(path)")
    } catch {
      throw CommandFailure.usage(error.description)
    }
  }

  /// This executable's absolute path, so the hook runs the same sever.
  static func executablePath() -> String {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return resolved
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
  }
}

/// `sever hook uninstall`.
struct HookUninstallCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "uninstall", abstract: "Remove the pre-commit hook if sever wrote it.")

  @Option(help: "A directory inside the checkout (default: the current directory).")
  var directory: String?

  func run() throws {
    let here = directory ?? FileManager.default.currentDirectoryPath
    do {
      if let path = try HookInstaller.uninstall(directory: here) {
        print("sever: removed \(path)")
      } else {
        print("sever: no pre-commit hook installed")
      }
    } catch {
      throw CommandFailure.usage(error.description)
    }
  }
}
