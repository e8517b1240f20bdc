import SeverCore

/// What Kbuild adds to the compiler command line of one C object beyond the tree-wide flags,
/// computed from the kbuild files as `scripts/Makefile.lib` composes `c_flags`:
///
/// ```
/// _c_flags = $(filter-out $(CFLAGS_REMOVE_<stem>.o),
///              $(filter-out $(ccflags-remove-y), $(KBUILD_CFLAGS) $(ccflags-y)) $(CFLAGS_<stem>.o))
/// c_flags  = … $(_c_flags) $(modkern_cflags) $(basename_flags) $(modname_flags)
/// ```
///
/// where `KBUILD_CFLAGS` holds the architecture Makefile's flags and the `subdir-ccflags-y` of
/// the directory and of every directory above it, and `modkern_cflags` is `-DMODULE` for an
/// object linked into a module and `-DKBUILD_MODFILE` for one linked into the kernel.
public struct ObjectFlags: Codable, Sendable, Hashable {
  /// The object, tree-relative (`block/bfq-cgroup.o`).
  public var object: String
  /// Kbuild's `modname`: the composite object(s) the file is part of, else its own base name,
  /// before `name-fix` (`bfq`, `snd-hda-codec`).
  public var moduleName: String
  /// Kbuild's `modfile` (`block/bfq`).
  public var moduleFile: String
  /// Kbuild's `basetarget` (`bfq-cgroup`).
  public var baseName: String
  /// Whether Kbuild links the object into a module in the configuration asked about
  /// (`part-of-module`): it then compiles it with `-DMODULE`.
  public var builtAsModule: Bool
  /// The words of `_c_flags` other than the tree-wide ones, in Kbuild's order: the
  /// architecture Makefile's, the inherited `subdir-ccflags-y`, `ccflags-y`,
  /// `CFLAGS_<stem>.o`, with `ccflags-remove-y` and `CFLAGS_REMOVE_<stem>.o` filtered out.
  /// Paths are as the kbuild files spell them (relative ones are relative to the tree root,
  /// make's working directory).
  public var flags: [String]
  /// The directory whose kbuild file lists the object (Kbuild's `$(obj)`, where it generates
  /// files next to it).
  public var directory: String = ""
  /// When the configuration leaves the object out: the Kconfig symbols of the rule that would
  /// compile it, as the `autoconf.h` macros that rule needs (`CONFIG_KCOV`,
  /// `CONFIG_BFQ_MODULE`). The file is then parsed as it is compiled where it is built, rather
  /// than against headers whose stubs for the disabled feature collide with its definitions.
  public var enabling: [String] = []

  /// Creates flags.
  public init(
    object: String, moduleName: String, moduleFile: String, baseName: String,
    builtAsModule: Bool, flags: [String]
  ) {
    self.object = object
    self.moduleName = moduleName
    self.moduleFile = moduleFile
    self.baseName = baseName
    self.builtAsModule = builtAsModule
    self.flags = flags
  }

  /// Kbuild's `name-fix-token`: `-` and `,` become `_`, as in `KBUILD_MODNAME`.
  public static func nameFix(_ name: String) -> String {
    String(name.map { $0 == "-" || $0 == "," ? "_" : $0 })
  }

  /// The prefixes of the `moduleDefines` that name the object rather than change what its
  /// headers mean (no header tests them with `#if`): a precompiled header leaves them out.
  public static let namingDefines = [
    "-DKBUILD_MODNAME=", "-D__KBUILD_MODNAME=", "-DKBUILD_BASENAME=", "-DKBUILD_MODFILE=",
  ]

  /// The module defines Kbuild passes (`modname_flags`, `basename_flags` and
  /// `modkern_cflags`'s `-DMODULE` or `-DKBUILD_MODFILE`), as clang arguments.
  public var moduleDefines: [String] {
    let name = Self.nameFix(moduleName)
    var defines = [
      "-DKBUILD_MODNAME=\"\(name)\"", "-D__KBUILD_MODNAME=kmod_\(name)",
      "-DKBUILD_BASENAME=\"\(Self.nameFix(baseName))\"",
    ]
    defines.append(builtAsModule ? "-DMODULE" : "-DKBUILD_MODFILE=\"\(moduleFile)\"")
    return defines + enabling.map { "-D\($0)=1" }
  }
}

