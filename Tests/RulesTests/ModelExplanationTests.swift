import KernfsModel
import Rules
import SeverCore
import Testing

/// A finding is never dropped silently because of the model: a summary the model rejects is an
/// internal error of sever, and a search cut short keeps the finding at lower confidence with a
/// note.
@Suite struct ModelExplanationTests {
  static let location = SourceLocation(path: "drivers/x.c", line: 3, column: 1)

  @Test func aSummaryTheModelRejectsIsAnInternalError() {
    let context = RuleContext(files: [])
    // kernfs_file_fops has no ioctl: a kernfs table with one contradicts itself.
    let summary = BehaviourSummary(
      name: "inconsistent", framework: .kernfs, callbacks: [.open, .release, .ioctl])
    #expect(!summary.problems().isEmpty)
    let explanation = context.explain(
      summary, rule: PollHeadLifetimeRule.description, at: Self.location)
    #expect(explanation == nil)
    #expect(context.diagnostics.map(\.kind) == [.internalError])
    #expect(context.diagnostics.first?.location == Self.location)
    #expect(context.diagnostics.first?.message.contains("kernfs-poll-head-lifetime") == true)
  }

  @Test func aSearchCutShortKeepsTheFindingWithANote() {
    let context = RuleContext(
      files: [], model: ModelChecker(scope: ModelScope(files: 2, maxStates: 3)))
    let explanation = context.explain(
      PollHeadLifetimeRule.scenario, rule: PollHeadLifetimeRule.description, at: Self.location)
    let finding = Finding(
      ruleID: "kernfs-poll-head-lifetime", severity: .error, confidence: .high, message: "m",
      location: Self.location, identity: Finding.Identity(rule: "kernfs-poll-head-lifetime"))
    let explained = explanation.map { $0.apply(to: finding) }
    #expect(explained?.trace == nil)
    #expect(explained?.confidence == .moderate)
    #expect(explained?.clauses == PollHeadLifetimeRule.description.clauses)
    #expect(explained?.notes.last?.message.contains("the model stopped after") == true)
    #expect(context.diagnostics.isEmpty)
  }

  @Test func aCounterexampleExplainsTheFinding() throws {
    let context = RuleContext(files: [])
    let explanation = try #require(
      context.explain(
        PollHeadLifetimeRule.scenario, rule: PollHeadLifetimeRule.description,
        at: Self.location))
    #expect(explanation.trace != nil)
    #expect(explanation.incomplete == nil)
  }
}
