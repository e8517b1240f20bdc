import SeverCore

/// The Kconfig symbols of one architecture and, for each, the values it can take in some
/// configuration: a tristate not capped at y can be `m`; a `bool` (or a tristate forced to y by
/// an always-y `select`, or a member of a bool `choice`) cannot.
///
/// Symbols are taken independently, so the sets over-approximate what `make menuconfig` allows;
/// the evidence chain names the lines that decided, for a reviewer to check.
struct KconfigModel: Sendable {
  /// A `select` seen from its target.
  struct ReverseDependency: Sendable {
    var selector: String
    var condition: KconfigExpression
    var location: SourceLocation
  }

  private(set) var definitions: [String: [KconfigDefinition]] = [:]
  private(set) var reverse: [String: [ReverseDependency]] = [:]
  private(set) var possible: [String: TristateSet] = [:]

  /// Builds the model from parsed definitions and solves it.
  init(definitions list: [KconfigDefinition]) {
    for definition in list {
      definitions[definition.name, default: []].append(definition)
      for select in definition.selects {
        reverse[select.target, default: []].append(
          ReverseDependency(
            selector: definition.name, condition: select.condition, location: definition.location))
      }
    }
    solve()
  }

  /// The values a symbol can take; `{n}` for a symbol this architecture never defines.
  func values(of name: String) -> TristateSet {
    if ["y", "m", "n"].contains(name), let value = Tristate(rawValue: name) {
      return TristateSet([value])
    }
    return possible[name] ?? TristateSet([.n])
  }

  /// The type of a symbol, if defined.
  func kind(of name: String) -> KconfigDefinition.Kind? {
    definitions[name]?.lazy.compactMap(\.kind).first
  }

  private mutating func solve() {
    let names = definitions.keys.sorted()
    for name in names { possible[name] = TristateSet.none }
    for _ in 0..<60 {
      var changed = false
      for name in names {
        let value = compute(name)
        if possible[name] != value {
          possible[name] = value
          changed = true
        }
      }
      if !changed { break }
    }
    for name in names where possible[name]?.isEmpty ?? true {
      possible[name] = kind(of: name) == .tristate ? .all : .boolean
    }
  }

  private func compute(_ name: String) -> TristateSet {
    guard let defs = definitions[name] else { return TristateSet([.n]) }
    let kind = self.kind(of: name) ?? .bool
    if kind == .other { return .boolean }
    var value = TristateSet.none
    var hiddenPossible = false
    for d in defs {
      let dependency = evaluate(d.dependency)
      var visibility = TristateSet.none
      for prompt in d.prompts {
        visibility = visibility.union(evaluate(prompt).combine(dependency, min))
      }
      if d.prompts.isEmpty { visibility = TristateSet([.n]) }
      if visibility.contains(.y) { value = value.union(.all) }
      if visibility.contains(.m) { value = value.union(TristateSet([.n, .m])) }
      if visibility.contains(.n) { hiddenPossible = true }
    }
    if hiddenPossible { value = value.union(defaultValues(defs)) }
    if value.isEmpty { return .none }
    var selected = TristateSet([.n])
    for rev in reverse[name, default: []] {
      let term = values(of: rev.selector).combine(evaluate(rev.condition), min)
      if term.isEmpty { return .none }
      selected = selected.combine(term, max)
    }
    value = value.combine(selected, max)
    if kind == .bool || defs.contains(where: \.inBoolChoice) {
      value = value.map { $0 == .m ? .y : $0 }
    }
    return value
  }

  /// What the `default` lines can give when no prompt is visible: the first default whose
  /// condition holds wins; a default that always holds ends the search.
  private func defaultValues(_ defs: [KconfigDefinition]) -> TristateSet {
    var result = TristateSet.none
    for d in defs {
      let dependency = evaluate(d.dependency)
      for item in d.defaults {
        let active = evaluate(item.condition).combine(dependency, min)
        let nonZero = active.intersection(TristateSet([.m, .y]))
        if nonZero.isEmpty { continue }
        result = result.union(evaluate(item.value).combine(nonZero, min))
        if !active.contains(.n) { return result }
      }
    }
    return result.union(TristateSet([.n]))
  }

  /// The set of values of an expression.
  func evaluate(_ expression: KconfigExpression) -> TristateSet {
    switch expression {
    case .symbol(let s):
      if let value = Tristate(rawValue: s) { return TristateSet([value]) }
      if kind(of: s) == .other { return .boolean }
      if definitions[s] == nil && (Int(s) != nil || s.hasPrefix("0x")) { return .boolean }
      return values(of: s)
    case .string(let s):
      return Tristate(rawValue: s).map { TristateSet([$0]) } ?? TristateSet([.n])
    case .unknown:
      return .boolean
    case .not(let e):
      return evaluate(e).map { value in
        switch value {
        case .n: .y
        case .m: .m
        case .y: .n
        }
      }
    case .and(let a, let b):
      return evaluate(a).combine(evaluate(b), min)
    case .or(let a, let b):
      return evaluate(a).combine(evaluate(b), max)
    case .compare(let op, let a, let b):
      return compare(op, a, b)
    }
  }

  private func compare(_ op: String, _ a: KconfigExpression, _ b: KconfigExpression)
    -> TristateSet
  {
    guard op == "=" || op == "!=" else { return .boolean }
    guard let left = comparable(a), let right = comparable(b) else { return .boolean }
    var out: [Tristate] = []
    for x in left {
      for y in right {
        out.append((x == y) == (op == "=") ? .y : .n)
      }
    }
    return TristateSet(out)
  }

  /// The possible spellings of an operand, when they are known.
  private func comparable(_ e: KconfigExpression) -> [String]? {
    switch e {
    case .string(let s):
      return [s]
    case .symbol(let s):
      if Tristate(rawValue: s) != nil { return [s] }
      if Int(s) != nil { return [s] }
      guard let kind = kind(of: s) else { return definitions[s] == nil ? ["n"] : nil }
      return kind == .other ? nil : values(of: s).values.map(\.rawValue)
    default:
      return nil
    }
  }
}
