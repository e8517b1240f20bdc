import SeverCore

/// One way a C file gets compiled: into which object, from which list, under which condition,
/// and the Makefile lines that show it (innermost first).
public struct Placement: Sendable, Hashable {
  /// The C file, tree-relative.
  public var source: String
  /// The object listed in `obj-y`/`obj-m`/`lib-y` (a composite such as `block/bfq.o`, or the
  /// file's own object).
  public var object: String
  /// True when the object is in `obj-m` (a module), false for `obj-y` and `lib-y`.
  public var inModuleList: Bool
  /// Configurations in which this placement happens.
  public var condition: Condition
  /// Makefile lines, from the object's own line out to the root `Kbuild`.
  public var evidence: [ModuleCapability.Evidence]
  /// The directory whose kbuild file lists the object.
  public var directory: String = ""
  /// The file's own object as that kbuild file spells it, relative to `directory`
  /// (`../display/dc/core/dc.o` in amdgpu): Kbuild's `target-stem`, which `CFLAGS_<stem>.o`
  /// names.
  public var member: String = ""
}

/// The whole-tree Kbuild walk for one architecture: from the root `Kbuild` (plus the arch
/// Makefile's `core-y`/`drivers-y`/`libs-y`) down every `obj-*` directory, recording where each
/// C file is compiled. Each makefile is read once.
struct KbuildTree: Sendable {
  /// How a directory is reached: through `obj-y` only (built-in capable) or through an `obj-m`
  /// directory somewhere above (Kbuild then builds only its `obj-m` objects).
  struct Reach: Hashable, Sendable {
    var moduleOnly: Bool
    var condition: Condition
    var evidence: [ModuleCapability.Evidence]
  }

  /// Placements by C file.
  private(set) var placements: [String: [Placement]] = [:]
  /// Every directory reached, with how.
  private(set) var reaches: [String: [Reach]] = [:]

  /// The flag variables of each directory's kbuild file (`ccflags-y`, `subdir-ccflags-y`,
  /// `ccflags-remove-y`, `CFLAGS_<stem>.o`, `CFLAGS_REMOVE_<stem>.o`), as conditioned words.
  private(set) var flagVariables: [String: [String: [CondWord]]] = [:]
  /// The directory whose kbuild file first descends into each directory: `subdir-ccflags-y`
  /// reaches a directory from there.
  private(set) var parents: [String: String] = [:]
  /// What the architecture Makefile adds to `KBUILD_CPPFLAGS` and `KBUILD_CFLAGS`.
  private(set) var archFlags: [CondWord] = []

  private static let reachLimit = 12
  /// Directory listings, so that a source's existence costs no system call.
  private var listings: [String: Set<String>] = [:]

