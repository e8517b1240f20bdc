import SeverCore

extension KbuildOracle {
  /// A configuration close to `make allmodconfig`, computed from the Kconfig tree without running
  /// anything from it: every visible tristate `m`, every visible bool `y`, invisible symbols at
  /// their first applicable default, `select` forcing its targets, to a fixed point. Members of
  /// a bool `choice` (one of which Kconfig would pick) are `y` only when listed in `choices`,
  /// since the reader keeps no choice groups. Macros such as `$(cc-option,…)` count as unset;
  /// `fixed` gives symbols whose value is known without them (the compiler's identity, which
  /// Kconfig asks the compiler for), and which the rest of the estimate then depends on.
  public func allmodconfigEstimate(choices: Set<String>, fixed: [String: String] = [:])
    -> KernelConfig
  {
    var estimate = ConfigurationEstimator(model: kconfig, choices: choices, fixed: fixed)
    return estimate.solve()
  }
}

/// The fixed-point evaluation behind `allmodconfigEstimate`.
struct ConfigurationEstimator {
  let model: KconfigModel
  let choices: Set<String>
  private var values: [String: Tristate] = [:]
  private var texts: [String: String] = [:]

  init(model: KconfigModel, choices: Set<String>, fixed: [String: String] = [:]) {
    self.model = model
    self.choices = choices
    for (name, value) in fixed {
      if let tristate = Tristate(rawValue: value) {
        values[name] = tristate
      } else {
        texts[name] = value
      }
    }
    self.fixed = Set(fixed.keys)
  }

  private let fixed: Set<String>

  mutating func solve() -> KernelConfig {
    let names = model.definitions.keys.sorted().filter { !fixed.contains($0) }
    // A symbol's value is a function of the values and texts of the symbols its definitions
    // and reverse dependencies name (`inputs`): evaluated again only when one of those changed
    // since its last evaluation, it would get the value it has. Skipping it keeps every value
    // of every round as the full sweep makes it, and the rounds after the first touch only what
    // the round before changed.
    var numbers: [String: Int] = [:]
    func number(_ symbol: String) -> Int {
      if let known = numbers[symbol] { return known }
      numbers[symbol] = numbers.count
      return numbers.count - 1
    }
    let inputs = names.map { name in
      Set(inputSymbols(of: name)).map(number)
    }
    let own = names.map(number)
    // The step at which each symbol last changed, and at which each name was last evaluated
    // (one step per name per round).
    var changedAt = [Int](repeating: -1, count: numbers.count)
    var evaluatedAt = [Int](repeating: -1, count: names.count)
    var step = 0
    // Each round can only enable what the previous one made possible; thirty rounds reach the
    // fixed point on the 6.x trees (dependency chains are shorter than that).
    for _ in 0..<30 {
      var changed = false
      for (offset, name) in names.enumerated() {
        step += 1
        let last = evaluatedAt[offset]
        // `>=`: a name that reads itself saw its value before its own change at `last`.
        if last >= 0, !inputs[offset].contains(where: { changedAt[$0] >= last }) { continue }
        evaluatedAt[offset] = step
        guard let definitions = model.definitions[name] else { continue }
        let kind = definitions.lazy.compactMap(\.kind).first ?? .bool
        if kind == .other {
          let text = otherValue(definitions)
          if texts[name] != text {
            texts[name] = text
            changed = true
            changedAt[own[offset]] = step
          }
          continue
        }
        let value = tristateValue(name, definitions, kind: kind)
        if (values[name] ?? .n) != value {
          values[name] = value
          changed = true
          changedAt[own[offset]] = step
        }
      }
      if !changed { break }
    }
    var result: [String: String] = [:]
    for (name, value) in values where value != .n { result[name] = value.rawValue }
    for (name, text) in texts { result[name] = text }
    return KernelConfig(values: result)
  }

