import Foundation
import Kbuild
import SeverCore
import Testing

/// The fixture trees under Fixtures/kbuild/, each with an `expected.json`.
enum KbuildFixtures {
  static let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("Fixtures/kbuild").path
  }()

  /// One architecture (and maybe one configuration) of a fixture tree.
  struct Case: Decodable, Sendable, CustomStringConvertible {
    var arch: String
    var config: String?
    var expect: [String: Expectation]
    var tree: String = ""
    var description: String { "\(tree) [\(arch)]" }

    enum CodingKeys: String, CodingKey {
      case arch, config, expect
    }
  }

  /// What one file must get.
  struct Expectation: Decodable, Sendable {
    var verdict: ModuleCapability.Verdict
    var configState: Tristate?
    var hasIfdefModule: Bool?
  }

  private struct File: Decodable {
    var cases: [Case]
  }

  static let trees = ["makefiles", "kconfig", "perarch", "wrappers"]

  static var cases: [Case] {
    trees.flatMap { tree -> [Case] in
      let path = "\(root)/\(tree)/expected.json"
      guard let data = FileManager.default.contents(atPath: path),
        let file = try? JSONDecoder().decode(File.self, from: data)
      else { return [] }
      return file.cases.map {
        var c = $0
        c.tree = tree
        return c
      }
    }
  }

  static func oracle(_ c: Case) throws -> KbuildOracle {
    let tree = "\(root)/\(c.tree)"
    var config: KernelConfig?
    if let name = c.config, let data = FileManager.default.contents(atPath: "\(tree)/\(name)") {
      config = KernelConfig(parsing: String(decoding: data, as: UTF8.self))
    }
    return try KbuildOracle.load(tree: tree, arch: c.arch, config: config)
  }
}

@Test func fixtureTreesAreFound() {
  #expect(KbuildFixtures.cases.count == 8)
}

@Test(arguments: KbuildFixtures.cases)
func fixtureAnswersMatchExpected(_ c: KbuildFixtures.Case) throws {
  let oracle = try KbuildFixtures.oracle(c)
  for path in c.expect.keys.sorted() {
    guard let expected = c.expect[path] else { continue }
    let answer = oracle.answer(for: path)
    #expect(answer.verdict == expected.verdict, "\(c): \(path) \(answer.reason ?? "")")
    if let state = expected.configState {
      #expect(answer.configState == state, "\(c): \(path) config state")
    }
    if let ifdef = expected.hasIfdefModule {
      #expect(answer.hasIfdefModule == ifdef, "\(c): \(path) #ifdef MODULE")
    }
    if answer.verdict != .notBuilt {
      #expect(!answer.evidence.isEmpty, "\(c): \(path) has an evidence chain")
    }
  }
}

@Test(arguments: KbuildFixtures.cases)
func everyFixtureFileHasAnExpectation(_ c: KbuildFixtures.Case) throws {
  // The first case of each single-arch tree lists every compiled file; later ones only some.
  let first = KbuildFixtures.cases.first { $0.tree == c.tree }
  guard c.arch == "toy", first?.config == c.config else { return }
  let oracle = try KbuildFixtures.oracle(c)
  for source in oracle.compiledSources {
    #expect(c.expect[source] != nil, "\(c): \(source) is compiled but has no expectation")
  }
}