extension KbuildOracle {
  /// The flags Kbuild would compile the C file `path` (tree-relative) with in `config`: its
  /// object and module names, whether it is part of a module, and the per-directory and
  /// per-object flags. A file no kbuild file compiles gets its directory's flags and its own
  /// name.
  ///
  /// The object chosen is one whose condition holds in `config`, a module one first (Kbuild
  /// builds only the built-in copy of an object listed in both); when none holds, one that can
  /// hold on this architecture, a module one first, so that code the configuration leaves out
  /// is still compiled the way it would be built.
  public func objectFlags(for path: String, config: KernelConfig) -> ObjectFlags {
    let path = relative(path)
    let placed = kbuild.placements[path] ?? []
    let active = placed.filter { $0.condition.holds(in: config) }
    let builtIn = Set(active.filter { !$0.inModuleList }.map(\.object))
    let activeModules = active.filter { $0.inModuleList && !builtIn.contains($0.object) }
    let feasible = placed.filter {
      $0.condition.isFeasible { kconfig.values(of: $0) }
    }
    let chosen =
      activeModules.first ?? active.first ?? feasible.first(where: \.inModuleList)
      ?? feasible.first ?? placed.first
    let directory = chosen?.directory ?? WrapperIndex.parent(path)
    let stemPath = String(path.dropLast(path.hasSuffix(".c") ? 2 : 0))
    let baseName = String(stemPath.split(separator: "/").last ?? Substring(stemPath))
    // A member of composite objects is in the module they make (`modname-multi`).
    let considered = active.isEmpty ? (chosen.map { [$0] } ?? []) : active
    let composites = Set(
      considered.filter { $0.directory == directory && $0.object != stemPath + ".o" }
        .compactMap { $0.object.dropLast(2).split(separator: "/").last.map(String.init) }
    ).sorted()
    let moduleNames = composites.isEmpty ? [baseName] : composites
    let prefix = directory.isEmpty ? "" : directory + "/"
    let stem = chosen.map { String($0.member.dropLast(2)) } ?? baseName
    let builtAsModule =
      chosen?.inModuleList ?? false && (active.isEmpty || !activeModules.isEmpty)
    var flags = ObjectFlags(
      object: stemPath + ".o", moduleName: moduleNames.joined(separator: ":"),
      moduleFile: moduleNames.map { prefix + $0 }.joined(separator: " "), baseName: baseName,
      builtAsModule: builtAsModule,
      flags: directoryFlags(directory: directory, stem: stem, config: config))
    flags.directory = directory
    if active.isEmpty, let chosen {
      flags.enabling = chosen.condition.atoms.keys.sorted().compactMap { symbol in
        guard let values = chosen.condition.atoms[symbol],
          !values.contains(config.tristate(symbol))
        else { return nil }
        if values.contains(.m) && (builtAsModule || !values.contains(.y)) {
          return "CONFIG_\(symbol)_MODULE"
        }
        return values.contains(.y) ? "CONFIG_\(symbol)" : nil
      }
    }
    return flags
  }

  /// `_c_flags` for an object of `directory` whose `target-stem` is `stem`, minus the tree-wide
  /// flags sever makes itself.
  func directoryFlags(directory: String, stem: String, config: KernelConfig) -> [String] {
    func words(_ name: String, in dir: String) -> [String] {
      (kbuild.flagVariables[dir]?[name] ?? []).compactMap { word in
        guard word.condition.holds(in: config),
          !MakeText.contains(word.text, MakefileEvaluator.unknownMarker)
        else { return nil }
        return word.text
      }
    }
    // subdir-ccflags-y of every directory from the root down to this one, outermost first:
    // each make exports KBUILD_CFLAGS with its own added to the makes it starts.
    var chain: [String] = []
    var current: String? = directory
    var seen: Set<String> = []
    while let dir = current, seen.insert(dir).inserted {
      chain.insert(dir, at: 0)
      current = kbuild.parents[dir]
    }
    var flags = kbuild.archFlags.compactMap { word -> String? in
      guard word.condition.holds(in: config),
        !MakeText.contains(word.text, MakefileEvaluator.unknownMarker)
      else { return nil }
      return word.text
    }
    for dir in chain { flags += words("subdir-ccflags-y", in: dir) }
    flags += words("ccflags-y", in: directory) + words("EXTRA_CFLAGS", in: directory)
    flags = Self.filterOut(words("ccflags-remove-y", in: directory), from: flags)
    flags += words("CFLAGS_\(stem).o", in: directory)
    return Self.filterOut(words("CFLAGS_REMOVE_\(stem).o", in: directory), from: flags)
  }

  /// make's `$(filter-out PATTERNS,WORDS)`.
  static func filterOut(_ patterns: [String], from words: [String]) -> [String] {
    guard !patterns.isEmpty else { return words }
    return words.filter { word in !patterns.contains { MakeText.patternMatch($0, word) != nil } }
  }
}
