import SeverCore

/// Answers "can this C file be part of a module on this architecture?" for any file of a kernel
/// tree, with the Makefile and Kconfig lines that show why.
///
/// `load` reads every kbuild file reachable from the root and the whole Kconfig tree of the
/// architecture once; `answer(for:)` then only looks values up (and reads the asked file for a
/// literal `#ifdef MODULE`).
public struct KbuildOracle: Sendable {
  /// The tree root as given.
  public let treeRoot: String
  /// The architecture asked for (`x86_64`, `arm64`, …).
  public let arch: String
  /// The directory under `arch/` (`x86` for `x86_64`).
  public let srcArch: String
  /// The configuration, when one was given.
  public let config: KernelConfig?

  let files: TreeFiles
  let kbuild: KbuildTree
  let kconfig: KconfigModel

  /// Architecture names that are spelled differently from their `arch/` directory.
  private static let aliases = [
    "x86_64": "x86", "i386": "x86", "sparc32": "sparc", "sparc64": "sparc", "parisc64": "parisc",
    "sh64": "sh",
  ]

  /// Reads the tree for one architecture.
  /// - Parameters:
  ///   - tree: the kernel tree root.
  ///   - arch: an architecture name (`x86_64`, `arm64`, or any directory under `arch/`).
  ///   - config: a `.config`, for `configState` in the answers.
  /// - Throws: `KbuildError` when the tree or the architecture is not usable.
  public static func load(
    tree: String, arch: String, config: KernelConfig? = nil, overlay: [String: String] = [:]
  ) throws(KbuildError) -> KbuildOracle {
    let (files, srcArch) = try validate(tree: tree, arch: arch, overlay: overlay)
    return KbuildOracle(
      treeRoot: tree, arch: arch, srcArch: srcArch, config: config, files: files,
      kbuild: KbuildTree(tree: files, arch: arch, srcArch: srcArch),
      kconfig: readKconfig(files: files, arch: arch, srcArch: srcArch))
  }

  /// Like `load(tree:arch:config:overlay:)`, reading the Kconfig tree and the kbuild files in
  /// parallel. `overlay` (tree-relative path → text) replaces files on disk: a patch's
  /// Kconfig and Makefile changes, held in memory.
  public static func load(
    tree: String, arch: String, config: KernelConfig? = nil, overlay: [String: String] = [:]
  ) async throws(KbuildError) -> KbuildOracle {
    let (files, srcArch) = try validate(tree: tree, arch: arch, overlay: overlay)
    async let walked = KbuildTree(tree: files, arch: arch, srcArch: srcArch)
    let kconfig = readKconfig(files: files, arch: arch, srcArch: srcArch)
    return KbuildOracle(
      treeRoot: tree, arch: arch, srcArch: srcArch, config: config, files: files,
      kbuild: await walked, kconfig: kconfig)
  }

  private static func validate(tree: String, arch: String, overlay: [String: String])
    throws(KbuildError) -> (TreeFiles, String)
  {
    let files = TreeFiles(root: tree, overlay: overlay)
    guard files.isFile("Kconfig"), files.kbuildFile(of: "") != nil else {
      throw .notAKernelTree(tree)
    }
    let srcArch = aliases[arch] ?? arch
    guard !srcArch.isEmpty, !srcArch.contains("/"), files.isFile("arch/\(srcArch)/Kconfig") else {
      throw .unknownArch(arch, available: availableArches(tree: tree))
    }
    return (files, srcArch)
  }

  private static func readKconfig(files: TreeFiles, arch: String, srcArch: String) -> KconfigModel {
    var parser = KconfigParser(tree: files, arch: arch, srcArch: srcArch)
    parser.parse(path: "Kconfig")
    if !parser.visitedArchKconfig(srcArch) { parser.parse(path: "arch/\(srcArch)/Kconfig") }
    return KconfigModel(definitions: parser.definitions)
  }

  /// Tree-relative files the answers may depend on that exist but could not be read (FIFOs,
  /// devices, unreadable files, files over 16 MiB), so far; a reader of the answers should say
  /// that they may be incomplete.
  public var skippedFiles: [String] { files.skippedFiles }

