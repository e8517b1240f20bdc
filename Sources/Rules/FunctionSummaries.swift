import SeverCore
import Synchronization

/// Per-function analyses over the whole run: what a function frees, which waitqueue heads it
/// hands to `poll_wait`, which reference counts it takes and drops, each through the helpers it
/// calls.
///
/// Each analysis is a value per function, computed once, bottom-up over the call graph: the
/// strongly connected components of the graph (Tarjan) are finished callees first, and the
/// functions of a recursive component are iterated together to their least fixpoint. Every
/// result records the depth (functions from the analysed one down to the fact, itself included)
/// of its shortest derivation, and results are kept up to `AnalysisDepth.horizon`; a rule reads
/// a summary at its own depth (`frees(_:within:)`), so no depth budget is ever baked into a
/// stored result, and no result depends on which function or table happened to be asked about
/// first.
///
/// The rules run on several threads (`runRules`): each analysis's results sit behind a lock of
/// their own, held while a component is solved, so a summary is computed once whichever rule
/// asks first. A transfer function reads only the index, never another analysis, so no thread
/// waits on one lock while holding another.
public final class FunctionSummaries: Sendable {
  let index: FactIndex
  private let freeResults = Mutex(BottomUp<FreedObject.Key, FreedObject>())
  private let headResults = Mutex(BottomUp<PolledHead.Key, PolledHead>())
  private let referenceResults = Mutex(BottomUp<ObjectReference.Key, ObjectReference>())

  /// Summaries over `index`, computed as they are asked for.
  public init(index: FactIndex) {
    self.index = index
  }

  /// What `function` frees, as pointers rooted at its parameters or at globals, through the
  /// helpers it calls, within `depth` functions; `kref_put(&x->ref, release)` frees `x` when
  /// `release` frees anything.
  public func frees(
    _ function: Located<FunctionDefinition>, within depth: Int = AnalysisDepth.frees
  ) -> [FreedObject] {
    let index = index
    return freeResults.withLock { results in
      results.results(
        for: function, index: index,
        callees: { index.callees(of: $0) + Self.krefReleases(of: $0, index: index) },
        transfer: { function, known in Self.frees(function, index: index, known: known) })
    }.filter { $0.depth <= depth }
  }

  /// The heads `function` hands to `poll_wait`, directly or through helpers, within `depth`
  /// functions; calls into `kernfs_generic_poll` are the framework's own head and are not
  /// followed.
  public func pollHeads(
    _ function: Located<FunctionDefinition>, within depth: Int = AnalysisDepth.pollHeads
  ) -> [PolledHead] {
    let index = index
    return headResults.withLock { results in
      results.results(
        for: function, index: index, callees: { index.callees(of: $0) },
        transfer: { function, known in Self.heads(function, index: index, known: known) })
    }.filter { $0.depth <= depth }
  }

  /// The reference counts `function` takes and drops on objects reached from its parameters
  /// or globals, through helpers, within `depth` functions.
  public func references(
    _ function: Located<FunctionDefinition>, within depth: Int = AnalysisDepth.references
  ) -> [ObjectReference] {
    let index = index
    return referenceResults.withLock { results in
      results.results(
        for: function, index: index, callees: { index.callees(of: $0) },
        transfer: { function, known in Self.references(function, index: index, known: known) })
    }.filter { $0.depth <= depth }
  }

  /// Whether `function` (or a helper within `AnalysisDepth.clearsPriv`) stores NULL into
  /// `of->priv`.
  public func clearsPriv(_ function: Located<FunctionDefinition>) -> Bool {
    for key in index.reachable(from: [function], depth: AnalysisDepth.clearsPriv - 1) {
      guard let located = index.functionByKey(key) else { continue }
      for store in located.value.stores where store.value.isNull {
        let target = PathAlgebra.resolvingLocals(
          store.target, in: located.value, before: store.location)
        if target.fields == ["priv"], target.recordTags.last == "kernfs_open_file" { return true }
      }
    }
    return false
  }
}

/// Results of one analysis for every function asked about so far, computed per strongly
/// connected component of the call graph, callees first.
struct BottomUp<Key: Hashable, Entry: SummaryEntry> where Entry.Key == Key {
  private var done: [String: [Entry]] = [:]