  /// Every symbol `tristateValue` or `otherValue` may read for `name`.
  private func inputSymbols(of name: String) -> [String] {
    var result: [String] = []
    func add(_ expression: KconfigExpression) {
      switch expression {
      case .symbol(let symbol): result.append(symbol)
      case .string, .unknown: break
      case .not(let inner): add(inner)
      case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b):
        add(a)
        add(b)
      }
    }
    for definition in model.definitions[name] ?? [] {
      add(definition.dependency)
      definition.prompts.forEach(add)
      for candidate in definition.defaults {
        add(candidate.value)
        add(candidate.condition)
      }
    }
    for reverse in model.reverse[name] ?? [] {
      result.append(reverse.selector)
      add(reverse.condition)
    }
    return result
  }

  private func tristateValue(
    _ name: String, _ definitions: [KconfigDefinition], kind: KconfigDefinition.Kind
  )
    -> Tristate
  {
    let dependency = definitions.map { evaluate($0.dependency) }.max() ?? .n
    let visible = definitions.contains { definition in
      evaluate(definition.dependency) != .n
        && definition.prompts.contains { evaluate($0) != .n }
    }
    var value: Tristate = .n
    if definitions.contains(where: \.inBoolChoice) {
      value = choices.contains(name) && dependency != .n ? .y : .n
    } else if visible {
      value = kind == .tristate ? min(.m, dependency) : (dependency == .n ? .n : .y)
    } else {
      for definition in definitions where evaluate(definition.dependency) != .n {
        if let chosen = definition.defaults.first(where: { evaluate($0.condition) != .n }) {
          value = min(evaluate(chosen.value), evaluate(chosen.condition), dependency)
          break
        }
      }
    }
    for reverse in model.reverse[name] ?? [] {
      value = max(value, min(values[reverse.selector] ?? .n, evaluate(reverse.condition)))
    }
    if kind == .bool && value == .m { value = .y }
    return value
  }

  private func otherValue(_ definitions: [KconfigDefinition]) -> String? {
    // int and hex defaults are often quoted (`default "10" if MAXSMP`); only strings keep quotes.
    let isString = definitions.lazy.compactMap(\.typeLine).first?.hasPrefix("string") ?? false
    for definition in definitions where evaluate(definition.dependency) != .n {
      for candidate in definition.defaults where evaluate(candidate.condition) != .n {
        switch candidate.value {
        case .string(let text): return isString ? "\"\(text)\"" : text
        case .symbol(let text) where text.first.map({ $0.isNumber || $0 == "-" }) == true:
          return text
        case .symbol(let other): if let known = texts[other] { return known }
        default: continue
        }
      }
    }
    return nil
  }

  private func evaluate(_ expression: KconfigExpression) -> Tristate {
    switch expression {
    case .symbol(let s):
      if let constant = Tristate(rawValue: s) { return constant }
      return values[s] ?? .n
    case .string, .unknown:
      return .n
    case .not(let e):
      switch evaluate(e) {
      case .y: return .n
      case .m: return .m
      case .n: return .y
      }
    case .and(let a, let b): return min(evaluate(a), evaluate(b))
    case .or(let a, let b): return max(evaluate(a), evaluate(b))
    case .compare(let op, let a, let b):
      guard let left = text(a), let right = text(b) else { return .n }
      switch op {
      case "=": return left == right ? .y : .n
      case "!=": return left != right ? .y : .n
      default:
        guard let l = Int(left), let r = Int(right) else { return .n }
        let holds =
          switch op {
          case "<": l < r
          case "<=": l <= r
          case ">": l > r
          default: l >= r
          }
        return holds ? .y : .n
      }
    }
  }

  /// The text an operand of a comparison stands for.
  private func text(_ expression: KconfigExpression) -> String? {
    switch expression {
    case .string(let s): return s
    case .symbol(let s):
      if ["y", "m", "n"].contains(s) || s.first.map({ $0.isNumber || $0 == "-" }) == true {
        return s
      }
      if let value = values[s] { return value.rawValue }
      if let text = texts[s] { return text.trimmingQuotes }
      return model.kind(of: s) == nil ? s : "n"
    default: return nil
    }
  }
}

extension String {
  fileprivate var trimmingQuotes: String {
    hasPrefix("\"") && hasSuffix("\"") && count >= 2 ? String(dropFirst().dropLast()) : self
  }
}
