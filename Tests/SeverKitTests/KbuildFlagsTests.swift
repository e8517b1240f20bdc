import Foundation
import SeverCore
import SeverSupport
import SeverTestSupport
import Testing

@testable import SeverKit

/// Units parse cleanly only with the flags Kbuild would give them (`Fixtures/kbuild-flags`):
/// per-directory and per-object flags, module defines, each unit under an architecture that
/// builds it with `--arch auto`, and the coverage line's causes for what still fails.
@Suite struct KbuildFlagsTests {
  static let tree = FixturePaths.fixtures + "/kbuild-flags"

  func facts(arch: String, paths: [String] = [KbuildFlagsTests.tree]) async throws -> CheckResult {
    var options = CheckOptions(
      paths: paths, arch: arch, jobs: 2, cacheBase: FixturePaths.temporary("flags-cache"),
      prefilter: false)
    options.useCache = false
    return try await Pipeline.facts(options)
  }

  func errors(_ result: CheckResult) -> [String: Int] {
    Dictionary(uniqueKeysWithValues: result.files.map { ($0.path, $0.parseErrorCount) })
  }

  @Test func everyObjectParsesWithItsKbuildFlags() async throws {
    let result = try await facts(arch: "x86_64")
    let errors = errors(result)
    for path in ["drivers/flags/alpha.c", "drivers/flags/beta.c", "drivers/flags/special.c"] {
      #expect(errors[path] == 0, "\(path): \(result.diagnostics.filter { $0.path == path })")
    }
    // What x86_64's Kbuild does not compile is left out, counted and listed.
    #expect(errors["drivers/armonly/armonly.c"] == nil && errors["drivers/flags/off.c"] == nil)
    #expect(result.coverage.line.contains("3 units x86_64 does not build left out"))
    #expect(result.coverage.unitsWithErrors == 0)
  }

