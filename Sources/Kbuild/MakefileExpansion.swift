import SeverCore

/// Make's expansion of `$(…)` references and functions, done symbolically: every alternative
/// value carries the condition under which it is the value.
extension MakefileEvaluator {
  // MARK: Expansion

  /// Expands a value into conditioned words. A word that is exactly `$(VAR)` splices the
  /// variable's words with their own conditions, which keeps lists exact.
  func expandWords(_ text: String, _ condition: Condition) -> [CondWord] {
    var out: [CondWord] = []
    for word in MakeText.words(text) {
      if word.hasPrefix("$("), word.hasSuffix(")"), let value = plainReference(word) {
        for item in value {
          guard let c = item.condition.and(condition) else { continue }
          out.append(CondWord(text: item.text, condition: c, origins: item.origins))
        }
        continue
      }
      if let mapped = listFunction(word, condition) {
        out += mapped
        continue
      }
      for alt in expandText(Substring(word), condition) {
        for piece in MakeText.words(alt.text) {
          out.append(CondWord(text: piece, condition: alt.condition, origins: []))
        }
      }
    }
    return out
  }

  /// The argument that holds the word list, for functions that map a list word by word.
  private static let listArgument: [String: Int] = [
    "addprefix": 1, "addsuffix": 1, "patsubst": 2, "filter": 1, "filter-out": 1, "notdir": 0,
    "basename": 0, "strip": 0, "sort": 0,
  ]

  /// `$(addprefix p,$(LIST))` and friends, applied word by word so that each word keeps its own
  /// condition: no alternatives are enumerated, however long and conditional the list.
  private func listFunction(_ word: String, _ condition: Condition) -> [CondWord]? {
    guard word.hasPrefix("$("), word.hasSuffix(")") else { return nil }
    let whole = Substring(word)
    guard let end = MakeText.closing(whole, from: whole.index(after: whole.startIndex)),
      end == whole.endIndex
    else { return nil }
    let body = whole.dropFirst(2).dropLast()
    let name = String(body.prefix { $0 != " " && $0 != "\t" })
    guard let listIndex = Self.listArgument[name], name.count < body.count else { return nil }
    let args = MakeText.arguments(body.dropFirst(name.count + 1))
    guard listIndex < args.count else { return nil }
    let items = expandWords(MakeText.trim(args[listIndex]), condition)
    let others = args.enumerated().filter { $0.offset != listIndex }.map(\.element)
    var out: [CondWord] = []
    for alt in combinationsOfArguments(others, condition) {
      for item in items {
        guard let c = item.condition.and(alt.condition) else { continue }
        var values = alt.values
        values.insert(item.text, at: min(listIndex, values.count))
        let result = Self.textFunction(name, values, tree: tree, directory: directory)
        for piece in MakeText.words(result) {
          out.append(CondWord(text: piece, condition: c, origins: item.origins))
        }
      }
    }
    return out
  }

  private func combinationsOfArguments(_ args: [Substring], _ condition: Condition) -> [(
    values: [String], condition: Condition
  )] {
    var partial: [([String], Condition)] = [([], condition)]
    for arg in args {
      var next: [([String], Condition)] = []
      for (values, c) in partial {
        for alt in expandText(arg, c) { next.append((values + [alt.text], alt.condition)) }
      }
      partial = Array(next.prefix(Self.alternativeLimit))
    }
    return partial.map { (values: $0.0, condition: $0.1) }
  }

  private func plainReference(_ word: String) -> [CondWord]? {
    let inner = word.dropFirst(2).dropLast()
    guard !inner.contains(where: { " $(:,".contains($0) }) else { return nil }
    return variables[String(inner)] ?? (lookaheadActive ? lookahead[String(inner)] : nil)
  }

  /// Expands text into alternatives, each with the condition under which it is the value.
  func expandText(_ text: Substring, _ condition: Condition) -> [Alternative] {
    var results = [Alternative(text: "", condition: condition)]
    var index = text.startIndex
    var literal = ""
    func flush() {
      guard !literal.isEmpty else { return }
      for i in results.indices { results[i].text += literal }
      literal = ""
    }
    while index < text.endIndex {
      let c = text[index]
      guard c == "$" else {
        literal.append(c)
        index = text.index(after: index)
        continue
      }
      let next = text.index(after: index)
      guard next < text.endIndex else { break }
      let n = text[next]
      if n == "$" {
        literal.append("$")
        index = text.index(after: next)
        continue
      }
      flush()
      let body: Substring
      if n == "(" || n == "{" {
        guard let end = MakeText.closing(text, from: next) else {
          literal.append(contentsOf: text[index...])
          break
        }
        body = text[text.index(after: next)..<text.index(before: end)]
        index = end
      } else {
        body = text[next...next]
        index = text.index(after: next)
      }
      var combined: [Alternative] = []
      for result in results {
        for alt in expandReference(body, result.condition) {
          combined.append(Alternative(text: result.text + alt.text, condition: alt.condition))
          if combined.count >= Self.alternativeLimit { break }
        }
      }
      results = combined
    }
    flush()
    return results
  }

