import SeverCore

/// The Kconfig symbols of one architecture and, for each, the values it can take in some
/// configuration: a tristate not capped at y can be `m`; a `bool` (or a tristate forced to y by
/// an always-y `select`, or a member of a bool `choice`) cannot.
///
/// Symbols are taken independently, so the sets over-approximate what `make menuconfig` allows;
/// the evidence chain names the lines that decided, for a reviewer to check.
struct KconfigModel: Sendable {
  /// A `select` (or `imply`) seen from its target.
  struct ReverseDependency: Sendable {
    var selector: String
    var condition: KconfigExpression
    var location: SourceLocation
  }

  private(set) var definitions: [String: [KconfigDefinition]] = [:]
  private(set) var reverse: [String: [ReverseDependency]] = [:]
  private var ids: [String: Int] = [:]
  private var possible: [TristateSet] = []
  private var kinds: [KconfigDefinition.Kind] = []

  /// Builds the model from parsed definitions and solves it.
  init(definitions list: [KconfigDefinition]) {
    var implied: [String: [ReverseDependency]] = [:]
    for definition in list {
      definitions[definition.name, default: []].append(definition)
      // Kconfig adds the selecting entry's own dependencies to the reverse dependency: a bool
      // that depends on an `m` symbol selects its target as `m`.
      for select in definition.selects {
        reverse[select.target, default: []].append(
          ReverseDependency(
            selector: definition.name, condition: Self.and(select.condition, definition.dependency),
            location: definition.location))
      }
      for imply in definition.implies {
        implied[imply.target, default: []].append(
          ReverseDependency(
            selector: definition.name, condition: Self.and(imply.condition, definition.dependency),
            location: definition.location))
      }
    }
    let names = definitions.keys.sorted()
    for (index, name) in names.enumerated() { ids[name] = index }
    kinds = names.map { name in definitions[name]?.lazy.compactMap(\.kind).first ?? .bool }
    possible = Array(repeating: .none, count: names.count)
    solve(names: names, implied: implied)
  }

  private static func and(_ a: KconfigExpression, _ b: KconfigExpression) -> KconfigExpression {
    if a == .symbol("y") { return b }
    if b == .symbol("y") { return a }
    return .and(a, b)
  }

  /// The values a symbol can take; `{n}` for a symbol this architecture never defines.
  func values(of name: String) -> TristateSet {
    if let id = ids[name] { return possible[id] }
    if let value = Tristate(rawValue: name) { return TristateSet([value]) }
    return TristateSet([.n])
  }

  /// The type of a symbol, if defined.
  func kind(of name: String) -> KconfigDefinition.Kind? { ids[name].map { kinds[$0] } }

  // MARK: Solving

  /// An expression with symbols resolved to indices, for the fixed-point loop.
  private indirect enum Compiled {
    case constant(TristateSet)
    case symbol(Int)
    case not(Compiled)
    case and(Compiled, Compiled)
    case or(Compiled, Compiled)
    /// Equality of operands whose spellings are known (`nil`: a symbol's tristate value).
    case equal(Operand, Operand, negated: Bool)
  }

  private enum Operand {
    case text(String)
    case symbol(Int)
  }

  private struct CompiledSymbol {
    var prompts: [Compiled]
    var defaults: [(value: Compiled, active: Compiled)]
    var selects: [Compiled]
    var implies: [Compiled]
    var boolChoice: Bool
  }

  private func compile(_ e: KconfigExpression) -> Compiled {
    switch e {
    case .symbol(let s):
      if let value = Tristate(rawValue: s) { return .constant(TristateSet([value])) }
      guard let id = ids[s] else { return .constant(TristateSet([.n])) }
      return kinds[id] == .other ? .constant(.boolean) : .symbol(id)
    case .string(let s):
      return .constant(Tristate(rawValue: s).map { TristateSet([$0]) } ?? TristateSet([.n]))
    case .unknown:
      return .constant(.boolean)
    case .not(let a):
      return .not(compile(a))
    case .and(let a, let b):
      return .and(compile(a), compile(b))
    case .or(let a, let b):
      return .or(compile(a), compile(b))
    case .compare(let op, let a, let b):
      guard op == "=" || op == "!=", let left = operand(a), let right = operand(b) else {
        return .constant(.boolean)
      }
      return .equal(left, right, negated: op == "!=")
    }
  }

  private func operand(_ e: KconfigExpression) -> Operand? {
    switch e {
    case .string(let s):
      return .text(s)
    case .symbol(let s):
      if Tristate(rawValue: s) != nil || Int(s) != nil { return .text(s) }
      guard let id = ids[s] else { return definitions[s] == nil ? .text("n") : nil }
      return kinds[id] == .other ? nil : .symbol(id)
    default:
      return nil
    }
  }

  private func evaluate(_ e: Compiled) -> TristateSet {
    switch e {
    case .constant(let set): return set
    case .symbol(let id): return possible[id]
    case .not(let a):
      return evaluate(a).map { value in
        switch value {
        case .n: .y
        case .m: .m
        case .y: .n
        }
      }
    case .and(let a, let b):
      // n && anything is n, even when the other side is not known yet.
      let left = evaluate(a)
      if left == TristateSet([.n]) { return left }
      let right = evaluate(b)
      return right == TristateSet([.n]) ? right : left.combine(right, min)
    case .or(let a, let b):
      let left = evaluate(a)
      if left == TristateSet([.y]) { return left }
      let right = evaluate(b)
      return right == TristateSet([.y]) ? right : left.combine(right, max)
    case .equal(let a, let b, let negated):
      let left = spellings(a)
      let right = spellings(b)
      var out: [Tristate] = []
      for x in left { for y in right { out.append((x == y) != negated ? .y : .n) } }
      return TristateSet(out)
    }
  }

