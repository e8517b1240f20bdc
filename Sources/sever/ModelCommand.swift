import ArgumentParser
import Foundation
import KernfsModel
import SeverConfiguration
import SeverCore
import SeverSupport

/// `sever model`: the executable reference model. Prints the clauses as a table, the state
/// machine as Graphviz DOT or Mermaid, and explores behaviour summaries.
struct ModelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "model",
    abstract: "Print or explore the reference model of the contract.",
    subcommands: [Rules.self, Dot.self, Mermaid.self, Check.self],
    defaultSubcommand: Rules.self
  )
}

extension ModelCommand {
  /// `sever model rules`: the clauses and how the model covers each.
  struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the contract's clauses and whether the model detects or enforces each.")

    /// Output format.
    enum Format: String, ExpressibleByArgument, CaseIterable {
      case text, markdown
    }

    @Option(help: "Output format: text or markdown.")
    var format: Format = .text

    func run() {
      print(format == .text ? RuleCatalog.textTable() : RuleCatalog.markdownTable(), terminator: "")
    }
  }

  /// `sever model dot`.
  struct Dot: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the model's state machines as Graphviz DOT (render with dot -Tpng).")

    func run() { print(LifecycleDiagram().dot(), terminator: "") }
  }

  /// `sever model mermaid`.
  struct Mermaid: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the model's state machines as a Mermaid stateDiagram-v2.")

    func run() { print(LifecycleDiagram().mermaid(), terminator: "") }
  }

  /// `sever model check SUMMARY.json`: explore one summary. Exit 0 safe, 1 violation, 2 bad
  /// input.
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Explore a behaviour summary and print the verdict and shortest violating trace.",
      discussion: """
        Exit status: 0 safe, 1 a clause is violated, 2 the summary cannot be read, \
        3 the state limit stopped the search.
        """)

    /// Output format.
    enum Format: String, ExpressibleByArgument, CaseIterable {
      case text, json
    }

    @Argument(help: "A behaviour summary in JSON (see Fixtures/model).")
    var summary: String

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(help: "Number of open files in the scope (1-4).")
    var files: Int = 2

    @Option(help: "Comma-separated poller modes, one poller each (select, epoll).")
    var pollers: String = "select,epoll"

    @Option(help: .hidden)
    var bench: Int = 0

    func run() throws {
      let parsed: BehaviourSummary
      let scope: ModelScope
      do {
        scope = try makeScope()
        parsed = try load()
      } catch let error as ModelInputError {
        throw CommandFailure.usage("\(error)")
      }
      let checker = ModelChecker(scope: scope)
      let verdict: ModelVerdict
      do {
        verdict = try checker.check(parsed)
      } catch {
        throw CommandFailure.usage("\(error)")
      }
      if bench > 0 {
        print(Self.benchmark(checker, parsed, runs: bench, states: verdict.statesExplored))
        return
      }
      switch format {
      case .text:
        print(verdict.text(), terminator: "")
      case .json:
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(verdict)
        print(String(decoding: data, as: UTF8.self))
      }
      if verdict.violation != nil { throw CommandFailure.findings }
      if !verdict.complete {
        throw CommandFailure.internalError(
          "the exploration stopped at --max-states before it finished; the verdict is unknown")
      }
    }

    private func makeScope() throws -> ModelScope {
      var modes: [PollMode] = []
      for word in pollers.split(separator: ",") where !word.isEmpty {
        guard let mode = PollMode(rawValue: String(word)) else {
          throw ModelInputError.badScope(
            "--pollers takes select and epoll separated by commas, not \"\(word)\".")
        }
        modes.append(mode)
      }
      guard (1...4).contains(files), modes.count <= 4 else {
        throw ModelInputError.badScope("--files must be 1 to 4 and --pollers at most 4 modes.")
      }
      return ModelScope(files: files, pollers: modes)
    }

    private func load() throws -> BehaviourSummary {
      // A summary is a few KiB; the bound keeps /dev/zero or a FIFO from hanging.
      guard let data = try? BoundedFile.read(summary, limit: 16 << 20) else {
        throw ModelInputError.unreadable(path: summary)
      }
      return try BehaviourSummary.decode(from: data)
    }

    /// Explores `runs` times and reports the median, for Tests/Benchmarks/model-bench.sh.
    private static func benchmark(
      _ checker: ModelChecker, _ summary: BehaviourSummary, runs: Int, states: Int
    ) -> String {
      let clock = ContinuousClock()
      var times: [Double] = []
      for _ in 0..<runs {
        let start = clock.now
        _ = try? checker.check(summary)
        let elapsed = clock.now - start
        let parts = elapsed.components
        times.append(Double(parts.seconds) * 1e3 + Double(parts.attoseconds) / 1e15)
      }
      times.sort()
      let median = times[times.count / 2]
      let rate = median > 0 ? Double(states) / (median / 1e3) : 0
      return String(
        format: "%@ states=%d runs=%d median_ms=%.3f min_ms=%.3f states_per_s=%.0f",
        summary.name, states, runs, median, times[0], rate)
    }
  }
}
