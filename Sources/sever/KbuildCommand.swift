import ArgumentParser
import Foundation
import Kbuild
import SeverConfiguration
import SeverCore
import SeverSupport

/// `sever kbuild`: can these C files be part of a module, per architecture, and why.
struct KbuildCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kbuild",
    abstract: "Tell whether C files can be built as part of a module, with the evidence chain.",
    discussion: """
      Reads the tree's kbuild files and Kconfig once for the architecture, then answers for \
      each FILE: built-in-only, module-capable, not-built or unknown, followed by the Makefile \
      and Kconfig lines (file:line) that decide. With --config, also the state (y/m/n) in that \
      configuration.
      """)

  /// Output formats.
  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  @Argument(help: "C files, relative to the tree root or absolute.")
  var files: [String] = []

  @Option(help: "The kernel tree root.")
  var tree: String = "."

  @Option(help: "The architecture (x86_64, arm64, or a directory under arch/).")
  var arch: String = "x86_64"

  @Option(help: "A .config whose y/m/n state to report.")
  var config: String?

  @Option(help: "Output format: text or json.")
  var format: Format = .text

  @Flag(help: "Answer for every .c file of the tree.")
  var all = false

  @Flag(help: "Print only the number of files per verdict.")
  var summary = false

  @Option(help: "Also print the values a Kconfig symbol (without CONFIG_) can take.")
  var symbol: [String] = []

  func run() async throws {
    var kernelConfig: KernelConfig?
    if let config {
      // A .config is a few hundred KiB; the bound keeps /dev/zero or a FIFO from hanging.
      let data: Data
      do {
        data = try BoundedFile.read(config, limit: 16 << 20)
      } catch {
        throw usage("cannot read the configuration '\(config)': \(error); pass a .config file")
      }
      kernelConfig = KernelConfig(parsing: String(decoding: data, as: UTF8.self))
    }
    let oracle: KbuildOracle
    do {
      oracle = try await KbuildOracle.load(tree: tree, arch: arch, config: kernelConfig)
    } catch {
      throw usage(error.description)
    }
    for name in symbol {
      print(oracle.describeSymbol(name))
    }
    for file in files {
      let path = file.hasPrefix("/") ? file : tree + "/" + file
      guard FileManager.default.fileExists(atPath: path) else {
        throw usage("no such file '\(file)' under the tree '\(tree)'; paths are relative to --tree")
      }
    }
    var paths = files
    if all { paths += oracle.allCSources() }
    if paths.isEmpty && !symbol.isEmpty { return }
    guard !paths.isEmpty else { throw usage("no FILE given; name C files or pass --all") }
    let jobs = ProcessInfo.processInfo.activeProcessorCount
    let answers = await oracle.answers(for: paths, jobs: jobs).sorted { $0.path < $1.path }
    if summary {
      print(Self.summaryText(answers, arch: oracle.arch))
    } else if format == .json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      let data = try encoder.encode(answers)
      print(String(decoding: data, as: UTF8.self))
    } else {
      print(answers.map(Self.text).joined(separator: "\n"), terminator: "")
    }
    let skipped = oracle.skippedFiles
    if !skipped.isEmpty {
      // The answers are printed, but must not look complete: a skipped Kconfig or Makefile can
      // change any verdict.
      FileHandle.standardError.write(
        Data(
          ("sever kbuild: warning: \(skipped.count) files were not read (not regular files, "
            + "unreadable or over 16 MiB), so these answers may be wrong: "
            + skipped.prefix(5).joined(separator: ", ") + "\n").utf8))
    }
  }

  private func usage(_ message: String) -> CommandFailure {
    .usage("kbuild: " + message)
  }

  static func summaryText(_ answers: [ModuleCapability], arch: String) -> String {
    var counts: [ModuleCapability.Verdict: Int] = [:]
    for answer in answers { counts[answer.verdict, default: 0] += 1 }
    let parts = ModuleCapability.Verdict.allCases.map { "\($0.rawValue) \(counts[$0, default: 0])" }
    return "\(answers.count) files on \(arch): " + parts.joined(separator: ", ")
  }

  /// The text block for one answer: a headline, then one indented line per evidence link.
  static func text(_ answer: ModuleCapability) -> String {
    var head = "\(answer.path): \(answer.verdict.rawValue) on \(answer.arch)"
    if let state = answer.configState { head += " (config: \(state.rawValue))" }
    if answer.hasIfdefModule { head += " [has #ifdef MODULE]" }
    var lines = [head]
    if let reason = answer.reason { lines.append("  reason: \(reason)") }
    for link in answer.evidence {
      lines.append("  \(link.location.path):\(link.location.line): \(link.text)")
      if !link.note.isEmpty { lines.append("      \(link.note)") }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
