import Foundation
import SeverCore

/// `.c` files compiled through `#include "x.c"` in another `.c` file (kernel/sched/
/// build_utility.c includes psi.c and cpuacct.c). Scans a directory the first time a file of
/// it is asked about: compiled files first, then, for chains (au88x0_a3d.c includes
/// au88x0_a3ddata.c and is itself included), the other `.c` files of the directory.
struct WrapperIndex {
  /// One `#include "….c"` line, with the `#if` conditions around it that sever understands
  /// (`#ifdef CONFIG_X`, `#if IS_ENABLED(CONFIG_X)`, `IS_BUILTIN`, `IS_MODULE`, `defined(…)`).
  struct Inclusion: Hashable {
    var wrapper: String
    var location: SourceLocation
    var text: String
    var condition: Condition
  }

  let files: TreeFiles
  let placed: [String: [Placement]]
  private var compiled: [String: [String: [Inclusion]]] = [:]
  private var others: [String: [String: [Inclusion]]] = [:]
  private var compiledHere: [String: Bool] = [:]

  init(files: TreeFiles, placed: [String: [Placement]]) {
    self.files = files
    self.placed = placed
  }

  /// The files that include `path`, sorted by wrapper path: compiled ones from the file's
  /// directory and its parent; when there are none, uncompiled ones of the same directory.
  mutating func wrappers(of path: String) -> [Inclusion] {
    let dir = Self.parent(path)
    var found: [Inclusion] = []
    for candidate in Set([dir, Self.parent(dir)]) {
      found += scan(candidate, compiledOnly: true)[path] ?? []
    }
    // Chains only matter where Kbuild compiles something: skip other architectures' trees.
    if found.isEmpty, hasCompiled(dir) {
      found = (scan(dir, compiledOnly: false)[path] ?? []).filter { $0.wrapper != path }
    }
    return found.sorted { ($0.wrapper, $0.location) < ($1.wrapper, $1.location) }
  }

  /// Included file → the compiled files that include it, for every compiled file of the tree.
  func fullMapping() -> [String: [String]] {
    var out: [String: Set<String>] = [:]
    for source in placed.keys {
      for (included, inclusions) in Self.inclusions(in: source, files: files) {
        for inclusion in inclusions { out[included, default: []].insert(inclusion.wrapper) }
      }
    }
    return out.mapValues { $0.sorted() }
  }

  private mutating func hasCompiled(_ dir: String) -> Bool {
    if let known = compiledHere[dir] { return known }
    let prefix = dir.isEmpty ? "" : dir + "/"
    let answer = files.list(dir).contains { $0.hasSuffix(".c") && placed[prefix + $0] != nil }
    compiledHere[dir] = answer
    return answer
  }

  private mutating func scan(_ dir: String, compiledOnly: Bool) -> [String: [Inclusion]] {
    if let cached = compiledOnly ? compiled[dir] : others[dir] { return cached }
    var map: [String: [Inclusion]] = [:]
    let prefix = dir.isEmpty ? "" : dir + "/"
    for name in files.list(dir) where name.hasSuffix(".c") {
      let source = prefix + name
      guard (placed[source] != nil) == compiledOnly else { continue }
      for (included, inclusions) in Self.inclusions(in: source, files: files) {
        map[included, default: []] += inclusions
      }
    }
    if compiledOnly { compiled[dir] = map } else { others[dir] = map }
    return map
  }

  /// One level of `#if` nesting: the constraint of the branch being read, if understood.
  private struct Branch {
    var condition: Condition?
    /// The constraint of the `#else` branch: known when the test is one symbol.
    var otherwise: Condition?
    var inElse = false
  }