  private static let functions: Set<String> = [
    "subst", "patsubst", "strip", "findstring", "filter", "filter-out", "sort", "word", "words",
    "wordlist", "firstword", "lastword", "dir", "notdir", "suffix", "basename", "addsuffix",
    "addprefix", "join", "wildcard", "realpath", "abspath", "if", "or", "and", "foreach",
    "call", "shell", "origin", "flavor", "info", "warning", "error", "value", "eval", "file",
  ]

  private func expandReference(_ body: Substring, _ condition: Condition) -> [Alternative] {
    let name = body.prefix { $0 != " " && $0 != "\t" }
    if name.count < body.count, Self.functions.contains(String(name)) {
      let args = body.dropFirst(name.count + 1)
      return expandFunction(String(name), args, condition)
    }
    // Substitution reference `$(VAR:a=b)`.
    if let colon = body.firstIndex(of: ":"), !body[..<colon].contains("$"),
      let eq = body[colon...].firstIndex(of: "=")
    {
      let from = String(body[body.index(after: colon)..<eq])
      let to = String(body[body.index(after: eq)...])
      let pattern = from.contains("%") ? from : "%" + from
      let replacement = from.contains("%") ? to : "%" + to
      return expandReference(body[..<colon], condition).map { alt in
        let words = alt.text.split(separator: " ").map {
          MakeText.patsubst(pattern, replacement, String($0))
        }
        return Alternative(text: words.joined(separator: " "), condition: alt.condition)
      }
    }
    var out: [Alternative] = []
    for nameAlt in expandText(body, condition) {
      out += variableValue(nameAlt.text, nameAlt.condition)
    }
    return out
  }

  private func variableValue(_ name: String, _ condition: Condition) -> [Alternative] {
    if let words = variables[name] ?? (lookaheadActive ? lookahead[name] : nil) {
      // Words whose condition the context already implies are plain text here; only the others
      // become alternatives.
      var fixed: [String] = []
      var conditional: [CondWord] = []
      for word in words {
        guard let both = condition.and(word.condition) else { continue }
        if both.atoms == condition.atoms {
          fixed.append(word.text)
        } else {
          conditional.append(word)
        }
      }
      var out = [Alternative(text: fixed.joined(separator: " "), condition: condition)]
      for word in conditional {
        guard let c = condition.and(word.condition) else { continue }
        out.append(Alternative(text: (fixed + [word.text]).joined(separator: " "), condition: c))
      }
      return out
    }
    if name.hasPrefix("CONFIG_") {
      let symbol = String(name.dropFirst(7))
      var out: [Alternative] = []
      for (text, value) in [("y", Tristate.y), ("m", .m), ("", .n)] {
        if let c = condition.and(.symbol(symbol, in: TristateSet([value]))) {
          out.append(Alternative(text: text, condition: c))
        }
      }
      return out
    }
    return [Alternative(text: "", condition: condition)]
  }

  /// Expands every argument and calls `body` on each combination of alternatives.
  private func combinations(
    _ args: [Substring], _ condition: Condition, _ body: ([String], Condition) -> String
  ) -> [Alternative] {
    var partial: [([String], Condition)] = [([], condition)]
    for arg in args {
      var next: [([String], Condition)] = []
      for (values, c) in partial {
        for alt in expandText(arg, c) {
          next.append((values + [alt.text], alt.condition))
          if next.count >= Self.alternativeLimit { break }
        }
      }
      partial = next
    }
    return partial.map { Alternative(text: body($0.0, $0.1), condition: $0.1) }
  }

  private static func split(_ s: String) -> [String] {
    s.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
  }

  private func expandFunction(_ name: String, _ args: Substring, _ condition: Condition)
    -> [Alternative]
  {
    let parts = MakeText.arguments(args)
    let unknown = [Alternative(text: Self.unknownMarker, condition: condition.markedUncertain)]
    switch name {
    case "if", "or", "and":
      return expandLogical(name, parts, condition)
    case "foreach":
      return expandForeach(parts, condition)
    case "info", "warning", "error", "eval":
      return [Alternative(text: "", condition: condition)]
    case "shell", "call", "value", "file", "realpath", "abspath", "origin", "flavor":
      return unknown
    default:
      break
    }
    return combinations(parts, condition) { values, _ in
      Self.textFunction(name, values, tree: tree, directory: directory)
    }
  }

