import SeverCore

/// Turns a file's placements into a verdict: a placement counts when its condition can hold
/// given the Kconfig values of this architecture; `obj-m` beats `obj-y`.
struct Verdicts {
  let oracle: KbuildOracle

  private func feasible(_ placement: Placement) -> Bool {
    placement.condition.isFeasible { oracle.kconfig.values(of: $0) }
  }

  func decide(path: String, placements: [Placement], ifdefModule: Bool) -> ModuleCapability {
    let sorted = placements.sorted {
      ($0.object, $0.evidence.count) < ($1.object, $1.evidence.count)
    }
    let modules = sorted.filter { $0.inModuleList && feasible($0) }
    let builtins = sorted.filter { !$0.inModuleList && feasible($0) }
    let state = configState(sorted)
    var answer = ModuleCapability(
      path: path, arch: oracle.arch, verdict: .notBuilt, configState: state,
      hasIfdefModule: ifdefModule)
    let decisive: [Placement]
    if !modules.isEmpty {
      answer.verdict = .moduleCapable
      decisive = preferCertain(modules)
    } else if !builtins.isEmpty {
      answer.verdict = .builtInOnly
      decisive = preferCertain(builtins)
      // Show why the module lists do not apply (arm64 KVM: obj-$(CONFIG_KVM) with KVM bool).
      let blocked = sorted.filter(\.inModuleList)
      answer.evidence = evidence(decisive[0]) + blocked.prefix(1).flatMap(evidence)
      if let first = blocked.first {
        answer.reason =
          "\(first.object) would be a module only when \(first.condition), "
          + "which cannot hold on \(oracle.arch)"
      }
      if decisive[0].condition.uncertain { answer.verdict = .unknown }
      answer.evidence = Self.unique(answer.evidence)
      return answer
    } else {
      answer.verdict = .notBuilt
      let first = sorted[0]
      answer.reason =
        "every rule compiling it needs \(first.condition), which cannot hold on "
        + oracle.arch
      answer.evidence = Self.unique(evidence(first))
      return answer
    }
    if decisive[0].condition.uncertain {
      answer.verdict = .unknown
      answer.reason =
        "the rule that compiles it depends on make code sever cannot evaluate "
        + "($(shell …), $(call …)); it may be module-capable"
    }
    answer.evidence = Self.unique(evidence(decisive[0]))
    return answer
  }

  /// Certain conditions first; among module placements, the chain needing fewest symbols at
  /// exactly y (x86 KVM: reached through `obj-m += kvm/` with KVM=m rather than KVM=y).
  private func preferCertain(_ placements: [Placement]) -> [Placement] {
    let certain = placements.filter { !$0.condition.uncertain }
    let chosen = certain.isEmpty ? placements : certain
    func forcedY(_ p: Placement) -> Int {
      p.condition.atoms.values.filter { $0 == TristateSet([.y]) }.count
    }
    return chosen.enumerated().sorted {
      (forcedY($0.element), $0.offset) < (forcedY($1.element), $1.offset)
    }.map(\.element)
  }

  /// The state in the given `.config`: m if a module placement holds, else y if a built-in one
  /// does, else n (Kbuild drops an object from obj-m when it is also in obj-y of that directory).
  private func configState(_ placements: [Placement]) -> Tristate? {
    guard let config = oracle.config else { return nil }
    // Conditions with unevaluated make code cannot be decided for a configuration.
    let decidable = placements.filter { !$0.condition.uncertain }
    if decidable.isEmpty { return nil }
    let active = decidable.filter { $0.condition.holds(in: config) }
    let builtinObjects = Set(active.filter { !$0.inModuleList }.map(\.object))
    if active.contains(where: { $0.inModuleList && !builtinObjects.contains($0.object) }) {
      return .m
    }
    return active.isEmpty ? .n : .y
  }

  private func evidence(_ placement: Placement) -> [ModuleCapability.Evidence] {
    // Symbols in the order the Makefile lines mention them: the file's own first.
    var order: [String] = []
    for line in placement.evidence {
      for name in Self.configNames(line.text)
      where placement.condition.atoms[name] != nil && !order.contains(name) {
        order.append(name)
      }
    }
    order += placement.condition.atoms.keys.sorted().filter { !order.contains($0) }
    return placement.evidence
      + order.flatMap { kconfigEvidence($0, required: placement.condition.atoms[$0] ?? .none) }
  }

  /// One line per Kconfig definition of the symbol on this architecture.
  func kconfigEvidence(_ symbol: String, required: TristateSet) -> [ModuleCapability.Evidence] {
    let possible = oracle.kconfig.values(of: symbol)
    let needs = "needs \(required), can be \(possible) on \(oracle.arch)"
    guard let definitions = oracle.kconfig.definitions[symbol] else {
      return [
        ModuleCapability.Evidence(
          location: SourceLocation(path: "Kconfig", line: 1, column: 1),
          text: "CONFIG_\(symbol)",
          note: "not defined by any Kconfig file sourced for \(oracle.arch), so n; \(needs)")
      ]
    }
    let selectors = oracle.kconfig.reverse[symbol, default: []]
    return definitions.map { d in
      var parts: [String] = []
      if let type = d.typeLine { parts.append(type) }
      parts += d.dependsLines
      if d.inBoolChoice { parts.append("(member of a bool choice)") }
      if !selectors.isEmpty {
        let names = selectors.prefix(3).map(\.selector).joined(separator: ", ")
        parts.append("selected by \(names)\(selectors.count > 3 ? ", …" : "")")
      }
      return ModuleCapability.Evidence(
        location: d.location, text: "config \(symbol)",
        note: parts.joined(separator: "; ") + " — \(needs)")
    }
  }

  /// The `X` of every `CONFIG_X` in a line, in order (byte scan: this runs for every answer).
  static func configNames(_ text: String) -> [String] {
    let bytes = Array(text.utf8)
    let prefix = Array("CONFIG_".utf8)
    var names: [String] = []
    var i = 0
    while i + prefix.count < bytes.count {
      guard bytes[i] == 0x43, Array(bytes[i..<(i + prefix.count)]) == prefix else {
        i += 1
        continue
      }
      var j = i + prefix.count
      while j < bytes.count,
        bytes[j] == 0x5F || (bytes[j] >= 0x30 && bytes[j] <= 0x39)
          || (bytes[j] >= 0x41 && bytes[j] <= 0x5A)
          || (bytes[j] >= 0x61 && bytes[j] <= 0x7A)
      {
        j += 1
      }
      names.append(String(decoding: bytes[(i + prefix.count)..<j], as: UTF8.self))
      i = j
    }
    return names
  }

  static func unique(_ evidence: [ModuleCapability.Evidence]) -> [ModuleCapability.Evidence] {
    var seen: Set<ModuleCapability.Evidence> = []
    return evidence.filter { seen.insert($0).inserted }
  }
}