  private func spellings(_ o: Operand) -> [String] {
    switch o {
    case .text(let s): [s]
    case .symbol(let id): possible[id].values.map(\.rawValue)
    }
  }

  /// The public evaluation of an expression against the solved sets.
  func evaluate(_ expression: KconfigExpression) -> TristateSet { evaluate(compile(expression)) }

  private mutating func solve(names: [String], implied: [String: [ReverseDependency]]) {
    let compiled: [CompiledSymbol] = names.map { name in
      let defs = definitions[name] ?? []
      var symbol = CompiledSymbol(
        prompts: [], defaults: [], selects: [], implies: [],
        boolChoice: defs.contains(where: \.inBoolChoice))
      for d in defs {
        let dependency = compile(d.dependency)
        for prompt in d.prompts { symbol.prompts.append(.and(compile(prompt), dependency)) }
        if d.prompts.isEmpty { symbol.prompts.append(.constant(TristateSet([.n]))) }
        for item in d.defaults {
          symbol.defaults.append((compile(item.value), .and(compile(item.condition), dependency)))
        }
        for rev in implied[name, default: []] {
          let implier = Compiled.and(
            ids[rev.selector].map { .symbol($0) } ?? .constant(.none),
            compile(rev.condition))
          symbol.implies.append(.and(implier, dependency))
        }
      }
      symbol.selects = reverse[name, default: []].map { rev in
        .and(ids[rev.selector].map { .symbol($0) } ?? .constant(.none), compile(rev.condition))
      }
      return symbol
    }
    // Phase one computes each symbol once all it reads is known (exact for acyclic parts);
    // symbols left unknown sit on select/depends cycles: they start from n and grow in phase
    // two. Sets only grow, so the work list empties. A changed symbol requeues its readers.
    var readers: [[Int]] = Array(repeating: [], count: names.count)
    for (id, symbol) in compiled.enumerated() {
      var read: Set<Int> = []
      let parts =
        symbol.prompts + symbol.selects + symbol.implies
        + symbol.defaults.flatMap { [$0.value, $0.active] }
      for part in parts { Self.symbols(in: part, into: &read) }
      for r in read { readers[r].append(id) }
    }
    for phase in 0..<2 {
      if phase == 1 {
        for id in names.indices where possible[id].isEmpty { possible[id] = TristateSet([.n]) }
      }
      var queue = Array(names.indices)
      var queued = Array(repeating: true, count: names.count)
      var head = 0
      while head < queue.count {
        let id = queue[head]
        head += 1
        queued[id] = false
        let value = possible[id].union(compute(compiled[id], kind: kinds[id]))
        guard possible[id] != value else { continue }
        possible[id] = value
        for reader in readers[id] where !queued[reader] {
          queued[reader] = true
          queue.append(reader)
        }
      }
    }
  }

  private static func symbols(in e: Compiled, into set: inout Set<Int>) {
    switch e {
    case .constant: return
    case .symbol(let id): set.insert(id)
    case .not(let a): symbols(in: a, into: &set)
    case .and(let a, let b), .or(let a, let b):
      symbols(in: a, into: &set)
      symbols(in: b, into: &set)
    case .equal(let a, let b, _):
      for operand in [a, b] { if case .symbol(let id) = operand { set.insert(id) } }
    }
  }

  private func compute(_ symbol: CompiledSymbol, kind: KconfigDefinition.Kind) -> TristateSet {
    if kind == .other { return .boolean }
    var value = TristateSet.none
    var hiddenPossible = false
    for prompt in symbol.prompts {
      let visibility = evaluate(prompt)
      // Wait until everything the symbol reads is known: computing from half-known inputs
      // could let a later default win for good.
      if visibility.isEmpty { return .none }
      if visibility.contains(.y) { value = value.union(.all) }
      if visibility.contains(.m) { value = value.union(TristateSet([.n, .m])) }
      if visibility.contains(.n) { hiddenPossible = true }
    }
    if hiddenPossible {
      // The first default whose condition holds wins; one that always holds ends the search.
      var defaults = TristateSet.none
      var exhausted = true
      for item in symbol.defaults {
        let active = evaluate(item.active)
        if active.isEmpty { return .none }
        let nonZero = active.intersection(TristateSet([.m, .y]))
        if nonZero.isEmpty { continue }
        let itemValue = evaluate(item.value)
        if itemValue.isEmpty { return .none }
        defaults = defaults.union(itemValue.combine(nonZero, min))
        if !active.contains(.n) {
          exhausted = false
          break
        }
      }
      if exhausted { defaults = defaults.union(TristateSet([.n])) }
      for imply in symbol.implies {
        let implied = evaluate(imply)
        if implied.isEmpty { return .none }
        defaults = defaults.union(implied)
      }
      value = value.union(defaults)
    }
    if value.isEmpty { return .none }
    var selected = TristateSet([.n])
    for select in symbol.selects {
      let term = evaluate(select)
      if term.isEmpty { return .none }
      selected = selected.combine(term, max)
    }
    value = value.combine(selected, max)
    if kind == .bool || symbol.boolChoice {
      value = value.map { $0 == .m ? .y : $0 }
    }
    return value
  }
}
