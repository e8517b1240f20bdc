import ArgumentParser
import Foundation
import Reporters
import Review
import SeverCore

/// `sever hook install|uninstall`: the git pre-commit hook that reviews the staged change.
struct HookCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hook",
    abstract: "Install, run or remove the git pre-commit hook that reviews the staged change.",
    subcommands: [HookInstallCommand.self, HookRunCommand.self, HookUninstallCommand.self])
}

/// `sever hook run`: what the hook runs. Silent when the staged change introduces nothing at
/// warning level or above; otherwise the findings on standard error and one line saying the
/// commit is blocked and the three ways on, and exit status 1.
struct HookRunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Review the staged change as the pre-commit hook does; silent when it passes.")

  @OptionGroup var input: InputOptions

  func run() async throws {
    let session = ReviewSession(input: input, source: .staged)
    let outcome: ReviewOutcome
    do {
      guard let reviewed = try await session.run() else { return }
      outcome = reviewed
    } catch {
      throw CommandFailure(
        status: error.status,
        message: "the pre-commit hook could not review the staged change: "
          + (error.message ?? "unknown error")
          + "; fix that, or commit with `git commit --no-verify`")
    }
    let blocking = outcome.report.findings.filter { $0.severity >= .warning }
    guard !blocking.isEmpty else { return }
    let report = Report(root: outcome.root, findings: blocking, rules: [])
    let options = ReporterOptions(
      colorize: input.color.enabled(for: 2), summary: false, trace: input.trace)
    let text = (try? Reporters.render(report, format: .text, options: options)) ?? ""
    let count = blocking.count == 1 ? "1 finding" : "\(blocking.count) findings"
    let rules = Set(blocking.map(\.ruleID)).sorted().joined(separator: ",")
    FileHandle.standardError.write(
      Data(
        (text
          + "sever: commit blocked: the staged change introduces \(count); fix, suppress with "
          + "a reason (/* sever: ignore[\(rules)] why */), or commit with "
          + "`git commit --no-verify`\n").utf8))
    throw CommandFailure.findings
  }
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