  private static func inclusions(in source: String, files: TreeFiles) -> [String: [Inclusion]] {
    guard let data = files.bytes(source) else { return [:] }
    // Most files include no .c file: test the bytes before decoding the text.
    let marker: [UInt8] = Array(".c\"".utf8)
    let hasMarker = data.withUnsafeBytes { raw -> Bool in
      guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return false }
      return IfdefModuleScanner.find(marker, in: base, count: raw.count) != nil
    }
    guard hasMarker else { return [:] }
    let text = String(decoding: data, as: UTF8.self)
    var map: [String: [Inclusion]] = [:]
    let dir = parent(source)
    var number = 0
    var branches: [Branch] = []
    // "\r\n" is one Character; splitting the scalars finds the "\n" of CRLF line ends too.
    for line in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
      .map(Substring.init)
    {
      number += 1
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      guard trimmed.hasPrefix("#") else { continue }
      let directive = trimmed.dropFirst().drop { $0 == " " || $0 == "\t" }
      let keyword = directive.prefix { $0.isLetter }
      let rest = MakeText.trim(directive.dropFirst(keyword.count))
      switch keyword {
      case "if", "ifdef", "ifndef":
        let test = guardCondition(keyword == "ifndef" ? "ifdef" : String(keyword), rest)
        // One symbol: the other branch is its complement (`#ifndef CONFIG_PREEMPT_RT` … `#else`).
        let complement = test.flatMap { $0.atoms.count == 1 ? $0.negations.first : nil }
        branches.append(
          keyword == "ifndef"
            ? Branch(condition: complement, otherwise: test)
            : Branch(condition: test, otherwise: complement))
        continue
      case "elif", "else":
        if let last = branches.last {
          let otherwise = keyword == "else" ? last.otherwise : nil
          branches[branches.count - 1] = Branch(condition: otherwise, inElse: otherwise == nil)
        }
        continue
      case "endif":
        _ = branches.popLast()
        continue
      case "include":
        break
      default:
        continue
      }
      guard let open = rest.firstIndex(of: "\"") else { continue }
      let quoted = rest[rest.index(after: open)...]
      guard let close = quoted.firstIndex(of: "\""), quoted[..<close].hasSuffix(".c") else {
        continue
      }
      var condition = Condition.always
      for branch in branches where !branch.inElse {
        if let c = branch.condition, let both = condition.and(c) { condition = both }
      }
      let included = MakeText.join(dir, String(quoted[..<close]))
      let inclusion = Inclusion(
        wrapper: source, location: SourceLocation(path: source, line: number, column: 1),
        text: String(trimmed), condition: condition)
      map[included, default: []].append(inclusion)
    }
    return map
  }

  /// The Kconfig constraint of `#ifdef CONFIG_X`, `#if IS_ENABLED(CONFIG_X) && …` and similar;
  /// nil for anything else (negations, `||`, other macros), which then constrains nothing.
  static func guardCondition(_ keyword: String, _ expression: String) -> Condition? {
    if keyword == "ifdef" { return atom(expression, builtinOnlyMacro: true) }
    var condition = Condition.always
    for term in expression.components(separatedBy: "&&") {
      var t = MakeText.trim(term)
      while t.hasPrefix("(") && t.hasSuffix(")") { t = MakeText.trim(t.dropFirst().dropLast()) }
      let call = t.prefix { $0 != "(" }
      let argument = t.dropFirst(call.count).dropFirst().dropLast()
      let values: TristateSet
      switch call {
      case "IS_ENABLED", "IS_REACHABLE": values = TristateSet([.m, .y])
      case "IS_BUILTIN", "defined": values = TristateSet([.y])
      case "IS_MODULE": values = TristateSet([.m])
      default:
        guard let a = atom(t, builtinOnlyMacro: true) else { return nil }
        guard let both = condition.and(a) else { return nil }
        condition = both
        continue
      }
      guard t.hasSuffix(")"), let a = atom(String(argument), builtinOnlyMacro: false) else {
        return nil
      }
      let narrowed =
        call == "defined"
        ? a : Condition(atoms: a.atoms.mapValues { _ in values })
      guard let both = condition.and(narrowed) else { return nil }
      condition = both
    }
    return condition
  }

  /// `CONFIG_X` (defined for y) or `CONFIG_X_MODULE` (defined for m) as a constraint.
  private static func atom(_ text: String, builtinOnlyMacro: Bool) -> Condition? {
    let name = MakeText.trim(text)
    guard name.hasPrefix("CONFIG_"),
      name.dropFirst(7).allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
    else { return nil }
    let symbol = String(name.dropFirst(7))
    if symbol.hasSuffix("_MODULE") {
      return .symbol(String(symbol.dropLast(7)), in: TristateSet([.m]))
    }
    return .symbol(symbol, in: TristateSet([.y]))
  }

  static func parent(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return String(path[..<slash])
  }
}
