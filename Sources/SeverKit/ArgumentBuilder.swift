import Foundation
import Kbuild
import SeverCore

/// Makes the clang arguments for each translation unit, one of three ways: from a compilation
/// database, Kbuild's flags for a kernel tree (the tree-wide ones, then each object's own from
/// its kbuild files: `KbuildStage`), or defaults for a lone file. Every way ends with
/// `-ferror-limit=0` (clang otherwise stops after 20 errors and loses the rest of the file) and
/// `-w` (warnings are not coverage problems).
public struct ArgumentBuilder: Sendable {
  /// What the units of one architecture are compiled with.
  struct Setup: Sendable {
    /// The `--arch` value.
    var arch: String
    /// The generated headers sever prepared, when the tree is not configured (or as the
    /// fallback behind a build directory).
    var shim: ShimDirectory?
  }

  let root: String
  let mode: InputSet.Mode
  /// The run's architecture; with `--arch auto`, the one a unit gets when no other is recorded.
  let arch: String
  let setups: [String: Setup]
  let database: CompilationDatabase?
  let build: BuildDirectory?
  let resourceInclude: String?
  /// Arguments the build gave for some units (absolute path → arguments).
  let overrides: [String: [String]]
  /// Each unit's architecture, by absolute path (`--arch auto`).
  let unitArch: [String: String]
  /// Each unit's Kbuild flags, by absolute path.
  let unitFlags: [String: ObjectFlags]

  /// Flags for a unit Kbuild has none for (a helper file tier 1 added that no kbuild file
  /// names as an object; the Kbuild stage asks for the others' own): those of the first
  /// answered object in its directory, which shares the directory's `ccflags-y` and include
  /// paths, with the file's own object and base names.
  static func besideFlags(
    _ relative: String, answers: [String: ObjectFlags],
    firstInDirectory: [String: String]? = nil
  ) -> ObjectFlags? {
    let directory = (relative as NSString).deletingLastPathComponent
    let first = firstInDirectory ?? firstByDirectory(answers.keys)
    guard let neighbour = first[directory], var flags = answers[neighbour] else { return nil }
    let stem = ((relative as NSString).lastPathComponent as NSString).deletingPathExtension
    flags.object = (directory.isEmpty ? "" : directory + "/") + stem + ".o"
    flags.baseName = stem
    return flags
  }

  /// The architecture of a unit the Kbuild stage did not place (a helper file tier 1 added):
  /// that of the first placed unit of its directory, if any.
  static func besideArch(
    _ relative: String, placements: [String: String], firstInDirectory: [String: String]? = nil
  ) -> String? {
    let first = firstInDirectory ?? firstByDirectory(placements.keys)
    return first[(relative as NSString).deletingLastPathComponent].flatMap { placements[$0] }
  }

  /// The first (by path) of `paths` in each directory: computed once per set of paths, since
  /// asking each helper unit's directory of tens of thousands of paths cost a whole-tree re-run
  /// half a second (issue 18).
  static func firstByDirectory(_ paths: some Collection<String>) -> [String: String] {
    var first: [String: String] = [:]
    for path in paths {
      let directory = (path as NSString).deletingLastPathComponent
      if let known = first[directory], known <= path { continue }
      first[directory] = path
    }
    return first
  }