  /// The finished results of `root`, computing every component below it that is not done yet.
  mutating func results(
    for root: Located<FunctionDefinition>, index: FactIndex,
    callees: (Located<FunctionDefinition>) -> [Located<FunctionDefinition>],
    transfer: (Located<FunctionDefinition>, [String: [Entry]]) -> [Entry]
  ) -> [Entry] {
    if let known = done[root.key] { return known }
    for component in Tarjan.components(from: root, callees: callees, skip: { done[$0] != nil }) {
      solve(component, callees: callees, transfer: transfer)
    }
    return done[root.key] ?? []
  }

  /// A component's results: one pass for a function that does not call itself; for a recursive
  /// component, passes over all its functions until none changes (each pass only adds results
  /// or shortens their depth, and depths are bounded, so this ends at the least fixpoint, which
  /// is the same whatever order the functions are visited in).
  private mutating func solve(
    _ component: [Located<FunctionDefinition>],
    callees: (Located<FunctionDefinition>) -> [Located<FunctionDefinition>],
    transfer: (Located<FunctionDefinition>, [String: [Entry]]) -> [Entry]
  ) {
    let members = component.sorted { $0.key < $1.key }
    let recursive =
      members.count > 1 || callees(members[0]).contains { $0.key == members[0].key }
    for member in members { done[member.key] = [] }
    var changed = true
    while changed {
      changed = false
      for member in members {
        let next = Self.canonical(transfer(member, done))
        if next != done[member.key] {
          done[member.key] = next
          changed = true
        }
      }
      if !recursive { break }
    }
  }

  /// One entry per key, the shortest derivation (then the smallest by `Entry.order`), sorted by
  /// key order: equal inputs give equal arrays, which the fixpoint compares.
  static func canonical(_ entries: [Entry]) -> [Entry] {
    var best: [Key: Entry] = [:]
    for entry in entries where entry.depth <= AnalysisDepth.horizon {
      if let known = best[entry.key], !Entry.shorter(entry, than: known) { continue }
      best[entry.key] = entry
    }
    return best.values.sorted(by: Entry.order)
  }
}

/// One result of a bottom-up analysis.
protocol SummaryEntry: Equatable {
  associatedtype Key: Hashable
  /// What makes two results the same result (reached by different call chains).
  var key: Key { get }
  /// Functions from the analysed one down to the fact.
  var depth: Int { get }
  /// A total order, for deterministic output.
  static func order(_ lhs: Self, _ rhs: Self) -> Bool
  /// Whether `lhs` is a better derivation of the same result than `rhs`.
  static func shorter(_ lhs: Self, than rhs: Self) -> Bool
}

/// Strongly connected components of the call graph below a root, in the order Tarjan's
/// algorithm closes them: every component after all components it calls into.
enum Tarjan {
  static func components(
    from root: Located<FunctionDefinition>,
    callees: (Located<FunctionDefinition>) -> [Located<FunctionDefinition>],
    skip: (String) -> Bool
  ) -> [[Located<FunctionDefinition>]] {
    var number: [String: Int] = [:]
    var lowLink: [String: Int] = [:]
    var onStack: Set<String> = []
    var stack: [Located<FunctionDefinition>] = []
    var result: [[Located<FunctionDefinition>]] = []
    // An explicit work stack: kernel call chains are deep enough to make recursion a risk.
    var work: [(node: Located<FunctionDefinition>, next: [Located<FunctionDefinition>], at: Int)] =
      []
    func open(_ node: Located<FunctionDefinition>) {
      number[node.key] = number.count
      lowLink[node.key] = number[node.key]
      stack.append(node)
      onStack.insert(node.key)
      let children = callees(node).filter { !skip($0.key) }
      work.append((node, children, 0))
    }
    open(root)
    while var frame = work.popLast() {
      if frame.at < frame.next.count {
        let child = frame.next[frame.at]
        frame.at += 1
        work.append(frame)
        if number[child.key] == nil {
          open(child)
        } else if onStack.contains(child.key) {
          lowLink[frame.node.key] = min(lowLink[frame.node.key]!, number[child.key]!)
        }
        continue
      }
      let key = frame.node.key
      if let parent = work.last {
        lowLink[parent.node.key] = min(lowLink[parent.node.key]!, lowLink[key]!)
      }
      if lowLink[key] == number[key] {
        var component: [Located<FunctionDefinition>] = []
        while let top = stack.popLast() {
          onStack.remove(top.key)
          component.append(top)
          if top.key == key { break }
        }
        result.append(component)
      }
    }
    return result
  }
}
