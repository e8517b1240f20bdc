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
    guard terms.count > 1 else { return terms }
    // Symbols are numbered in name order, so the joins compare integers rather than hash
    // strings (fuzz-makefile spent most of its time hashing names here; each name is hashed
    // once now), and the terms are put in one total order first, so which pairs join never
    // depends on hashing order.
    var number: [String: Int] = [:]
    var names: [String] = []
    let numbered = terms.map { term in
      term.atoms.map { name, values in
        if let known = number[name] { return (known, values.bits) }
        names.append(name)
        number[name] = names.count - 1
        return (names.count - 1, values.bits)
      }
    }
    let order = names.indices.sorted { names[$0] < names[$1] }
    var rank = [Int](repeating: 0, count: names.count)
    for (position, symbol) in order.enumerated() { rank[symbol] = position }
    names = order.map { names[$0] }
    var list = zip(terms, numbered).map { term, atoms in
      PackedCondition(
        atoms: atoms.map { (rank[$0.0], $0.1) }, uncertain: term.uncertain)
    }.sorted()
    list = list.enumerated().filter { $0.offset == 0 || list[$0.offset - 1] != $0.element }
      .map(\.element)
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
    return list.map { $0.condition(names: names) }.map { ($0.description, $0) }
      .sorted { $0.0 < $1.0 }.map(\.1)
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

/// A condition with its symbols numbered (in name order) and listed in that order, for
/// `Condition.merged`: joining two of them compares integers only.
private struct PackedCondition: Comparable {
  /// The symbols' numbers, ascending.
  var symbols: [Int]
  /// The values each symbol must take (`TristateSet.bits`), in the order of `symbols`.
  var values: [UInt8]
  var uncertain: Bool

  /// Packs `atoms`, pairs of a symbol's number and its values, in any order.
  init(atoms: [(Int, UInt8)], uncertain: Bool) {
    let sorted = atoms.sorted { $0.0 < $1.0 }
    symbols = sorted.map(\.0)
    values = sorted.map(\.1)
    self.uncertain = uncertain
  }

  /// The condition again, `names` being the symbols in number order.
  func condition(names: [String]) -> Condition {
    var atoms: [String: TristateSet] = [:]
    for (symbol, bits) in zip(symbols, values) { atoms[names[symbol]] = TristateSet(bits: bits) }
    return Condition(atoms: atoms, uncertain: uncertain)
  }

  /// What `Condition.joined` gives for the two conditions these stand for.
  func joined(_ other: PackedCondition) -> PackedCondition? {
    guard uncertain == other.uncertain, symbols == other.symbols else { return nil }
    var differing: Int?
    for index in values.indices where values[index] != other.values[index] {
      if differing != nil { return nil }
      differing = index
    }
    guard let index = differing else { return self }
    var result = self
    let union = values[index] | other.values[index]
    if union == TristateSet.all.bits {
      result.symbols.remove(at: index)
      result.values.remove(at: index)
    } else {
      result.values[index] = union
    }
    return result
  }

  static func < (lhs: PackedCondition, rhs: PackedCondition) -> Bool {
    if lhs.symbols != rhs.symbols { return lhs.symbols.lexicographicallyPrecedes(rhs.symbols) }
    if lhs.values != rhs.values { return lhs.values.lexicographicallyPrecedes(rhs.values) }
    return !lhs.uncertain && rhs.uncertain
  }
}