  /// Prepares arguments for an input set. For a kernel tree this writes the generated-header
  /// shims into the cache (never into the tree) for every architecture some unit is parsed
  /// under.
  public init(
    inputs: InputSet, options: CheckOptions, kbuild: KbuildStage?, config: KernelConfig?
  ) throws(SeverKitError) {
    overrides = options.unitArguments
    root = inputs.root
    mode = inputs.mode
    let arch = options.arch == "auto" ? ArchitectureTable.automatic[0] : options.arch
    self.arch = arch
    var unitArch: [String: String] = [:]
    var unitFlags: [String: ObjectFlags] = [:]
    // Directory → first path, per architecture's flags ("" for the run's answers), built when
    // a unit first needs a neighbour.
    var firstPlaced: [String: String]?
    var firstAnswered: [String: [String: String]] = [:]
    for unit in inputs.units {
      let relative = inputs.relativePath(unit.path)
      // A helper file tier 1 added was not placed by the Kbuild stage: it is parsed under the
      // architecture of the units beside it (an s390 helper under s390, not the run's first
      // architecture), with that architecture's flags.
      let placed = kbuild?.unitArch[relative]
      var arch = placed
      if placed == nil {
        let placements = kbuild?.unitArch ?? [:]
        if firstPlaced == nil { firstPlaced = Self.firstByDirectory(placements.keys) }
        arch = Self.besideArch(relative, placements: placements, firstInDirectory: firstPlaced)
      }
      if let arch { unitArch[unit.path] = arch }
      let perArch =
        placed == nil ? arch.flatMap { name in kbuild?.perArch[name].map { (name, $0) } } : nil
      let answers = perArch?.1 ?? kbuild?.answers
      if let flags = answers?.flags[relative] {
        unitFlags[unit.path] = flags
      } else {
        let flags = answers?.flags ?? [:]
        let name = perArch?.0 ?? ""
        if firstAnswered[name] == nil { firstAnswered[name] = Self.firstByDirectory(flags.keys) }
        if let found = Self.besideFlags(
          relative, answers: flags, firstInDirectory: firstAnswered[name])
        {
          unitFlags[unit.path] = found
        }
      }
    }
    self.unitArch = unitArch
    self.unitFlags = unitFlags
    if inputs.mode == .kernelTree {
      let known =
        (try? FileManager.default.contentsOfDirectory(atPath: root + "/arch"))?
        .filter { !$0.hasPrefix(".") && !$0.hasSuffix("Kconfig") }.sorted() ?? []
      guard known.contains(ArchitectureTable.sourceArch(for: arch)) else {
        throw .unknownArch(arch, known: known)
      }
    } else if ArchitectureTable.target(for: arch) == nil {
      throw .unknownArch(arch, known: ArchitectureTable.known.keys.sorted())
    }
    database = try options.compileCommands.map { path throws(SeverKitError) in
      try CompilationDatabase.load(path: InputSet.absolutePath(path))
    }
    build = try options.buildDirectory.map { path throws(SeverKitError) in
      try BuildDirectory.open(InputSet.absolutePath(path))
    }
    var setups: [String: Setup] = [:]
    let database = database
    let overrides = options.unitArguments
    let needed = Set(
      inputs.units.filter { database?.arguments(for: $0.path) == nil && overrides[$0.path] == nil }
        .map { [unitArch] unit in unitArch[unit.path] ?? arch })
    for name in needed.sorted() {
      var setup = Setup(arch: name)
      if inputs.mode == .kernelTree {
        let sourceArch = ArchitectureTable.sourceArch(for: name)
        let configuration =
          (name == arch ? config : nil) ?? kbuild?.perArch[name]?.config
          ?? DefaultConfig.configuration(sourceArch: sourceArch)
        setup.shim = try ShimDirectory.prepare(
          root: root, sourceArch: sourceArch, config: configuration,
          cacheBase: options.cacheBase)
      }
      setups[name] = setup
    }
    self.setups = setups
    resourceInclude = Self.findResourceInclude()
  }

  /// The arguments for one unit (absolute path).
  public func arguments(for path: String) -> [String] {
    let common = Self.common
    if let given = overrides[path] { return given + common }
    if let database, let known = database.arguments(for: path) {
      return known + common
    }
    switch mode {
    case .kernelTree: return kernelArguments(for: path) + common
    case .headerTree: return ["-std=gnu11", "-I", root + "/include"] + common
    case .loneFiles: return ["-std=gnu11"] + common
    }
  }

  /// The architecture a unit (absolute path) is parsed under.
  public func architecture(of path: String) -> String { unitArch[path] ?? arch }

  /// The arguments a precompiled header for the unit (absolute path) is built with: the
  /// unit's own but for what names the object (`KBUILD_MODNAME`, `KBUILD_BASENAME`,
  /// `KBUILD_MODFILE`, which no header tests with `#if`) and the include paths of its own
  /// directory (searched after the tree's, so the kernel's headers resolve the same without
  /// them). Units with equal arguments here can share one precompiled header. A unit whose
  /// arguments Kbuild (`make C=1`) or a compilation database gave keeps them all but the naming
  /// defines: they are not made of these parts, so its own include paths stay (units of one
  /// directory still share). Nil for a unit of a tree that is not a kernel's.
  public func precompiledHeaderArguments(for path: String) -> [String]? {
    if let given = overrides[path] ?? database?.arguments(for: path) {
      return given.filter { argument in
        !ObjectFlags.namingDefines.contains(where: argument.hasPrefix)
      } + Self.common
    }
    guard mode == .kernelTree else { return nil }
    let parts = kernelParts(for: path)
    let meaning = parts.defines.filter { define in
      !ObjectFlags.namingDefines.contains(where: define.hasPrefix)
    }
    return parts.shared + parts.object + meaning + (parts.fallback.map { ["-I", $0] } ?? [])
      + Self.common
  }

