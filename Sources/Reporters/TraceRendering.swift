import SeverCore

/// How a finding's model counterexample is shown: where each step happened (for SARIF's
/// `codeFlow` and `--trace`), a compact prose form for mail and default output, and which notes
/// locate the cause when not all of them are printed.
///
/// Trace steps carry no location of their own (the model knows events, not lines), but a
/// finding's notes locate what the steps are about: the open that allocates, the release that
/// frees, the `poll_wait`, the unlock that breaks protection, the Kconfig line that makes the
/// file a module. Each step is matched to the first note whose message names what the step
/// does; a step nothing names, and the last step (the violation itself), stay on the finding.
public enum TraceRendering {
  /// The verdicts as the rules' module-capability notes begin.
  enum ModuleCapabilityWords {
    static let all = ModuleCapability.Verdict.allCases.map(\.rawValue)
  }

  /// What each kind of step is about, as words a note's message would use, most specific first.
  /// The keys are model event names (`open` for `open(F1)`) and the verbs of static traces.
  static let stepKeywords: [String: [String]] = [
    "open": ["sets .open", "allocated here", "allocates", " open", "is defined here", "sets ."],
    "open_done": ["sets .open", "allocated here", "allocates", " open"],
    "open_fails": ["allocated here", "allocates", "sets .open"],
    "op_begin": ["= of->priv here", "a copy of"],
    "op": ["= of->priv here", "sets ."],
    "break_active": ["drops", "unlock", "break", "kernfs_show"],
    "unlock": ["drops", "unlock"],
    "lock": ["re-checks", "takes the lock", "lock"],
    "poll_wait": ["poll_wait", "poll handler"],
    "select": ["poll_wait", "poll handler"],
    "epoll": ["poll_wait", "poll handler"],
    "sever": ["frees", "freed here", "sets .release", "release"],
    "show": ["kernfs_show", "frees", "freed here", "release"],
    "last_fput": ["last fput", "frees", "freed here"],
    "rmmod": ["module-capable", "can be a module", "tristate", "obj-m", "module text", "module"],
    "module_exit": [
      "module_exit", "exit", "module-capable", "can be a module", "tristate", "module text",
    ],
    "free": ["i_private", "debugfs_remove", "frees", "freed here"],
  ]

  /// The location of every step of `finding`'s trace, in order; empty without a trace.
  public static func stepLocations(of finding: Finding) -> [SourceLocation] {
    guard let trace = finding.trace else { return [] }
    return trace.steps.indices.map { index in
      guard index < trace.steps.count - 1 else { return finding.location }
      let keywords = stepKeywords[eventName(trace.steps[index].event)] ?? []
      for keyword in keywords {
        if let note = finding.notes.first(where: { $0.message.lowercased().contains(keyword) }) {
          return note.location
        }
      }
      return finding.location
    }
  }

  /// The event's name without its arguments: `open_done` for `open_done(F1)`, `rmmod` for
  /// `rmmod demo`.
  static func eventName(_ event: String) -> String {
    String(event.prefix { $0 != "(" && $0 != " " })
  }

