import KernfsModel
import SeverCore
import Testing

/// The printed forms: rules table, DOT, Mermaid and the text verdict.
@Suite("Printing")
struct PrintingTests {
  @Test("The rules table lists every clause once, with its coverage")
  func rulesTable() {
    let table = RuleCatalog.textTable()
    for rule in ContractRule.allCases {
      #expect(table.contains("\n\(rule.rawValue) "), "\(rule)")
    }
    #expect(
      RuleCatalog.markdownTable().split(separator: "\n").count == ContractRule.allCases.count + 2)
    #expect(RuleCatalog.coverage(of: .K8) == .detected)
    #expect(RuleCatalog.coverage(of: .K14) == .notModelled)
  }

  @Test("Every clause a fixture breaks is marked detected")
  func detectedMatchesFixtures() {
    for rule in FixtureFolderTests.expected.values {
      #expect(RuleCatalog.coverage(of: rule) == .detected, "\(rule)")
    }
  }

  @Test("DOT and Mermaid draw every machine and every violation edge")
  func diagrams() {
    let diagram = LifecycleDiagram()
    let dot = diagram.dot()
    let mermaid = diagram.mermaid()
    #expect(dot.hasPrefix("digraph kernfs_model {"))
    #expect(dot.hasSuffix("}\n"))
    #expect(mermaid.hasPrefix("stateDiagram-v2"))
    for machine in diagram.machines {
      #expect(dot.contains("subgraph cluster_\(machine.id)"))
      #expect(mermaid.contains("as \(machine.id) {"))
    }
    for edge in diagram.edges where edge.breaks {
      #expect(dot.contains("\(edge.machine)_\(edge.to) [label=\"✗ \(edge.to)\""))
    }
    // Balanced quotes keep the DOT parseable.
    #expect(dot.filter { $0 == "\"" }.count.isMultiple(of: 2))
  }

  @Test("Every event a fixture trace uses is drawn in the diagram")
  func diagramShowsTraceEvents() throws {
    let names = LifecycleDiagram().eventNames
    let checker = ModelChecker()
    for file in try FixtureSupport.fileNames() where file.hasPrefix("unsafe-") {
      let verdict = try checker.check(FixtureSupport.summary(String(file.dropLast(5))))
      for event in FixtureSupport.eventNames(verdict) {
        #expect(names.contains(event), "\(event) from \(file)")
      }
    }
  }

  @Test("The text verdict numbers steps and ends with the clause")
  func textVerdict() throws {
    let verdict = try ModelChecker().check(FixtureSupport.summary("unsafe-psi-select-2023"))
    let text = verdict.text()
    #expect(text.hasPrefix("psi-select-2023: violates K8"))
    #expect(text.contains("  1. open(F1)"))
    #expect(text.contains("\n=> K8: "))
    let safe = try ModelChecker().check(FixtureSupport.summary("safe-psi-kernfs-poll-2023"))
    #expect(safe.text().contains(": safe: \(safe.statesExplored) states"))
  }
}