  private func expandLogical(_ name: String, _ parts: [Substring], _ condition: Condition)
    -> [Alternative]
  {
    guard let first = parts.first else { return [Alternative(text: "", condition: condition)] }
    var out: [Alternative] = []
    for alt in expandText(first, condition) {
      let value = MakeText.trim(alt.text)
      switch name {
      case "if":
        let branch =
          value.isEmpty ? (parts.count > 2 ? parts[2] : "") : (parts.count > 1 ? parts[1] : "")
        out += expandText(branch, alt.condition)
      case "or":
        if !value.isEmpty || parts.count == 1 {
          out.append(Alternative(text: value, condition: alt.condition))
        } else {
          out += expandLogical("or", Array(parts.dropFirst()), alt.condition)
        }
      default:
        if value.isEmpty || parts.count == 1 {
          out.append(Alternative(text: value, condition: alt.condition))
        } else {
          out += expandLogical("and", Array(parts.dropFirst()), alt.condition)
        }
      }
    }
    return out
  }

  private func expandForeach(_ parts: [Substring], _ condition: Condition) -> [Alternative] {
    guard parts.count == 3 else { return [Alternative(text: "", condition: condition)] }
    var out: [Alternative] = []
    for listAlt in expandText(parts[1], condition) {
      var copy = self
      var texts: [String] = []
      var c = listAlt.condition
      for item in Self.split(listAlt.text) {
        copy.variables[MakeText.trim(parts[0])] = [
          CondWord(text: item, condition: .always, origins: [])
        ]
        // Only the first alternative of each body is kept: foreach bodies in kbuild files are
        // plain text transformations.
        if let first = copy.expandText(parts[2], c).first {
          texts.append(first.text)
          c = first.condition
        }
      }
      out.append(Alternative(text: texts.joined(separator: " "), condition: c))
    }
    return out
  }

  // swiftlint:disable:next cyclomatic_complexity
  static func textFunction(
    _ name: String, _ v: [String], tree: TreeFiles, directory: String
  ) -> String {
    func arg(_ i: Int) -> String { i < v.count ? v[i] : "" }
    switch name {
    case "subst":
      let from = arg(0)
      return from.isEmpty ? arg(2) : arg(2).replacingAll(from, with: arg(1))
    case "patsubst":
      return split(arg(2)).map {
        MakeText.patsubst(MakeText.trim(arg(0)), MakeText.trim(arg(1)), $0)
      }
      .joined(separator: " ")
    case "strip": return split(arg(0)).joined(separator: " ")
    case "findstring": return arg(1).contains(arg(0)) ? arg(0) : ""
    case "filter", "filter-out":
      let patterns = split(arg(0))
      let keep = name == "filter"
      return split(arg(1)).filter { word in
        patterns.contains { MakeText.patternMatch($0, word) != nil } == keep
      }.joined(separator: " ")
    case "sort": return Array(Set(split(arg(0)))).sorted().joined(separator: " ")
    case "firstword": return split(arg(0)).first ?? ""
    case "lastword": return split(arg(0)).last ?? ""
    case "words": return String(split(arg(0)).count)
    case "word":
      let words = split(arg(1))
      let n = Int(MakeText.trim(arg(0))) ?? 0
      return n >= 1 && n <= words.count ? words[n - 1] : ""
    case "dir":
      return split(arg(0)).map { w in
        w.lastIndex(of: "/").map { String(w[...$0]) } ?? "./"
      }.joined(separator: " ")
    case "notdir":
      return split(arg(0)).map { String($0.split(separator: "/").last ?? "") }.joined(
        separator: " ")
    case "basename", "suffix":
      return split(arg(0)).map { w in
        guard let dot = w.lastIndex(of: "."), !w[dot...].contains("/") else {
          return name == "basename" ? w : ""
        }
        return name == "basename" ? String(w[..<dot]) : String(w[dot...])
      }.joined(separator: " ")
    case "addsuffix": return split(arg(1)).map { $0 + MakeText.trim(arg(0)) }.joined(separator: " ")
    case "addprefix": return split(arg(1)).map { MakeText.trim(arg(0)) + $0 }.joined(separator: " ")
    case "wildcard":
      return split(arg(0)).flatMap { tree.glob($0, from: directory) }.joined(separator: " ")
    default:
      return Self.unknownMarker
    }
  }
}

extension String {
  /// Replaces every occurrence of `target` (non-empty) with `replacement`.
  func replacingAll(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty else { return self }
    var out = ""
    var rest = Substring(self)
    while let range = rest.range(of: target) {
      out += rest[..<range.lowerBound]
      out += replacement
      rest = rest[range.upperBound...]
    }
    return out + rest
  }
}

extension Substring {
  /// The first range of `target`, by plain character comparison.
  fileprivate func range(of target: String) -> Range<Substring.Index>? {
    guard let first = target.first else { return nil }
    var index = startIndex
    while index < endIndex {
      if self[index] == first, self[index...].hasPrefix(target) {
        return index..<self.index(index, offsetBy: target.count)
      }
      index = self.index(after: index)
    }
    return nil
  }
}