  /// Whether a step's state is the model's state vector (`N=removed M=live F1=released(…)`)
  /// rather than a sentence: every word outside parentheses is `NAME=value`.
  public static func isStateVector(_ state: String) -> Bool {
    var depth = 0
    var words: [String] = [""]
    for character in state {
      if character == "(" { depth += 1 }
      if character == ")" { depth = max(0, depth - 1) }
      if character == " " && depth == 0 {
        words.append("")
      } else {
        words[words.count - 1].append(character)
      }
    }
    let nonEmpty = words.filter { !$0.isEmpty }
    return !nonEmpty.isEmpty
      && nonEmpty.allSatisfy { word in
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
          return false
        }
        return word[..<equals].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
      }
  }

  /// The counterexample as one paragraph of prose, without state vectors: what happens, in
  /// order, and what goes wrong at the end. `open(F1) (kernfs_fop_open)` reads
  /// "F1 is opened (kernfs_fop_open)".
  public static func prose(_ trace: Trace) -> String {
    let parts = stepTexts(trace)
    var texts = parts
    if texts.count > 1 { texts[texts.count - 1] = "then " + texts[texts.count - 1] }
    return sentence(texts.joined(separator: "; ")) + " (violates \(trace.violated.rawValue))."
  }

  /// The trace in at most three sentences, as a commit message tells a bug: the steps that set
  /// the scene, those that lead up to the failure, and the failure with the clause it violates.
  public static func sentences(_ trace: Trace) -> String {
    let parts = stepTexts(trace)
    guard let failure = parts.last else { return "" }
    let before = Array(parts.dropLast())
    let split = before.count > 2 ? (before.count + 1) / 2 : before.count
    let groups = [Array(before[..<split]), Array(before[split...])].filter { !$0.isEmpty }
    let lead = groups.map { sentence($0.joined(separator: "; ")) + "." }
    let last =
      sentence((before.isEmpty ? "" : "Then ") + failure)
      + " (violates \(trace.violated.rawValue))."
    return (lead + [last]).joined(separator: " ")
  }

  /// Each step in words: the event, the function it mirrors, and the state where it says
  /// something (always for the last step, the failure).
  static func stepTexts(_ trace: Trace) -> [String] {
    trace.steps.enumerated().map { index, step in
      let mirrors = step.mirrors.map { " (\($0))" } ?? ""
      let text = phrase(step.event) + mirrors
      let state = step.state.hasPrefix("✗ ") ? String(step.state.dropFirst(2)) : step.state
      let isLast = index == trace.steps.count - 1
      if isLast || (!isStateVector(step.state) && !state.isEmpty) { return text + ": " + state }
      return text
    }
  }

  /// Text as one sentence: its first letter capitalised, no final full stop.
  static func sentence(_ text: String) -> String {
    var text = text
    if let first = text.first { text = first.uppercased() + text.dropFirst() }
    while text.hasSuffix(".") { text.removeLast() }
    return text
  }

  /// A model event in words; an event the table does not know is printed as the model wrote it.
  static func phrase(_ event: String) -> String {
    let name = eventName(event)
    let arguments: [String] = {
      guard let open = event.firstIndex(of: "("), event.hasSuffix(")") else { return [] }
      return event[event.index(after: open)..<event.index(before: event.endIndex)]
        .split(separator: ",").map { String($0.drop { $0 == " " }) }
    }()
    let first = arguments.first ?? ""
    let second = arguments.count > 1 ? arguments[1] : ""
    switch (name, arguments.count) {
    case ("open", 1): return "\(first) is opened"
    case ("open_done", 1): return "\(first)'s open succeeds"
    case ("open_fails", 1): return "\(first)'s open fails"
    case ("op", 2): return "\(first)'s \(second) runs"
    case ("op_begin", 2): return "\(first)'s \(second) starts"
    case ("break_active", 1): return "\(first)'s handler breaks active protection"
    case ("lock", 2): return "\(first)'s handler takes \(second)"
    case ("use_priv", 1): return "\(first)'s handler uses of->priv"
    case ("unlock", 1): return "\(first)'s handler unlocks"
    case ("poll_wait", 2): return "poller \(first) waits on \(second)"
    case ("poll_freewait", 1): return "\(first) unlinks its wait entry"
    case ("ep_remove", 1): return "epoll removes \(first)'s entry"
    case ("sever", 1): return "the node is removed, which releases its open files"
    case ("show", 2): return second == "false" ? "the node is hidden" : "the node is shown again"
    case ("last_fput", 1): return "the last reference to \(first) is put"
    case ("rmmod", _): return "rmmod starts unloading the module"
    case ("module_exit", _): return "the module's exit runs and its text is freed"
    case ("free", 1) where first == "task": return "the task exits"
    case ("free", 1) where first == "i_private": return "the driver frees i_private"
    default: return event
    }
  }

  /// The notes printed by default: those that locate the cause. Notes in C files come first,
  /// at most `limit`: when there are more, registration context (`registered with …`,
  /// `created with …`) goes first, then middle notes, keeping the first (what the finding is
  /// about) and the last (where it ends: the release that frees). Of the Kconfig and Makefile
  /// lines that show module capability, only the decisive one is kept: the Kconfig definition
  /// of the symbol in the object's own `obj-$(CONFIG_X)` line, which the evidence lists first of
  /// the Kconfig lines (else the last line). `--trace` prints them all.
  public static func causalNotes(_ notes: [Finding.Note], limit: Int = 3) -> [Finding.Note] {
    // Module-capability evidence: a Kconfig or Makefile line, or a wrapper's `#include` of the
    // file, which the rules write with the verdict first.
    func inCode(_ note: Finding.Note) -> Bool {
      (note.location.path.hasSuffix(".c") || note.location.path.hasSuffix(".h"))
        && !ModuleCapabilityWords.all.contains { note.message.hasPrefix($0 + ":") }
    }
    var code = notes.filter(inCode)
    if code.count > limit {
      let context = code.filter { note in
        ["registered with", "created with"].contains { note.message.hasPrefix($0) }
      }
      for note in context.reversed() where code.count > limit {
        code.removeAll { $0 == note }
      }
    }
    if code.count > limit, limit >= 2, let last = code.last {
      code = Array(code.prefix(limit - 1)) + [last]
    }
    // The evidence runs from the object's Makefile line outward, then the Kconfig definitions
    // in the order the Makefile lines name them: the first is the symbol that decides whether
    // this object is obj-m, not the one of a directory above it.
    let buildNotes = notes.filter { !inCode($0) }
    let build =
      buildNotes.first {
        ($0.location.path.split(separator: "/").last ?? "").hasPrefix("Kconfig")
      } ?? buildNotes.last
    // In the order the rule wrote them.
    return notes.filter { note in code.contains(note) || note == build }
  }
}
