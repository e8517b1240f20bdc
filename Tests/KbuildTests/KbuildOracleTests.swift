import Foundation
import Kbuild
import SeverCore
import Testing

private func load(_ tree: String, arch: String = "toy") throws -> KbuildOracle {
  try KbuildOracle.load(tree: "\(KbuildFixtures.root)/\(tree)", arch: arch)
}

@Test func unknownArchListsTheArchitecturesOfTheTree() {
  #expect(throws: KbuildError.unknownArch("sparc", available: ["arm64", "i386", "x86", "x86_64"])) {
    try load("perarch", arch: "sparc")
  }
}

@Test func unknownArchMessageIsOneSentence() {
  let message = KbuildError.unknownArch("sparc", available: ["arm64", "x86"]).description
  #expect(message == "unknown architecture 'sparc'; use one of: arm64, x86")
}

@Test func aDirectoryWithoutKconfigIsNotATree() {
  #expect(throws: KbuildError.notAKernelTree("\(KbuildFixtures.root)/perarch/lib")) {
    try KbuildOracle.load(tree: "\(KbuildFixtures.root)/perarch/lib", arch: "x86_64")
  }
}

@Test func kvmIsTristateOnX86AndBoolOnArm64() throws {
  let x86 = try load("perarch", arch: "x86_64")
  let arm64 = try load("perarch", arch: "arm64")
  #expect(x86.possibleValues(of: "KVM") == .all)
  #expect(arm64.possibleValues(of: "KVM") == .boolean)
  let answer = arm64.answer(for: "arch/arm64/kvm/arm.c")
  #expect(answer.verdict == .builtInOnly)
  #expect(answer.reason?.contains("KVM∈{m}") == true)
  #expect(answer.evidence.contains { $0.location.path == "arch/arm64/kvm/Kconfig" })
}

@Test func evidenceChainOfACompositeModule() throws {
  let answer = try load("makefiles").answer(for: "drivers/comp_bar.c")
  let lines = answer.evidence.map { "\($0.location.path):\($0.location.line)" }
  #expect(
    lines == [
      "drivers/Makefile:12", "drivers/Makefile:14", "Kbuild:3", "drivers/Kconfig:3",
      "drivers/Kconfig:7",
    ])
  #expect(answer.evidence.first?.note.contains("comp_bar.o is part of comp.o") == true)
}

@Test func wrapperMappingFindsUnityBuildIncludes() throws {
  let oracle = try load("wrappers")
  #expect(oracle.compilingWrappers(of: "kernel/sched/psi.c") == ["kernel/sched/build_utility.c"])
  #expect(
    oracle.wrapperMapping() == [
      "kernel/sched/psi.c": ["kernel/sched/build_utility.c"],
      "kernel/sched/cpuacct.c": ["kernel/sched/build_utility.c"],
      "drivers/inner.c": ["drivers/wrap.c"], "drivers/mid.c": ["drivers/wrap.c"],
      "kernel/sched/debug.c": ["kernel/sched/build_utility.c"],
      "kernel/sched/never.c": ["kernel/sched/build_utility.c"],
      "kernel/sched/fallback.c": ["kernel/sched/build_utility.c"],
      "kernel/sched/nodebug.c": ["kernel/sched/build_utility.c"],
      "kernel/sched/withdebug.c": ["kernel/sched/build_utility.c"],
    ])
  let psi = oracle.answer(for: "kernel/sched/psi.c")
  #expect(
    psi.evidence.first?.location
      == SourceLocation(path: "kernel/sched/build_utility.c", line: 2, column: 1))
}

@Test func absolutePathsAreAnsweredRelativeToTheRoot() throws {
  let oracle = try load("makefiles")
  let answer = oracle.answer(for: "\(KbuildFixtures.root)/makefiles/drivers/foo.c")
  #expect(answer.path == "drivers/foo.c")
  #expect(answer.verdict == .moduleCapable)
}

@Test func aMissingFileIsUnknownWithAReason() throws {
  let answer = try load("makefiles").answer(for: "drivers/nonexistent.c")
  #expect(answer.verdict == .unknown)
  #expect(answer.reason?.contains("no such file") == true)
}

@Test func notBuiltNamesTheMakefile() throws {
  let answer = try load("makefiles").answer(for: "drivers/unused.c")
  #expect(answer.reason == "no obj-y, obj-m or lib-y line of drivers/Makefile compiles it")
}

@Test func answersAreInTheOrderAsked() throws {
  let oracle = try load("makefiles")
  let paths = ["drivers/foo.c", "drivers/core.c"]
  #expect(oracle.answers(for: paths).map(\.path) == paths)
}
