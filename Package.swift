// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "sever",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "sever", targets: ["sever"]),
    // libFuzzer targets of the text readers (`make fuzz`); a plain build makes input replayers.
    .executable(name: "fuzz-patch", targets: ["FuzzPatch"]),
    .executable(name: "fuzz-kconfig", targets: ["FuzzKconfig"]),
    .executable(name: "fuzz-makefile", targets: ["FuzzMakefile"]),
    .executable(name: "fuzz-config", targets: ["FuzzConfig"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    // Low-level utilities every module may use: bounded reads, lstat, byte search, atomic writes.
    .target(name: "SeverSupport"),
    // libclang 14 from Debian's libclang-dev, through a module map and a symlink to the system headers.
    .target(name: "CClang", linkerSettings: [.linkedLibrary("clang-14")]),
    // glibc's posix_spawn helpers that Swift's Glibc module does not show (the worker pool's).
    .target(name: "CSpawn"),
    // Plain values shared by every module; knows nothing of libclang.
    .target(name: "SeverCore"),
    // The executable reference model of the contract; depends only on the core values.
    .target(name: "KernfsModel", dependencies: ["SeverCore"]),
    // Kconfig and Kbuild reading: can a file be part of a module, per architecture.
    .target(name: "Kbuild", dependencies: ["SeverCore"]),
    // The only importer of CClang: C translation units in, FileFacts out.
    .target(name: "Extraction", dependencies: ["CClang", "SeverCore"]),
    // Tier 1: a C lexer and scanner of top-level definitions, no preprocessing, no libclang.
    .target(name: "Scan", dependencies: ["SeverCore"]),
    // The rules: linked facts in, findings with model traces out; no libclang.
    .target(name: "Rules", dependencies: ["SeverCore", "KernfsModel", "Scan"]),
    // Renders a Report (findings, rules, diagnostics) in every format; reads values only.
    .target(name: "Reporters", dependencies: ["SeverCore"]),
    // .sever.yml, inline suppressions and baselines, applied to findings.
    .target(
      name: "SeverConfiguration",
      dependencies: ["SeverCore", "SeverSupport", .product(name: "Yams", package: "Yams")]),
    // The pipeline: discover files, build arguments, extract in parallel, join, report.
    .target(
      name: "SeverKit",
      dependencies: [
        "SeverCore", "CSpawn", "Extraction", "Kbuild", "Rules", "SeverConfiguration", "Scan",
        "SeverSupport",
      ]),
    // sever review: patches and mail in, applied in memory, what a patch introduces out.
    .target(
      name: "Review",
      dependencies: [
        "SeverKit", "SeverCore", "Reporters", "Rules", "SeverConfiguration", "SeverSupport",
      ]),
    // sever fix: the rules' fixes as patches (diff, mbox), git history, writes in place.
    .target(
      name: "Fix", dependencies: ["SeverCore", "Rules", "Reporters", "SeverSupport"]),
    .executableTarget(
      name: "sever",
      dependencies: [
        "SeverKit", "SeverCore", "KernfsModel", "Kbuild", "Rules", "Review", "Reporters", "Scan",
        "SeverConfiguration", "SeverSupport", "Fix",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Fuzz targets: each feeds libFuzzer's input to one reader's public entry point.
    .target(name: "CFuzzDriver"),
    .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"]),
    .executableTarget(name: "FuzzPatch", dependencies: ["FuzzSupport", "Review"]),
    .executableTarget(name: "FuzzKconfig", dependencies: ["FuzzSupport", "Kbuild"]),
    .executableTarget(name: "FuzzMakefile", dependencies: ["FuzzSupport", "Kbuild"]),
    .executableTarget(name: "FuzzConfig", dependencies: ["FuzzSupport", "SeverConfiguration"]),
    // What the tests share: the binary runner, golden files with a line diff, the rule harness.
    .target(
      name: "SeverTestSupport", dependencies: ["Extraction", "Rules", "SeverCore"],
      path: "Tests/SeverTestSupport"),
    .testTarget(name: "SeverCoreTests", dependencies: ["SeverCore"]),
    .testTarget(name: "KernfsModelTests", dependencies: ["KernfsModel", "SeverCore"]),
    .testTarget(name: "KbuildTests", dependencies: ["Kbuild", "SeverCore"]),
    .testTarget(
      name: "RulesTests",
      dependencies: ["Rules", "SeverKit", "SeverCore", "KernfsModel", "SeverTestSupport"]),
    .testTarget(
      name: "ReportersTests", dependencies: ["Reporters", "SeverCore", "SeverTestSupport"]),
    .testTarget(
      name: "SeverConfigurationTests",
      dependencies: ["SeverConfiguration", "SeverCore", "SeverTestSupport"]),
    .testTarget(
      name: "SeverKitTests", dependencies: ["SeverKit", "SeverCore", "Rules", "SeverTestSupport"]),
    .testTarget(
      name: "ScanTests", dependencies: ["Scan", "Rules", "SeverCore", "SeverTestSupport"]),
    .testTarget(
      name: "ExtractionTests",
      dependencies: ["Extraction", "SeverCore", "SeverKit", "SeverTestSupport"]),
    .testTarget(
      name: "CLITests",
      dependencies: [
        "sever", "SeverCore", "SeverConfiguration", "Rules", "SeverTestSupport",
        .product(name: "Yams", package: "Yams"),
      ]),
    .testTarget(
      name: "FixTests",
      dependencies: ["Fix", "Rules", "SeverKit", "SeverCore", "SeverTestSupport"]),
    .testTarget(
      name: "ReviewTests",
      dependencies: ["Review", "sever", "SeverKit", "SeverCore", "SeverTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)

// Every Swift module imports what it uses: with MemberImportVisibility a member of a module that is
// only imported transitively does not resolve, so the module table in the README cannot drift.
for target in package.targets where !["CClang", "CFuzzDriver"].contains(target.name) {
  target.swiftSettings =
    (target.swiftSettings ?? []) + [
      .enableUpcomingFeature("MemberImportVisibility")
    ]
}
