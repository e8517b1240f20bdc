import Foundation
import SeverCore
import Testing

/// The core values: ordering, naming and JSON round trips.
@Suite struct ValueTests {
  @Test func locationsPrintAndSortLikeCompilers() {
    let a = SourceLocation(path: "fs/kernfs/file.c", line: 9, column: 3)
    let b = SourceLocation(path: "fs/kernfs/file.c", line: 10, column: 1)
    let c = SourceLocation(path: "fs/sysfs/file.c", line: 1, column: 1)
    #expect(a.description == "fs/kernfs/file.c:9:3")
    #expect([c, b, a].sorted() == [a, b, c])
  }

  @Test func tableKindsAreStructTags() {
    #expect(TableKind(structTag: "kernfs_ops") == .kernfsOps)
    #expect(TableKind(structTag: "cftype")?.cSpelling == "struct cftype")
    #expect(TableKind(structTag: "kernfs_node") == nil)
  }

  @Test func tablesNameTheirElements() {
    let location = SourceLocation(path: "a.c", line: 1, column: 1)
    let field = TableField(name: "owner", value: "THIS_MODULE", location: location)
    let table = CallbackTable(
      name: "files", kind: .cftype, location: location, index: 3, isStatic: true, fields: [field])
    #expect(table.qualifiedName == "files[3]")
    #expect(table.owner == "THIS_MODULE")
    #expect(table.field("release") == nil)
  }

  @Test func factsRoundTripThroughJSON() throws {
    let location = SourceLocation(path: "a.c", line: 2, column: 5)
    let facts = FileFacts(
      path: "a.c",
      dispatches: [
        DispatchSite(
          tableKind: .kernfsOps, field: "release", enclosingFunction: "f",
          expression: "ops->release", location: location)
      ], parseErrorCount: 1,
      diagnostics: [
        ToolDiagnostic(kind: .parseError, path: "a.c", message: "x", location: location)
      ])
    let data = try JSONEncoder().encode(facts)
    #expect(try JSONDecoder().decode(FileFacts.self, from: data) == facts)
  }

  @Test func contractRulesFollowTheDocumentOrder() {
    #expect(ContractRule.K2 < .K10)
    #expect(ContractRule.K18 < .C1)
    #expect(ContractRule.allCases.count == 35)
    #expect(ContractRule.allCases.allSatisfy { !$0.title.isEmpty })
  }

  @Test func severitiesAreOrdered() {
    #expect(Severity.note < .warning && Severity.warning < .error)
  }
}
