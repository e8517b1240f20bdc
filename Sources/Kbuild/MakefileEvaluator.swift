import SeverCore

/// A word of a make variable together with the configurations in which it is present and the
/// Makefile lines that put it there.
struct CondWord: Hashable, Sendable {
  var text: String
  var condition: Condition
  var origins: [ModuleCapability.Evidence]
}

/// Evaluates one Kbuild makefile symbolically: instead of a single `.config`, every
/// `$(CONFIG_X)` stands for its three possible values, each under a condition on `X`, so one
/// reading serves every configuration (and the `--config` answer is a filter on conditions).
///
/// Supports what the kernel's kbuild files use for object lists: `:=`/`=`/`+=`/`?=`,
/// `ifeq`/`ifneq`/`ifdef`/`ifndef`/`else`/`endif`, `include`, and the text functions
/// (`subst`, `patsubst`, `addprefix`, `filter`, `if`, `foreach`, …). `$(shell …)` and
/// `$(call …)` are unknown and mark the result uncertain.
struct MakefileEvaluator {
  /// One text alternative of an expansion.
  struct Alternative {
    var text: String
    var condition: Condition
  }

  /// One level of `ifeq`/`ifdef` nesting: the disjunction that enters the current branch.
  private struct Guard {
    var thenConditions: [Condition]
    var elseConditions: [Condition]
    var inElse: Bool
    var current: [Condition] { inElse ? elseConditions : thenConditions }
  }

  /// Marks text that could not be evaluated.
  static let unknownMarker = "\u{1}?"
  private static let alternativeLimit = 64

  let tree: TreeFiles
  let directory: String
  var variables: [String: [CondWord]]
  private var guards: [Guard] = []
  private var includeDepth = 0

  /// Creates an evaluator for the kbuild file of `directory` (tree-relative, "" for the root).
  init(tree: TreeFiles, directory: String, globals: [String: [CondWord]]) {
    self.tree = tree
    self.directory = directory
    var variables = globals
    let dir = directory.isEmpty ? "." : directory
    for name in ["obj", "src"] {
      variables[name] = [CondWord(text: dir, condition: .always, origins: [])]
    }
    self.variables = variables
  }

  // MARK: Reading

  /// Reads a makefile (tree-relative path) into the variables.
  mutating func read(path: String) {
    guard let text = tree.read(path) else { return }
    var inRecipe = false
    var inDefine = 0
    for line in MakeText.logicalLines(text) {
      if line.startsWithTab && inRecipe { continue }
      let stripped = MakeText.trim(MakeText.stripComment(line.text))
      if inDefine > 0 {
        if stripped.hasPrefix("define ") { inDefine += 1 }
        if stripped == "endef" { inDefine -= 1 }
        continue
      }
      if stripped.isEmpty { continue }
      inRecipe = false
      let location = SourceLocation(path: path, line: line.number, column: 1)
      if handleConditional(stripped) { continue }
      guard isActive else { continue }
      if stripped.hasPrefix("define ") || stripped == "define" {
        inDefine = 1
        continue
      }
      if handleInclude(stripped) { continue }
      if handleAssignment(stripped, location: location) { continue }
      if stripped.contains(":") { inRecipe = true }
    }
  }

  /// The current branch's conditions; empty when the branch is dead.
  private var activeConditions: [Condition] {
    var result: [Condition] = [.always]
    for frame in guards {
      var next: [Condition] = []
      for a in result {
        for b in frame.current { if let c = a.and(b) { next.append(c) } }
      }
      result = Array(Set(next)).prefix(Self.alternativeLimit).map { $0 }
      if result.isEmpty { return [] }
    }
    return result
  }

  private var isActive: Bool { !activeConditions.isEmpty }

  private mutating func handleConditional(_ line: String) -> Bool {
    let keyword = line.prefix { $0 != " " && $0 != "\t" && $0 != "(" }
    switch keyword {
    case "ifeq", "ifneq", "ifdef", "ifndef":
      let (yes, no) = evaluateTest(String(keyword), MakeText.trim(line.dropFirst(keyword.count)))
      guards.append(Guard(thenConditions: yes, elseConditions: no, inElse: false))
      return true
    case "else":
      guard var frame = guards.popLast() else { return true }
      let rest = MakeText.trim(line.dropFirst(4))
      if rest.isEmpty {
        frame.inElse = true
        guards.append(frame)
      } else {
        // `else ifeq …`: the new test applies inside the old else branch.
        let inner = String(rest.prefix { $0 != " " && $0 != "\t" && $0 != "(" })
        let (yes, no) = evaluateTest(inner, MakeText.trim(rest.dropFirst(inner.count)))
        let outerElse = frame.elseConditions
        frame.thenConditions = Self.product(outerElse, yes)
        frame.elseConditions = Self.product(outerElse, no)
        frame.inElse = false
        guards.append(frame)
      }
      return true
    case "endif":
      _ = guards.popLast()
      return true
    default:
      return false
    }
  }

