import ArgumentParser
import Foundation
import KernfsModel
import Rules
import SeverCore

/// `sever rules`: one line per rule (id, severity, confidence, summary), or the README table.
struct RulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules", abstract: "List the rules.")

  @Flag(help: "Print the Markdown table kept in README.md.")
  var markdown = false

  func run() {
    print(markdown ? RuleListing.markdown() : RuleListing.text(), terminator: "")
  }
}

/// `sever explain RULE`: everything about one rule.
struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Explain a rule: contract clauses, rationale, history, examples, model trace, fix.")

  @Argument(help: "A rule id, as `sever rules` lists them.")
  var rule: String

  func validate() throws {
    guard allRules.contains(where: { $0.description.id == rule }) else {
      throw ValidationError(
        "unknown rule '\(rule)'; known rules: "
          + allRuleDescriptions.map(\.id).joined(separator: ", "))
    }
  }

  func run() {
    guard let type = allRules.first(where: { $0.description.id == rule }) else { return }
    print(RuleListing.explain(type), terminator: "")
  }
}

/// The texts behind `sever rules` and `sever explain`.
enum RuleListing {
  static func text() -> String {
    let width = allRuleDescriptions.map(\.id.count).max() ?? 0
    return allRuleDescriptions.map { rule in
      rule.id.padding(toLength: width, withPad: " ", startingAt: 0)
        + "  \(rule.defaultSeverity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))"
        + "  \(rule.confidence.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))"
        + "  \(rule.summary)\n"
    }.joined()
  }

  static func markdown() -> String {
    var out = "| rule | severity | confidence | contract | what it flags |\n"
    out += "| --- | --- | --- | --- | --- |\n"
    for rule in allRuleDescriptions {
      let clauses = rule.clauses.map(\.rawValue).joined(separator: ", ")
      out +=
        "| `\(rule.id)` | \(rule.defaultSeverity.rawValue) | \(rule.confidence.rawValue) "
        + "| \(clauses) | \(rule.summary) |\n"
    }
    return out
  }

  static func explain(_ type: any Rule.Type) -> String {
    let rule = type.description
    var out = "\(rule.id): \(rule.name)\n\n\(rule.summary)\n\n"
    out += "Severity \(rule.defaultSeverity.rawValue), confidence \(rule.confidence.rawValue).\n\n"
    out += "Contract clauses:\n"
    for clause in rule.clauses { out += "  \(clause.rawValue)  \(clause.title)\n" }
    out += "\nWhy:\n\(rule.rationale)\n\nKernel history:\n"
    for commit in rule.commits { out += "  \(commit)\n" }
    if !rule.cves.isEmpty { out += "  " + rule.cves.joined(separator: ", ") + "\n" }
    out += "\nModel scenario '\(type.scenario.name)':\n"
    if let verdict = try? ModelChecker().check(type.scenario) {
      out += verdict.text().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
    }
    out += "\nFix:\n  \(rule.fix)\n"
    for (title, examples) in [
      ("Flagged", rule.triggeringExamples), ("Not flagged", rule.nonTriggeringExamples),
    ] {
      for (number, example) in examples.enumerated() {
        out += "\n\(title), example \(number + 1):\n"
        out +=
          example.code.split(separator: "\n", omittingEmptySubsequences: false)
          .map { "    " + $0 }.joined(separator: "\n") + "\n"
      }
    }
    return out
  }
}