  /// Tree-relative paths of every file read so far (Kconfig, Kbuild files, and C files looked
  /// at for `#ifdef MODULE`), sorted: what a cache of the answers depends on.
  public var readFiles: [String] { files.readFiles }

  /// Answers for many files, split over `jobs` tasks; same result as `answers(for:)`.
  public func answers(for paths: [String], jobs: Int) async -> [ModuleCapability] {
    let jobs = max(1, min(jobs, paths.count))
    let chunk = (paths.count + jobs - 1) / max(jobs, 1)
    return await withTaskGroup(of: (Int, [ModuleCapability]).self) { group in
      for index in 0..<jobs {
        let slice = Array(
          paths[min(paths.count, index * chunk)..<min(paths.count, (index + 1) * chunk)])
        group.addTask { (index, self.answers(for: slice)) }
      }
      var parts: [[ModuleCapability]] = Array(repeating: [], count: jobs)
      for await (index, part) in group { parts[index] = part }
      return parts.flatMap { $0 }
    }
  }

  /// Architectures of a tree: the directories under `arch/` that hold a `Kconfig`, plus the
  /// usual aliases (`x86_64`, `i386`), sorted.
  public static func availableArches(tree: String) -> [String] {
    let files = TreeFiles(root: tree)
    var names = files.list("arch").filter { files.isFile("arch/\($0)/Kconfig") }
    if names.contains("x86") { names += ["x86_64", "i386"] }
    return names.sorted()
  }

  /// The values a Kconfig symbol (without `CONFIG_`) can take on this architecture.
  public func possibleValues(of symbol: String) -> TristateSet { kconfig.values(of: symbol) }

  /// A few lines on a Kconfig symbol: its possible values and each definition with the
  /// dependency it inherits from enclosing `menu`/`if`/`choice` blocks.
  public func describeSymbol(_ symbol: String) -> String {
    var lines = ["CONFIG_\(symbol) on \(arch): can be \(kconfig.values(of: symbol))"]
    for d in kconfig.definitions[symbol] ?? [] {
      lines.append(
        "  \(d.location.path):\(d.location.line): \(d.typeLine ?? "(no type)"); depends on \(d.dependency)"
      )
    }
    for rev in kconfig.reverse[symbol] ?? [] {
      lines.append("  selected by \(rev.selector) if \(rev.condition)")
    }
    return lines.joined(separator: "\n")
  }

  /// Every C file some kbuild file compiles on this architecture (under some configuration),
  /// sorted.
  public var compiledSources: [String] { kbuild.placements.keys.sorted() }

  /// Every `.c` file of the tree, compiled or not, sorted.
  public func allCSources() -> [String] { files.allFiles(withSuffix: ".c") }

  /// The ways a C file is compiled, straight from the kbuild files (no wrapper following).
  public func placements(of path: String) -> [Placement] {
    kbuild.placements[relative(path)] ?? []
  }

  /// The tree-relative form of a path given on the command line or by the pipeline.
  public func relative(_ path: String) -> String {
    if path.hasPrefix("/") {
      let root = files.root.hasSuffix("/") ? files.root : files.root + "/"
      return path.hasPrefix(root) ? MakeText.normalize(String(path.dropFirst(root.count))) : path
    }
    return MakeText.normalize(path)
  }

  /// The answer for one C file.
  public func answer(for path: String) -> ModuleCapability {
    var wrappers = WrapperIndex(files: files, placed: kbuild.placements)
    return answer(for: relative(path), wrappers: &wrappers, depth: 0)
  }

  /// Answers for many files in one pass, in the order given; wrapper scans are shared.
  public func answers(for paths: [String]) -> [ModuleCapability] {
    var wrappers = WrapperIndex(files: files, placed: kbuild.placements)
    return paths.map { answer(for: relative($0), wrappers: &wrappers, depth: 0) }
  }

  /// The C files that compile `path` through `#include "….c"` (kernel/sched/psi.c →
  /// kernel/sched/build_utility.c), sorted. Only files some kbuild file compiles count.
  public func compilingWrappers(of path: String) -> [String] {
    var wrappers = WrapperIndex(files: files, placed: kbuild.placements)
    return wrappers.wrappers(of: relative(path)).map(\.wrapper)
  }

