import Foundation
import SeverCore

/// The result of exploring one summary: safe within the scope, or the shortest trace that breaks
/// a clause, and how much was explored.
public struct ModelVerdict: Codable, Sendable, Hashable {
  /// The summary's name.
  public var summary: String
  /// The bounds explored.
  public var scope: ModelScope
  /// Distinct states reached (including the initial one).
  public var statesExplored: Int
  /// Transitions taken, including those that led to known states.
  public var transitionsExplored: Int
  /// False when `scope.maxStates` stopped the search before it finished.
  public var complete: Bool
  /// The shortest violating trace, if any; findings carry it as they are.
  public var violation: Trace?

  /// Creates a verdict.
  public init(
    summary: String, scope: ModelScope, statesExplored: Int, transitionsExplored: Int,
    complete: Bool, violation: Trace?
  ) {
    self.summary = summary
    self.scope = scope
    self.statesExplored = statesExplored
    self.transitionsExplored = transitionsExplored
    self.complete = complete
    self.violation = violation
  }

  /// Whether the whole bounded space was explored without breaking a clause.
  public var isSafe: Bool { violation == nil && complete }

  /// The verdict as text for a terminal: a headline, then one numbered line per step with the
  /// kernel function it mirrors and the state after it.
  public func text() -> String {
    let bounds =
      "\(scope.files) files, pollers \(scope.pollers.map(\.rawValue).joined(separator: "+")), "
      + "1 node, 1 module"
    guard let trace = violation else {
      let verdict = complete ? "safe" : "unknown (state limit reached)"
      return "\(summary): \(verdict): \(statesExplored) states, \(transitionsExplored) "
        + "transitions explored (\(bounds)).\n"
    }
    var lines = [
      "\(summary): violates \(trace.violated.rawValue) (\(trace.violated.title))",
      "shortest trace, \(trace.steps.count) steps, after \(statesExplored) states (\(bounds)):",
    ]
    let width = trace.steps.map(\.event.count).max() ?? 0
    for (index, step) in trace.steps.enumerated() {
      let number = String(index + 1).leftPadded(to: 3)
      let event = step.event.padding(toLength: width, withPad: " ", startingAt: 0)
      let mirrors = step.mirrors.map { "[\($0)]" } ?? ""
      lines.append("\(number). \(event)  \(mirrors)")
      lines.append("       \(step.state)")
    }
    lines.append("=> \(trace.violated.rawValue): \(trace.summary)")
    return lines.joined(separator: "\n") + "\n"
  }
}

extension String {
  /// The string right-aligned in `width` columns.
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: " ", count: max(0, width - count)) + self
  }
}
