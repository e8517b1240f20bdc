import SeverCore

/// A conjunction of constraints on Kconfig symbols under which a Makefile word is present,
/// e.g. `IOSCHED_BFQ ∈ {m}` for a word added to `obj-$(CONFIG_IOSCHED_BFQ)` as `obj-m`.
public struct Condition: Hashable, Sendable, CustomStringConvertible {
  /// Symbol (without `CONFIG_`) to the values it must take.
  public private(set) var atoms: [String: TristateSet]
  /// Set when a part of the condition could not be evaluated (a `$(shell …)`, a compiler test).
  public private(set) var uncertain: Bool

  /// Creates a condition.
  public init(atoms: [String: TristateSet] = [:], uncertain: Bool = false) {
    self.atoms = atoms
    self.uncertain = uncertain
  }

  /// The condition that always holds.
  public static let always = Condition()

  /// A single constraint.
  public static func symbol(_ name: String, in values: TristateSet) -> Condition {
    Condition(atoms: [name: values])
  }

  /// Both conditions; nil when they contradict each other.
  public func and(_ other: Condition) -> Condition? {
    var atoms = self.atoms
    for (name, set) in other.atoms {
      let merged = atoms[name].map { $0.intersection(set) } ?? set
      if merged.isEmpty { return nil }
      atoms[name] = merged
    }
    return Condition(atoms: atoms, uncertain: uncertain || other.uncertain)
  }

  /// The complement as a disjunction: one condition per atom, each with the other values
  /// (De Morgan). Empty for `always`.
  public var negations: [Condition] {
    atoms.keys.sorted().compactMap { name in
      let rest = TristateSet.all.intersection(TristateSet(bits: ~(atoms[name]?.bits ?? 0)))
      return rest.isEmpty ? nil : Condition(atoms: [name: rest], uncertain: uncertain)
    }
  }

  /// A disjunction with duplicates removed and terms that differ in one symbol joined
  /// (`X∈{y} ∨ X∈{m}` becomes `X∈{m,y}`), so that a block under `ifneq ($(CONFIG_X),)` is
  /// read once, not once per value. Sorted by description for determinism.
  public static func merged(_ terms: [Condition]) -> [Condition] {
    var list = Array(Set(terms))
    var changed = true
    // Each pass joins every pair it can and goes on scanning (restarting after each join made
    // deeply nested ifdefs cubic: a fuzz-makefile timeout); the passes stop when none joins.
    while changed && list.count > 1 {
      changed = false
      var i = 0
      while i < list.count {
        var j = i + 1
        while j < list.count {
          if let joined = list[i].joined(list[j]) {
            list[i] = joined
            list.remove(at: j)
            changed = true
          } else {
            j += 1
          }
        }
        i += 1
      }
    }
    // Each description once, not once per comparison.
    return list.map { ($0.description, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
  }

  /// The single condition equal to `self ∨ other`, when they differ in at most one symbol.
  func joined(_ other: Condition) -> Condition? {
    guard uncertain == other.uncertain, atoms.count == other.atoms.count,
      atoms.keys.allSatisfy({ other.atoms[$0] != nil })
    else {
      return nil
    }
    var differing: String?
    for (name, set) in atoms where other.atoms[name] != set {
      if differing != nil { return nil }
      differing = name
    }
    guard let name = differing else { return self }
    var atoms = self.atoms
    let union = (atoms[name] ?? .none).union(other.atoms[name] ?? .none)
    if union == .all {
      atoms[name] = nil
    } else {
      atoms[name] = union
    }
    return Condition(atoms: atoms, uncertain: uncertain)
  }

  /// The same condition, marked as partly unevaluated.
  public var markedUncertain: Condition { Condition(atoms: atoms, uncertain: true) }

  /// Whether the condition holds in a configuration.
  public func holds(in config: KernelConfig) -> Bool {
    atoms.allSatisfy { $0.value.contains(config.tristate($0.key)) }
  }

  /// Whether some value of every symbol satisfies the condition, given the possible values.
  public func isFeasible(_ possible: (String) -> TristateSet) -> Bool {
    atoms.allSatisfy { !possible($0.key).intersection($0.value).isEmpty }
  }

  /// `A∈{m} ∧ B∈{m,y}`, sorted.
  public var description: String {
    if atoms.isEmpty { return uncertain ? "always (uncertain)" : "always" }
    let parts = atoms.keys.sorted().map { "\($0)∈\(atoms[$0] ?? .none)" }
    return parts.joined(separator: " ∧ ") + (uncertain ? " (uncertain)" : "")
  }
}