  private static func product(_ a: [Condition], _ b: [Condition]) -> [Condition] {
    var out: [Condition] = []
    for x in a { for y in b { if let c = x.and(y) { out.append(c) } } }
    return Array(Set(out))
  }

  /// Splits the configurations into those where the test is true and those where it is false.
  private func evaluateTest(_ keyword: String, _ argument: String) -> ([Condition], [Condition]) {
    if keyword == "ifdef" || keyword == "ifndef" {
      let name = MakeText.trim(argument)
      var yes: [Condition] = []
      var no: [Condition] = []
      for alt in expandText(Substring("$(\(name))"), .always) {
        if alt.text.contains(Self.unknownMarker) {
          yes.append(alt.condition.markedUncertain)
          no.append(alt.condition.markedUncertain)
        } else if alt.text.isEmpty {
          no.append(alt.condition)
        } else {
          yes.append(alt.condition)
        }
      }
      return keyword == "ifdef" ? (yes, no) : (no, yes)
    }
    guard let (lhs, rhs) = Self.splitTestArguments(argument) else {
      return ([Condition.always.markedUncertain], [Condition.always.markedUncertain])
    }
    var yes: [Condition] = []
    var no: [Condition] = []
    for a in expandText(Substring(lhs), .always) {
      for b in expandText(Substring(rhs), a.condition) {
        if a.text.contains(Self.unknownMarker) || b.text.contains(Self.unknownMarker) {
          yes.append(b.condition.markedUncertain)
          no.append(b.condition.markedUncertain)
        } else if MakeText.trim(a.text) == MakeText.trim(b.text) {
          yes.append(b.condition)
        } else {
          no.append(b.condition)
        }
      }
    }
    return keyword == "ifeq" ? (yes, no) : (no, yes)
  }

  /// `(a,b)`, `"a" "b"` or `'a' 'b'`.
  private static func splitTestArguments(_ s: String) -> (String, String)? {
    let sub = Substring(s)
    if sub.first == "(" && sub.last == ")" {
      let parts = MakeText.arguments(sub.dropFirst().dropLast(), limit: 2)
      guard parts.count == 2 else { return nil }
      return (String(parts[0]), String(parts[1]))
    }
    var quoted: [String] = []
    var current: String?
    var quote: Character = "\""
    for c in s {
      if let value = current {
        if c == quote {
          quoted.append(value)
          current = nil
        } else {
          current = value + String(c)
        }
      } else if c == "\"" || c == "'" {
        quote = c
        current = ""
      }
    }
    return quoted.count == 2 ? (quoted[0], quoted[1]) : nil
  }

  private mutating func handleInclude(_ line: String) -> Bool {
    let keywords = ["include ", "-include ", "sinclude "]
    guard let keyword = keywords.first(where: { line.hasPrefix($0) }) else { return false }
    guard includeDepth < 8 else { return true }
    let rest = String(line.dropFirst(keyword.count))
    for alt in expandText(Substring(rest), .always) where !alt.text.contains(Self.unknownMarker) {
      for word in MakeText.words(alt.text) {
        let path = tree.relativePath(word, from: directory)
        guard let path, tree.isFile(path) else { continue }
        includeDepth += 1
        read(path: path)
        includeDepth -= 1
      }
    }
    return true
  }