  /// What every unit's arguments end with: `-ferror-limit=0` and `-w`.
  private static let common = ["-ferror-limit=0", "-w"]

  /// Kbuild's `c_flags` for an object, in its order: `NOSTDINC_FLAGS`, `LINUXINCLUDE`,
  /// `compiler_types.h`, the tree-wide and per-object flags, the module defines.
  private func kernelArguments(for path: String) -> [String] {
    let parts = kernelParts(for: path)
    return parts.shared + parts.object + parts.defines + parts.own
      + (parts.fallback.map { ["-I", $0] } ?? [])
  }

  /// A unit's kernel arguments in the parts a precompiled header tells apart: `shared` by the
  /// architecture's units, the `object`'s per-directory and per-object flags, the module
  /// `defines`, the include paths of its `own` directory, and the shim's `fallback` include
  /// path.
  private func kernelParts(for path: String)
    -> (shared: [String], object: [String], defines: [String], own: [String], fallback: String?)
  {
    let unitArch = architecture(of: path)
    let shim = setups[unitArch]?.shim
    let sourceArch = ArchitectureTable.sourceArch(for: unitArch)
    let archInclude = root + "/arch/\(sourceArch)/include"
    // Generated headers come from the build directory when there is one; sever's own shim
    // stands behind it for what the build did not generate.
    var generated: [String] = []
    var objInclude: [String] = []
    var archUapi: [String] = []
    var uapi: [String] = []
    for base in [build?.path, shim?.path].compactMap({ $0 }) {
      generated.append(base + "/arch/\(sourceArch)/include/generated")
      objInclude.append(base + "/include")
      archUapi.append(base + "/arch/\(sourceArch)/include/generated/uapi")
      uapi.append(base + "/include/generated/uapi")
    }
    var args = ["-nostdinc"]
    if let resourceInclude { args += ["-isystem", resourceInclude] }
    if let target = ArchitectureTable.target(for: unitArch) { args.append("--target=" + target) }
    let includes =
      [archInclude] + generated + [root + "/include"] + objInclude + [archInclude + "/uapi"]
      + archUapi + [root + "/include/uapi"] + uapi
    args += includes.flatMap { ["-I", $0] }
    args += [
      "-include", root + "/include/linux/compiler-version.h",
      "-include", root + "/include/linux/kconfig.h",
      "-include", root + "/include/linux/compiler_types.h",
      // Kbuild's KBUILD_CPPFLAGS and the KBUILD_CFLAGS that change what is parsed; no
      // -fms-extensions, which makes `_inline` a keyword (fs/jfs names a field so).
      "-D__KERNEL__", "-std=gnu11", "-fno-builtin", "-fshort-wchar",
    ]
    // Kbuild adds CC_USING_FENTRY with -mfentry when function tracing is on; x86 headers
    // #error without it.
    if ["x86", "s390"].contains(sourceArch) { args.append("-DCC_USING_FENTRY") }
    let directory = (path as NSString).deletingLastPathComponent
    let relativeDirectory = InputSet.relative(directory, to: root)
    var object: [String] = []
    var defines: [String] = []
    if let flags = unitFlags[path] {
      object = KbuildFlags.preprocessorFlags(flags.flags, root: root, build: build?.path)
      defines = flags.moduleDefines
    } else {
      let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
      let fixed = ObjectFlags.nameFix(name)
      defines = ["-DKBUILD_MODNAME=\"\(fixed)\"", "-DKBUILD_BASENAME=\"\(fixed)\""]
    }
    // Kbuild's `-I $(src) -I $(obj)` of an O= build: files generated next to the object
    // (drivers/scsi/scsi_devinfo_tbl.c, security/selinux/flask.h) are found in the object
    // tree, under the directory of the kbuild file that lists the object.
    let objDirectory = unitFlags[path].map(\.directory) ?? relativeDirectory
    var own = ["-I", directory]
    if let build { own += ["-I", build.path + "/" + objDirectory] }
    if let shim { own += ["-I", shim.path + "/" + objDirectory] }
    return (args, object, defines, own, shim?.fallback)
  }

  /// clang's builtin headers (`stddef.h`, `stdarg.h`), which `-nostdinc` hides and Kbuild adds
  /// back with `-isystem`.
  private static func findResourceInclude() -> String? {
    let base = "/usr/lib/llvm-14/lib/clang"
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: base))?.sorted() ?? []
    return versions.last.map { base + "/" + $0 + "/include" }
  }
}
