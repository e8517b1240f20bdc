import ArgumentParser
import Foundation
import Reporters
import Rules
import Scan
import SeverCore
import SeverKit

/// `sever scan PATH…`: tier 1 alone. Every candidate file is lexed without preprocessing and
/// its callback tables listed, with the files tier 2 would parse and why.
struct ScanCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scan",
    abstract: "List callback tables with the fast scan (no preprocessing, no libclang).",
    discussion: """
      The inventory `check` starts from: tables (by hand or from macros sever can expand), their \
      designated fields, and which files the rules need libclang for. Exit status: 0, or 2 for \
      bad input.
      """)

  /// Output formats of `scan`.
  enum Format: String, ExpressibleByArgument {
    case text, json
  }

  @Option(help: "Output format: text or json.")
  var format: Format = .text

  @Flag(help: "Also list the files tier 2 would parse, with the reason for each.")
  var selection = false

  @Option(help: "The architecture whose headers' macros are read (default x86_64).")
  var arch = "x86_64"

  @Option(help: "Files scanned in parallel (default: the number of cores).")
  var jobs: Int?

  @Argument(help: "C files, directories, or a kernel tree root.")
  var paths: [String]

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
  }

  func run() async throws {
    var options = CheckOptions(
      paths: paths, arch: arch, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    options.useCache = true
    let outcome = try await runPipeline { () async throws(SeverKitError) in
      try await Pipeline.scan(options)
    }
    FileHandle.standardError.write(
      Data(
        Reporters.diagnosticLines(
          Report(root: "", findings: [], rules: [], diagnostics: outcome.diagnostics)
        ).utf8))
    switch format {
    case .json:
      print(json(outcome))
    case .text:
      for file in outcome.files {
        for table in file.tables {
          let fields = table.fields.map { ".\($0.name)=\($0.identifiers.joined(separator: " "))" }
          print(
            "\(file.path):\(table.line): \(table.kind.cSpelling) \(table.name)"
              + (table.index.map { "[\($0)]" } ?? "") + (table.macro.map { " (\($0))" } ?? "")
              + (table.isOpaque ? " (opaque)" : "") + " " + fields.joined(separator: ", "))
        }
      }
      let selected = outcome.selection?.files ?? []
      if selection {
        for path in selected.sorted() {
          print("select \(path): \(outcome.selection?.reasons[path] ?? "")")
        }
      }
      let tables = outcome.files.map(\.tables.count).reduce(0, +)
      let tier2 =
        outcome.selection == nil
        ? "tier 1 selects only in a kernel tree" : "tier 2 would parse \(selected.count) files"
      print("sever: scan: \(outcome.files.count) files, \(tables) tables; \(tier2)")
    }
  }

  private func json(_ outcome: Pipeline.ScanOutcome) -> String {
    struct Table: Encodable {
      var path: String
      var line: Int
      var kind: String
      var name: String
      var index: Int?
      var macro: String?
      var opaque: Bool
      var fields: [[String: String]]
    }
    struct Output: Encodable {
      var files: Int
      var tables: [Table]
      var selected: [String: String]?
    }
    let tables = outcome.files.flatMap { file in
      file.tables.map { table in
        Table(
          path: file.path, line: table.line, kind: table.kind.rawValue, name: table.name,
          index: table.index, macro: table.macro, opaque: table.isOpaque,
          fields: table.fields.map {
            ["name": $0.name, "handler": $0.handler ?? $0.identifiers.joined(separator: " ")]
          })
      }
    }
    let output = Output(
      files: outcome.files.count, tables: tables,
      selected: selection ? outcome.selection?.reasons ?? [:] : nil)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return (try? encoder.encode(output)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }
}