  private mutating func exists(_ path: String, tree: TreeFiles) -> Bool {
    let slash = path.lastIndex(of: "/")
    let dir = slash.map { String(path[..<$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    if let names = listings[dir] { return names.contains(name) }
    let names = Set(tree.list(dir))
    listings[dir] = names
    return names.contains(name)
  }

  /// Walks the tree for an architecture (`srcArch` is the directory under `arch/`).
  init(tree: TreeFiles, arch: String, srcArch: String) {
    let (globals, archFlags) = Self.globals(tree: tree, arch: arch, srcArch: srcArch)
    self.archFlags = archFlags
    var queue: [(String, Reach)] = [
      ("", Reach(moduleOnly: false, condition: .always, evidence: []))
    ]
    var builds: [String: [String: [CondWord]]] = [:]
    var head = 0
    while head < queue.count {
      var (dir, reach) = queue[head]
      head += 1
      var known = reaches[dir, default: []]
      // A reach that differs from a known one in one symbol widens it (KVM∈{y} and KVM∈{m}
      // become KVM∈{m,y}) and is walked again; this keeps deep `obj-$(CONFIG_X) += dir/`
      // chains from multiplying while staying exact for a given configuration.
      if let index = known.firstIndex(where: {
        $0.moduleOnly == reach.moduleOnly && $0.condition.joined(reach.condition) != nil
      }), let joined = known[index].condition.joined(reach.condition) {
        if joined == known[index].condition { continue }
        reach = Reach(moduleOnly: reach.moduleOnly, condition: joined, evidence: reach.evidence)
        known[index] = reach
      } else {
        if known.count >= Self.reachLimit { continue }
        known.append(reach)
      }
      reaches[dir] = known
      let variables: [String: [CondWord]]
      if let cached = builds[dir] {
        variables = cached
      } else {
        var evaluator = MakefileEvaluator(tree: tree, directory: dir, globals: globals)
        if let file = tree.kbuildFile(of: dir) {
          evaluator.read(path: file)
          if evaluator.hasForwardReferences() {
            var second = MakefileEvaluator(tree: tree, directory: dir, globals: globals)
            second.lookahead = evaluator.variables
            second.read(path: file)
            evaluator = second
          }
        }
        variables = evaluator.variables
        builds[dir] = variables
        flagVariables[dir] = variables.filter { Self.isFlagVariable($0.key) }
      }
      let children = Self.children(of: dir, variables: variables, reach: reach)
      for (child, _) in children where parents[child] == nil && child != dir {
        parents[child] = dir
      }
      queue += children
      record(dir: dir, variables: variables, reach: reach, tree: tree)
    }
  }

  /// Whether a kbuild variable holds compiler flags for C objects.
  static func isFlagVariable(_ name: String) -> Bool {
    name == "ccflags-y" || name == "subdir-ccflags-y" || name == "ccflags-remove-y"
      || name == "EXTRA_CFLAGS" || (name.hasPrefix("CFLAGS_") && name.hasSuffix(".o"))
  }

  /// Variables every kbuild file sees: the architecture, and what the top-level Makefile
  /// exports after reading `arch/$(SRCARCH)/Makefile` (`ARCH_CORE`, `ARCH_LIB`, `ARCH_DRIVERS`,
  /// and exported variables such as x86's `BITS`); and the flags that Makefile adds.
  private static func globals(tree: TreeFiles, arch: String, srcArch: String)
    -> (globals: [String: [CondWord]], flags: [CondWord])
  {
    func word(_ text: String) -> [CondWord] {
      [CondWord(text: text, condition: .always, origins: [])]
    }
    var base: [String: [CondWord]] = [
      "ARCH": word(arch), "SRCARCH": word(srcArch), "srctree": word("."),
      "objtree": word("."),
    ]
    var top = MakefileEvaluator(tree: tree, directory: "", globals: base)
    top.variables["core-y"] = []
    top.variables["drivers-y"] = []
    top.variables["libs-y"] = word("lib/")
    let archMakefile = "arch/\(srcArch)/Makefile"
    top.read(path: archMakefile)
    let v = top.variables
    base["ARCH_CORE"] = v["core-y", default: []]
    base["ARCH_LIB"] = v["libs-y", default: []].filter { $0.text.hasSuffix("/") }
    base["ARCH_DRIVERS"] = v["drivers-y", default: []] + v["drivers-m", default: []]
    for name in exportedNames(tree.read(archMakefile) ?? "") {
      if let value = v[name] { base[name] = value }
    }
    return (base, v["KBUILD_CPPFLAGS", default: []] + v["KBUILD_CFLAGS", default: []])
  }

  private static func exportedNames(_ text: String) -> [String] {
    var names: [String] = []
    for line in text.unicodeScalars.split(separator: "\n").map(Substring.init)
    where line.hasPrefix("export ") {
      let rest = line.dropFirst(7)
      let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
      if !name.isEmpty { names.append(String(name)) }
    }
    return names
  }

  private static func children(
    of dir: String, variables: [String: [CondWord]], reach: Reach
  ) -> [(String, Reach)] {
    var out: [(String, Reach)] = []
    for (list, moduleList) in [("obj-y", false), ("obj-m", true)] {
      for word in variables[list, default: []] where word.text.hasSuffix("/") {
        guard let condition = reach.condition.and(word.condition) else { continue }
        let child = MakeText.join(dir, word.text)
        let note =
          moduleList
          ? "descends into \(child)/ as a module directory when \(word.condition)"
          : "descends into \(child)/ when \(word.condition)"
        let evidence = annotate(word.origins, note: note) + reach.evidence
        out.append(
          (
            child,
            Reach(
              moduleOnly: reach.moduleOnly || moduleList, condition: condition,
              evidence: evidence)
          ))
      }
    }
    return out
  }

  private static func annotate(_ origins: [ModuleCapability.Evidence], note: String)
    -> [ModuleCapability.Evidence]
  {
    guard var first = origins.first else { return [] }
    first.note = note
    return [first]
      + origins.dropFirst().map {
        var e = $0
        e.note = "defines a variable used above"
        return e
      }
  }

  private mutating func record(
    dir: String, variables: [String: [CondWord]], reach: Reach, tree: TreeFiles
  ) {
    let lists: [(String, Bool)] = [
      (MakefileEvaluator.unevaluatedList, true), ("obj-y", false), ("obj-m", true),
      ("lib-y", false), ("lib-m", false),
    ]
    for (list, moduleList) in lists {
      // Kbuild builds only obj-m objects in a directory reached through obj-m.
      if reach.moduleOnly && !moduleList { continue }
      for object in variables[list, default: []] where object.text.hasSuffix(".o") {
        guard let condition = reach.condition.and(object.condition) else { continue }
        let objectPath = MakeText.join(dir, object.text)
        let listNote =
          list == MakefileEvaluator.unevaluatedList
          ? "is in a list whose name sever cannot evaluate, when"
          : moduleList ? "in obj-m (module) when" : "in \(list) (built-in) when"
        let objectEvidence = Self.annotate(
          object.origins, note: "\(object.text) \(listNote) \(object.condition)")
        let base = String(object.text.dropLast(2))
        let suffixes = moduleList ? ["-objs", "-y", "-m"] : ["-objs", "-y"]
        let isComposite = ["-objs", "-y", "-m", "-"].contains {
          !(variables[base + $0]?.isEmpty ?? true)
        }
        var members: [(CondWord, String)] = []
        if isComposite {
          for suffix in suffixes {
            for member in variables[base + suffix, default: []] where member.text.hasSuffix(".o") {
              members.append((member, base + suffix))
            }
          }
        } else {
          members.append((CondWord(text: object.text, condition: .always, origins: []), ""))
        }
        for (member, list) in members {
          guard let full = condition.and(member.condition) else { continue }
          let source = String(MakeText.join(dir, member.text).dropLast(2)) + ".c"
          guard exists(source, tree: tree) else { continue }
          let memberEvidence =
            list.isEmpty
            ? []
            : Self.annotate(
              member.origins,
              note: "\(member.text) is part of \(object.text) (\(list)) when \(member.condition)")
          let placement = Placement(
            source: source, object: objectPath, inModuleList: moduleList, condition: full,
            evidence: memberEvidence + objectEvidence + reach.evidence, directory: dir,
            member: member.text)
          placements[source, default: []].append(placement)
        }
      }
    }
  }
}
