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

  /// The CPU time `body` takes on this thread, in seconds: wall time would also count the
  /// other tests and processes sharing the machine.
  static func cpuSeconds(_ body: () -> Void) -> Double {
    func now() -> Double {
      var time = timespec()
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
      return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
    let start = now()
    body()
    return now() - start
  }

  static func text(_ path: String) -> String {
    String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
  }
}

/// Before their fixes these took from half a minute (optimised) to minutes (debug build) each;
/// now about a second or two in a debug build. Timed in CPU time of this thread, as wall time
/// also counts the tests and processes sharing the machine.
@Test(arguments: FuzzInputs.of("fuzz-makefile"))
func makefileFuzzInputIsReadQuickly(_ path: String) {
  let seconds = FuzzInputs.cpuSeconds {
    _ = KbuildTextReaders.readMakefile(FuzzInputs.text(path))
  }
  #expect(seconds < 15, "\(path)")
}

@Test func aMakefileIncludingItselfIsReadOnce() {
  let tree = TreeFiles(memory: ["Makefile": "obj-y += a.o\ninclude $(src)/Makefile\n"])
  var evaluator = MakefileEvaluator(tree: tree, directory: "", globals: [:])
  evaluator.read(path: "Makefile")
  #expect(evaluator.variables["obj-y"]?.map(\.text) == ["a.o"])
}
