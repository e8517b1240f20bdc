import Foundation
import Testing

@testable import Kbuild

/// Inputs that made a fuzz target (`make fuzz`) crash, hang or run out of memory, kept under
/// `Fixtures/fuzz/<target>/`: each must now be read quickly.
enum FuzzInputs {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz")
    .path

  /// The saved inputs of a target, as (file name, text).
  static func of(_ target: String) -> [String] {
    let directory = root + "/" + target
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.sorted().map { directory + "/" + $0 }
  }

  static func text(_ path: String) -> String {
    String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
  }
}

@Test(arguments: FuzzInputs.of("fuzz-makefile"))
func makefileFuzzInputIsReadQuickly(_ path: String) {
  let elapsed = ContinuousClock().measure {
    _ = KbuildTextReaders.readMakefile(FuzzInputs.text(path))
  }
  #expect(elapsed < .seconds(5), "\(path)")
}

@Test(arguments: FuzzInputs.of("fuzz-kconfig"))
func kconfigFuzzInputIsReadQuickly(_ path: String) {
  let elapsed = ContinuousClock().measure {
    _ = KbuildTextReaders.readKconfig(FuzzInputs.text(path))
  }
  #expect(elapsed < .seconds(5), "\(path)")
}

@Test func aMakefileIncludingItselfIsReadOnce() {
  let tree = TreeFiles(memory: ["Makefile": "obj-y += a.o\ninclude $(src)/Makefile\n"])
  var evaluator = MakefileEvaluator(tree: tree, directory: "", globals: [:])
  evaluator.read(path: "Makefile")
  #expect(evaluator.variables["obj-y"]?.map(\.text) == ["a.o"])
}