  @Test func aNamedFileIsParsedEvenWhereItIsNotBuilt() async throws {
    let result = try await facts(
      arch: "x86_64",
      paths: [Self.tree + "/drivers/armonly/armonly.c", Self.tree + "/drivers/flags/off.c"])
    let errors = errors(result)
    // off.c gets its own symbol (CONFIG_FLAGS_OFF) and parses.
    #expect(errors["drivers/flags/off.c"] == 0)
    // armonly.c is arm64 code: with x86's flags it fails, and the coverage line says why.
    #expect(errors["drivers/armonly/armonly.c", default: 0] > 0)
    #expect(result.coverage.causes == [ParseErrorCause.otherArchitecture.rawValue: 1])
    #expect(
      result.coverage.line.contains("1 with parse errors (1 errors; by cause: other-arch file 1)"))
  }

  @Test func autoParsesEachUnitUnderAnArchitectureThatBuildsIt() async throws {
    let result = try await facts(arch: "auto")
    let errors = errors(result)
    #expect(errors["drivers/armonly/armonly.c"] == 0, "parsed under arm64")
    #expect(errors["drivers/flags/alpha.c"] == 0, "parsed under x86_64, the first")
    #expect(errors["drivers/nowhere/nowhere.c"] == nil, "no architecture builds it")
    #expect(errors["drivers/flags/off.c"] == nil, "its symbol cannot be enabled anywhere")
    #expect(result.coverage.unbuilt == 2)
    #expect(result.coverage.line.contains("2 units no supported architecture builds left out"))
    #expect(
      result.diagnostics.contains {
        $0.path == "drivers/nowhere/nowhere.c" && $0.isListedOnlyWhenVerbose
      })
    #expect(result.coverage.unitsWithErrors == 0)
  }

  /// A helper file tier 1 adds after the Kbuild stage is parsed under the architecture of the
  /// units beside it: on linux-6.12 with `--arch auto`, s390 and powerpc helpers parsed under
  /// x86_64 were most of the units with parse errors.
  @Test func aHelperIsParsedUnderItsNeighboursArchitecture() {
    let placements = [
      "arch/s390/kvm/kvm-s390.c": "s390", "arch/s390/kvm/priv.c": "s390",
      "drivers/armonly/armonly.c": "arm64", "drivers/flags/alpha.c": "x86_64",
    ]
    #expect(ArgumentBuilder.besideArch("arch/s390/kvm/gaccess.c", placements: placements) == "s390")
    #expect(
      ArgumentBuilder.besideArch("drivers/armonly/helper.c", placements: placements) == "arm64")
    #expect(ArgumentBuilder.besideArch("drivers/other/helper.c", placements: placements) == nil)
  }

  @Test func argumentsCarryTheObjectsFlagsWithAbsolutePaths() throws {
    let flags = KbuildFlags.preprocessorFlags(
      [
        "-I", "drivers/flags/include", #"-DNAME='"text"'"#, "-Wno-unused", "-include",
        "./include/x.h", "-mno-red-zone", "-Ufoo", "-isystem", "/abs",
      ],
      root: "/src", build: nil)
    #expect(
      flags == [
        "-I", "/src/drivers/flags/include", #"-DNAME="text""#, "-include", "/src/include/x.h",
        "-Ufoo", "-isystem", "/abs",
      ])
    let out = KbuildFlags.preprocessorFlags(["-Idrivers/x"], root: "/src", build: "/obj")
    #expect(out == ["-I", "/src/drivers/x", "-I", "/obj/drivers/x"])
  }

  @Test func cachedAnswersKeepWhatEarlierRunsAsked() async throws {
    // make C=1 asks for one object at a time: the first run stores the whole tree's answers, so
    // earlier objects stay answered and later ones find theirs.
    let cache = FixturePaths.temporary("kbuild-answers")
    defer { try? FileManager.default.removeItem(atPath: cache) }
    for unit in ["drivers/flags/alpha.c", "drivers/flags/beta.c"] {
      _ = try await KbuildAnswers.load(
        root: Self.tree, arch: "x86_64", paths: [unit], units: [unit], given: nil,
        cacheBase: cache, useCache: true)
    }
    // The tree's Kbuild state answers both, and every other unit of the tree, from one read.
    let state = KbuildTreeState(cacheBase: cache, root: Self.tree, arch: "x86_64")
    let units = ["drivers/flags/alpha.c", "drivers/flags/beta.c"]
    let stored = try #require(state.answers(for: units, units: units, overlay: [:]))
    #expect(stored.capabilities.keys.sorted() == units)
    #expect(stored.flags.keys.sorted() == units)
  }

  @Test func parseErrorsAreClassified() {
    #expect(
      ParseErrorCause.classify(messages: ["'x.h' file not found"], otherArchitecture: false)
        == .missingHeader)
    #expect(
      ParseErrorCause.classify(messages: ["'x.h' file not found"], otherArchitecture: true)
        == .otherArchitecture)
    #expect(
      ParseErrorCause.classify(
        messages: ["invalid output constraint '=YZ<>' in asm"], otherArchitecture: false)
        == .compilerDifference)
    // gcc accepts attributes in places clang 14 rejects them.
    #expect(
      ParseErrorCause.classify(
        messages: ["'section' attribute only applies to functions, global variables"],
        otherArchitecture: false) == .compilerDifference)
    #expect(
      ParseErrorCause.classify(messages: ["unknown argument: '-mfoo'"], otherArchitecture: false)
        == .unknownArgument)
    #expect(
      ParseErrorCause.classify(messages: ["expected ';'"], otherArchitecture: false) == .other)
  }

  @Test func autoWithAConfigurationIsThatConfigurationsArchitecture() throws {
    let path = FixturePaths.temporary("arm64-config")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try "CONFIG_ARM64=y\nCONFIG_64BIT=y\n".write(toFile: path, atomically: true, encoding: .utf8)
    var options = CheckOptions(paths: [Self.tree], arch: "auto", configPath: path)
    #expect(try options.resolvingArchitecture().arch == "arm64")
    try "CONFIG_64BIT=y\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: SeverKitError.configArchitectureUnknown(path: path)) {
      try options.resolvingArchitecture()
    }
    options.arch = "x86_64"
    #expect(try options.resolvingArchitecture().arch == "x86_64", "an explicit --arch stays")
  }

  @Test func aConfigurationNamesItsArchitecture() {
    #expect(ArchitectureTable.arch(of: KernelConfig(values: ["ARM64": "y"])) == "arm64")
    #expect(
      ArchitectureTable.arch(of: KernelConfig(values: ["X86_64": "y", "X86": "y"])) == "x86_64")
    #expect(ArchitectureTable.arch(of: KernelConfig(values: [:])) == nil)
  }
}
