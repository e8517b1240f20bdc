import Extraction
import Foundation
import Rules
import SeverCore

/// Runs rules on a C snippet or file parsed with the fixture tree's headers, the way
/// `RuleExampleTests` and `RuleFixtureTests` need: a file that spells `MODULE_LICENSE` is module
/// code, any other is built in.
public enum RuleHarness {
  /// The findings and facts of one parse.
  public struct Result: Sendable {
    /// The facts of the main file.
    public var facts: FileFacts
    /// Every fact of the unit.
    public var files: [FileFacts]
    /// The findings of the rules asked for, sorted.
    public var findings: [Finding]
    /// What went wrong in sever itself (a summary the model rejected).
    public var internalErrors: [ToolDiagnostic]
  }

  /// Parses `code` as `name` in a fresh directory and runs `rules` (all when nil).
  public static func run(
    code: String, name: String = "example.c", rules: Set<String>?
  ) throws -> Result {
    let directory = FixturePaths.temporary("example")
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/" + name
    try code.write(toFile: path, atomically: true, encoding: .utf8)
    return try run(file: path, root: directory, rules: rules)
  }

  /// Parses the file at `path` (facts relative to `root`) and runs `rules`.
  public static func run(file path: String, root: String, rules: Set<String>?) throws -> Result {
    let files = try FactExtractor.extract(
      path: path, arguments: ["-std=gnu11", "-I", FixturePaths.include], root: root)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let relative = String(path.dropFirst(root.count + 1))
    let capability = ModuleCapability(
      path: relative, arch: "x86_64",
      verdict: text.contains("MODULE_LICENSE") ? .moduleCapable : .builtInOnly)
    let context = RuleContext(files: files, capabilities: [relative: capability])
    let findings = runRules(context, only: rules)
    guard let main = files.first(where: { $0.path == relative }) ?? files.first else {
      throw CocoaError(.fileReadCorruptFile)
    }
    return Result(
      facts: main, files: files, findings: findings, internalErrors: context.diagnostics)
  }

  /// The 1-based line and column of each `↓` in an example's code, with the marker removed.
  public static func markers(_ code: String, path: String = "example.c") -> [SourceLocation] {
    var result: [SourceLocation] = []
    var line = 1
    var column = 1
    for character in code {
      if character == "↓" {
        result.append(SourceLocation(path: path, line: line, column: column))
      } else if character == "\n" {
        line += 1
        column = 1
      } else {
        column += character.utf8.count
      }
    }
    return result
  }
}