  /// Handles `name op value`; returns false when the line is not an assignment.
  private mutating func handleAssignment(_ rawLine: String, location: SourceLocation) -> Bool {
    var line = Substring(rawLine)
    for prefix in ["export ", "override ", "private "] where line.hasPrefix(prefix) {
      line = line.dropFirst(prefix.count)
    }
    guard let (nameText, op, valueText) = Self.splitAssignment(line) else { return false }
    let conditions = activeConditions
    let evidence = ModuleCapability.Evidence(
      location: location, text: MakeText.trim(rawLine), note: "")
    var assigned: [String: [CondWord]] = [:]
    for condition in conditions {
      for nameAlt in expandText(Substring(MakeText.trim(nameText)), condition) {
        let name = MakeText.trim(nameAlt.text)
        guard !name.isEmpty, !name.contains(Self.unknownMarker), !name.contains(" ") else {
          continue
        }
        var value = MakeText.trim(valueText)
        var op = op
        // `X := $(X) more` only adds words; handled as `+=` so the old words are not copied.
        if op != "+=", value.contains("$(\(name))") {
          value = value.replacingAll("$(\(name))", with: "")
          op = "+="
        }
        var words = expandWords(value, nameAlt.condition)
        for index in words.indices { words[index].origins.insert(evidence, at: 0) }
        switch op {
        case "+=":
          variables[name, default: []].append(contentsOf: words)
        case "?=":
          if variables[name] == nil { variables[name] = words }
        case "!=":
          variables[name] = [
            CondWord(text: Self.unknownMarker, condition: nameAlt.condition, origins: [evidence])
          ]
        default:
          // A plain assignment under a condition replaces the old words only there: they stay
          // under the complement (`mmu-$(CONFIG_MMU) := …` after `mmu-y := nommu.o`).
          let old = variables[name, default: []]
          var kept: [CondWord] = nameAlt.condition.uncertain && nameAlt.condition.atoms.isEmpty ? old : []
          if old.count > 32 {
            kept = old
          } else if !nameAlt.condition.atoms.isEmpty {
            for word in old {
              for negation in nameAlt.condition.negations {
                if let c = word.condition.and(negation) {
                  kept.append(CondWord(text: word.text, condition: c, origins: word.origins))
                }
              }
            }
          }
          // Keep the list small: beyond a few splits the old words simply stay (an over-
          // approximation that only widens the possible answers).
          if kept.count > max(64, old.count * 2) {
            variables[name] = old
          } else {
            variables[name] = kept.count > 1 && kept.count != old.count ? Self.deduplicated(kept) : kept
          }
          assigned[name, default: []] += words
        }
      }
    }
    for (name, words) in assigned { variables[name, default: []] += words }
    return true
  }

  private static func deduplicated(_ words: [CondWord]) -> [CondWord] {
    var seen: Set<String> = []
    return words.filter { seen.insert("\($0.text)|\($0.condition)").inserted }
  }

  /// Finds the assignment operator at top level, before any rule colon.
  private static func splitAssignment(_ line: Substring) -> (Substring, String, Substring)? {
    var depth = 0
    var index = line.startIndex
    while index < line.endIndex {
      let c = line[index]
      if c == "(" || c == "{" {
        depth += 1
      } else if c == ")" || c == "}" {
        depth -= 1
      } else if depth == 0 {
        let next = line.index(after: index)
        let following: Character? = next < line.endIndex ? line[next] : nil
        if c == "=" {
          return (line[..<index], "=", line[next...])
        }
        if (c == "+" || c == "?" || c == "!") && following == "=" {
          return (line[..<index], String(c) + "=", line[line.index(after: next)...])
        }
        if c == ":" {
          if following == "=" {
            return (line[..<index], ":=", line[line.index(after: next)...])
          }
          if following == ":", line[line.index(after: next)...].hasPrefix("=") {
            return (line[..<index], ":=", line[line.index(next, offsetBy: 2)...])
          }
          return nil
        }
      }
      index = line.index(after: index)
    }
    return nil
  }

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
      for alt in expandText(Substring(word), condition) {
        for piece in MakeText.words(alt.text) {
          out.append(CondWord(text: piece, condition: alt.condition, origins: []))
        }
      }
    }
    return out
  }

  private func plainReference(_ word: String) -> [CondWord]? {
    let inner = word.dropFirst(2).dropLast()
    guard !inner.contains(where: { " $(:,".contains($0) }) else { return nil }
    return variables[String(inner)]
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
    if let words = variables[name] {
      let fixed = words.filter { $0.condition == .always }.map(\.text)
      let conditional = words.filter { $0.condition != .always }
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
        let branch = value.isEmpty ? (parts.count > 2 ? parts[2] : "") : (parts.count > 1 ? parts[1] : "")
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
  private static func textFunction(
    _ name: String, _ v: [String], tree: TreeFiles, directory: String
  ) -> String {
    func arg(_ i: Int) -> String { i < v.count ? v[i] : "" }
    switch name {
    case "subst":
      let from = arg(0)
      return from.isEmpty ? arg(2) : arg(2).replacingAll(from, with: arg(1))
    case "patsubst":
      return split(arg(2)).map { MakeText.patsubst(MakeText.trim(arg(0)), MakeText.trim(arg(1)), $0) }
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
