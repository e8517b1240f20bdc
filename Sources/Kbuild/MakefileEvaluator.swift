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
  static let alternativeLimit = 64
  /// Words assigned to a variable whose name could not be evaluated.
  static let unevaluatedList = "\u{1}unevaluated"

  let tree: TreeFiles
  let directory: String
  var variables: [String: [CondWord]]
  /// Final values from an earlier reading, for names used before their `=` assignment (make
  /// expands recursive variables when they are used, not when they are read).
  var lookahead: [String: [CondWord]] = [:]
  /// Set while expanding the value of a recursive (`=`) variable, the only place where make
  /// would see a later definition.
  private(set) var lookaheadActive = false
  /// Variables assigned with `:=` (Kbuild declares its lists that way in Makefile.build).
  private var simple: Set<String> = [
    "obj-y", "obj-m", "lib-y", "lib-m", "always-y", "always-m", "targets", "subdir-y",
    "subdir-m", "asflags-y", "ccflags-y", "rustflags-y", "cppflags-y", "ldflags-y",
    "subdir-asflags-y", "subdir-ccflags-y",
  ]
  /// The first line of the kbuild file that assigns each variable.
  private(set) var firstAssigned: [String: Int] = [:]
  private var mainFile: String?
  private var guards: [Guard] = [] {
    // Kept up to date here rather than computed per line, one level per push: each level
    // merges up to `alternativeLimit` terms (fuzz-makefile spent its time there). `guards` only
    // grows or shrinks at its end; any other change recomputes every level.
    didSet {
      if guards.count == levels.count { levels = [] }
      if guards.count < levels.count { levels.removeLast(levels.count - guards.count) }
      while levels.count < guards.count {
        levels.append(Self.conditions(after: levels.last ?? [.always], guards[levels.count]))
      }
    }
  }
  /// The conditions of the branch entered by each level of `guards`.
  private var levels: [[Condition]] = []
  /// The current branch's conditions; empty when the branch is dead.
  private var activeConditions: [Condition] { levels.last ?? [.always] }
  private var includeDepth = 0
  /// The makefiles being read: the main one and the chain of includes down to the current one.
  private var reading: [String] = []

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
    // A makefile that includes itself (directly or through others) is an endless loop for make;
    // reading it again would only multiply the words 2^depth times (found by fuzz-makefile).
    guard !reading.contains(path), let text = tree.read(path) else { return }
    reading.append(path)
    defer { reading.removeLast() }
    if mainFile == nil { mainFile = path }
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

  /// Whether the kbuild file uses a variable on a line before the line that first assigns it:
  /// then a second reading with `lookahead` gives make's answer (drivers/xen/Makefile uses
  /// `$(xen-pad-y)` one line before defining it).
  func hasForwardReferences() -> Bool {
    guard let mainFile, let text = tree.read(mainFile), !firstAssigned.isEmpty else { return false }
    for line in MakeText.logicalLines(text) {
      let bytes = Array(line.text.utf8)
      var i = 0
      while i + 2 < bytes.count {
        guard bytes[i] == 0x24, bytes[i + 1] == 0x28 else {
          i += 1
          continue
        }
        var j = i + 2
        while j < bytes.count,
          bytes[j] == 0x5F || bytes[j] == 0x2D || (bytes[j] >= 0x30 && bytes[j] <= 0x39)
            || (bytes[j] | 0x20 >= 0x61 && bytes[j] | 0x20 <= 0x7A)
        {
          j += 1
        }
        if j < bytes.count, bytes[j] == 0x29, j > i + 2 {
          let name = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
          if let first = firstAssigned[name], first > line.number { return true }
        }
        i = j
      }
    }
    return false
  }

  /// The conditions of the branch `frame` enters from a branch under `outer`; empty when the
  /// branch is dead.
  private static func conditions(after outer: [Condition], _ frame: Guard) -> [Condition] {
    var next: [Condition] = []
    // Merging is quadratic in the terms, so they are bounded before it (the result keeps at
    // most `alternativeLimit` anyway): real makefiles stay far below, a fuzz-makefile input
    // nesting many multi-valued tests spent seconds per line here.
    terms: for a in outer {
      for b in frame.current {
        if let c = a.and(b) { next.append(c) }
        if next.count >= 4 * alternativeLimit { break terms }
      }
    }
    return Array(Condition.merged(next).prefix(alternativeLimit))
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
    return Condition.merged(out)
  }

  /// Splits the configurations into those where the test is true and those where it is false.
  private func evaluateTest(_ keyword: String, _ argument: String) -> ([Condition], [Condition]) {
    if keyword == "ifdef" || keyword == "ifndef" {
      let name = MakeText.trim(argument)
      var yes: [Condition] = []
      var no: [Condition] = []
      for alt in expandText(Substring("$(\(name))"), .always) {
        if MakeText.contains(alt.text, Self.unknownMarker) {
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
        if MakeText.contains(a.text, Self.unknownMarker)
          || MakeText.contains(b.text, Self.unknownMarker)
        {
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
    // Each makefile once, read under the conditions its name came with (a makefile named in
    // a list built under `ifdef CONFIG_X` only counts when X is set).
    var order: [String] = []
    var conditions: [String: [Condition]] = [:]
    for word in expandWords(rest, .always) where !MakeText.contains(word.text, Self.unknownMarker) {
      guard let path = tree.relativePath(word.text, from: directory), tree.isFile(path) else {
        continue
      }
      if conditions[path] == nil { order.append(path) }
      conditions[path, default: []].append(word.condition)
    }
    for path in order {
      let terms = Condition.merged(conditions[path] ?? [.always])
      guards.append(Guard(thenConditions: terms, elseConditions: [], inElse: false))
      includeDepth += 1
      read(path: path)
      includeDepth -= 1
      _ = guards.popLast()
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
      location: location, text: MakeText.words(rawLine).joined(separator: " "), note: "")
    var assigned: [String: [CondWord]] = [:]
    for condition in conditions {
      for nameAlt in expandText(Substring(MakeText.trim(nameText)), condition) {
        let name = MakeText.trim(nameAlt.text)
        guard !name.isEmpty, !name.contains(" ") else { continue }
        if MakeText.contains(name, Self.unknownMarker) {
          // `obj-$(shell …)`: keep the words aside so that the answer can say "unknown".
          var words = expandWords(MakeText.trim(valueText), nameAlt.condition.markedUncertain)
          for index in words.indices { words[index].origins.insert(evidence, at: 0) }
          variables[Self.unevaluatedList, default: []] += words
          continue
        }
        var value = MakeText.trim(valueText)
        var op = op
        // `X := $(X) more` only adds words; handled as `+=` so the old words are not copied.
        if op != "+=", MakeText.contains(value, "$(\(name))") {
          value = value.replacingAll("$(\(name))", with: "")
          op = "+="
        }
        if location.path == mainFile, firstAssigned[name] == nil {
          firstAssigned[name] = location.line
        }
        if op == ":=" { simple.insert(name) }
        if op == "=" { simple.remove(name) }
        lookaheadActive = !lookahead.isEmpty && !simple.contains(name) && op != ":="
        var words = expandWords(value, nameAlt.condition)
        lookaheadActive = false
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
          var kept: [CondWord] =
            nameAlt.condition.uncertain && nameAlt.condition.atoms.isEmpty ? old : []
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
            variables[name] =
              kept.count > 1 && kept.count != old.count ? Self.deduplicated(kept) : kept
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
}