  /// Every included C file of the tree's compiled sources and the files that compile it; this
  /// reads every compiled C file, so it costs a few seconds on a full tree.
  public func wrapperMapping() -> [String: [String]] {
    WrapperIndex(files: files, placed: kbuild.placements).fullMapping()
  }

  func answer(for path: String, wrappers: inout WrapperIndex, depth: Int) -> ModuleCapability {
    let (exists, ifdefModule) = IfdefModuleScanner.scan(files.bytes(path))
    guard exists else {
      return ModuleCapability(
        path: path, arch: arch, verdict: .unknown,
        reason: "no such file in the tree at \(treeRoot)")
    }
    let placed = kbuild.placements[path] ?? []
    if placed.isEmpty {
      let including = depth < 3 ? wrappers.wrappers(of: path) : []
      if !including.isEmpty {
        return answerThroughWrappers(
          path: path, including: including, ifdefModule: ifdefModule, wrappers: &wrappers,
          depth: depth)
      }
      return ModuleCapability(
        path: path, arch: arch, verdict: .notBuilt, configState: config.map { _ in .n },
        hasIfdefModule: ifdefModule, reason: notBuiltReason(path))
    }
    return Verdicts(oracle: self).decide(path: path, placements: placed, ifdefModule: ifdefModule)
  }

  private func answerThroughWrappers(
    path: String, including: [WrapperIndex.Inclusion], ifdefModule: Bool,
    wrappers: inout WrapperIndex, depth: Int
  ) -> ModuleCapability {
    var answers = including.map { answer(for: $0.wrapper, wrappers: &wrappers, depth: depth + 1) }
    // The `#if` around the include narrows the wrapper's answer.
    for (index, inclusion) in including.enumerated() where !inclusion.condition.atoms.isEmpty {
      if !inclusion.condition.isFeasible({ kconfig.values(of: $0) }) {
        answers[index].verdict = .notBuilt
        answers[index].reason = "the #include needs \(inclusion.condition), which cannot hold"
      }
      if let config, !inclusion.condition.holds(in: config) { answers[index].configState = .n }
    }
    let rank: [ModuleCapability.Verdict: Int] = [
      .moduleCapable: 3, .builtInOnly: 2, .unknown: 1, .notBuilt: 0,
    ]
    var best = 0
    for (index, candidate) in answers.enumerated()
    where rank[candidate.verdict, default: 0] > rank[answers[best].verdict, default: 0] {
      best = index
    }
    let chosen = answers[best]
    let inclusion = including[best]
    let guarded = inclusion.condition.atoms.isEmpty ? "" : " when \(inclusion.condition)"
    let link = ModuleCapability.Evidence(
      location: inclusion.location, text: inclusion.text,
      note: "\(path) is compiled as part of \(inclusion.wrapper)\(guarded)")
    let guards = inclusion.condition.atoms.keys.sorted().flatMap {
      Verdicts(oracle: self).kconfigEvidence($0, required: inclusion.condition.atoms[$0] ?? .none)
    }
    let states = answers.compactMap(\.configState)
    return ModuleCapability(
      path: path, arch: arch, verdict: chosen.verdict, configState: states.max(),
      hasIfdefModule: ifdefModule, reason: chosen.reason,
      evidence: Verdicts.unique([link] + chosen.evidence + guards))
  }

  private func notBuiltReason(_ path: String) -> String {
    let dir = path.split(separator: "/").dropLast().joined(separator: "/")
    var ancestor = dir
    while !ancestor.isEmpty && kbuild.reaches[ancestor] == nil {
      ancestor = ancestor.split(separator: "/").dropLast().joined(separator: "/")
    }
    if ancestor == dir {
      return "no obj-y, obj-m or lib-y line of \(files.kbuildFile(of: dir) ?? dir) compiles it"
    }
    let shown = ancestor.isEmpty ? "the root Kbuild" : (files.kbuildFile(of: ancestor) ?? ancestor)
    return "\(dir)/ is not descended into on \(arch): \(shown) has no obj-* line leading there"
  }
}

extension KconfigParser {
  /// Whether the top-level Kconfig already sourced the architecture's Kconfig.
  func visitedArchKconfig(_ srcArch: String) -> Bool {
    definitions.contains { $0.location.path.hasPrefix("arch/\(srcArch)/") }
  }
}
