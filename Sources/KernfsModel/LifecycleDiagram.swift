/// The model's state machines (contract.md §1.10) as a diagram: one cluster per object (node,
/// open file, poller, module, `of->priv`, breaking path), edges labelled with the event and the
/// kernel function it mirrors, and dashed red edges into the clause a wrong transition breaks.
public struct LifecycleDiagram: Sendable {
  /// One state machine.
  public struct Machine: Sendable, Hashable {
    /// Identifier used in DOT and Mermaid (`file`).
    public var id: String
    /// Title of the cluster.
    public var title: String
    /// States, the first one initial.
    public var states: [String]
  }

  /// One transition.
  public struct Edge: Sendable, Hashable {
    /// The machine's `id`.
    public var machine: String
    /// Source state.
    public var from: String
    /// Target state, or a clause (`K6`) for a violation edge.
    public var to: String
    /// The event (`sever(N)`), as traces print it.
    public var event: String
    /// The kernel function mirrored.
    public var mirrors: String
    /// Whether the edge is a violation (target is a clause).
    public var breaks: Bool
  }

  /// The machines, in drawing order.
  public let machines: [Machine]
  /// The edges, in drawing order.
  public let edges: [Edge]

  /// The model's diagram.
  public init() {
    machines = [
      Machine(id: "node", title: "node N", states: ["active", "hidden", "reshown", "removed"]),
      Machine(
        id: "file", title: "open file F",
        states: ["unopened", "opening", "open", "released", "closed", "open_failed"]),
      Machine(id: "poller", title: "poller P", states: ["idle", "waiting", "done"]),
      Machine(id: "module", title: "module M", states: ["live", "going", "gone"]),
      Machine(
        id: "priv", title: "of->priv object",
        states: ["none", "live", "freed_dangling", "freed_null"]),
      Machine(
        id: "path", title: "path breaking active protection",
        states: ["idle", "protected", "broken", "locked", "used"]),
      Machine(id: "object", title: "objects with their own owners", states: ["live", "freed"]),
    ]
    edges = Self.nodeEdges + Self.fileEdges + Self.pollerEdges + Self.otherEdges
  }

  private static func edge(
    _ machine: String, _ from: String, _ to: String, _ event: String, _ mirrors: String
  ) -> Edge {
    Edge(
      machine: machine, from: from, to: to, event: event, mirrors: mirrors,
      breaks: to.first?.isUppercase == true)
  }

  private static let nodeEdges: [Edge] = [
    edge("node", "active", "hidden", "show(N, false)", "kernfs_show → kernfs_drain_open_files"),
    edge("node", "hidden", "reshown", "show(N, true)", "kernfs_show → kernfs_activate"),
    edge("node", "reshown", "hidden", "show(N, false)", "kernfs_show"),
    edge("node", "active", "removed", "sever(N)", "__kernfs_remove / proc_entry_rundown"),
    edge("node", "hidden", "removed", "sever(N)", "__kernfs_remove"),
    edge("node", "reshown", "removed", "sever(N)", "__kernfs_remove"),
    // kernfs_notify changes no modelled state, so the explorer never takes it (K12).
    edge("node", "removed", "removed", "notify(N)", "kernfs_notify: harmless after severing"),
  ]

  private static let fileEdges: [Edge] = [
    edge("file", "unopened", "opening", "open(F)", "kernfs_fop_open"),
    edge("file", "opening", "open", "open_done(F)", "ops->open"),
    edge("file", "opening", "open_failed", "open_fails(F)", "kernfs_unlink_open_file"),
    edge("file", "open", "open", "op(F, k)", "kernfs_get_active_of"),
    edge(
      "file", "open", "released", "sever(N) / show(N, false)",
      "kernfs_drain_open_files → kernfs_release_file"),
    edge("file", "open", "closed", "last_fput(F)", "__fput → kernfs_fop_release"),
    edge("file", "released", "closed", "last_fput(F)", "kernfs_fop_release (of->released)"),
    edge("file", "released", "K13", "op(F, k)", "kernfs_get_active without 3c9ba2777d6c"),
    edge("file", "released", "K4", "last_fput(F)", "kernfs_ops.free after module_exit"),
  ]

  private static let pollerEdges: [Edge] = [
    edge("poller", "idle", "waiting", "poll_wait(P, F)", "kernfs_fop_poll → poll_wait"),
    edge("poller", "waiting", "done", "poll_freewait(P)", "poll_freewait"),
    edge("poller", "waiting", "done", "ep_remove(P)", "ep_remove_wait_queue"),
    edge("poller", "waiting", "done", "last_fput(F)", "eventpoll_release"),
    edge("poller", "waiting", "done", "free(head) (epoll)", "wake_up_pollfree"),
    edge("poller", "waiting", "K6", "poll_freewait(P)", "head freed by release"),
    edge("poller", "waiting", "K8", "poll_freewait(P)", "wake_up_pollfree misses select"),
  ]

  private static let otherEdges: [Edge] = [
    edge("module", "live", "going", "rmmod(M)", "try_stop_module"),
    edge("module", "going", "gone", "module_exit(M)", "free_module"),
    edge("module", "gone", "M1", "op(F, k) / last_fput(F)", "__fput → fops_put without .owner"),
    edge("priv", "none", "live", "open_done(F)", "cgroup_file_open"),
    edge("priv", "live", "freed_dangling", "release", "cgroup_file_release → kfree"),
    edge("priv", "live", "freed_null", "release", "of->priv = NULL (94a4acfec146)"),
    edge("path", "idle", "protected", "op_begin(F, k)", "kernfs_get_active_of"),
    edge(
      "path", "protected", "broken", "break_active(F)",
      "cgroup_kn_lock_live → kernfs_break_active_protection"),
    edge("path", "broken", "locked", "lock(F, cgroup_mutex)", "cgroup_lock"),
    edge("path", "locked", "used", "use_priv(F)", "re-read of->priv, NULL check"),
    edge("path", "broken", "C3", "use_priv(F)", "stale of->priv (a5b98009f16d)"),
    edge("path", "used", "idle", "unlock(F)", "cgroup_unlock"),
    edge("object", "live", "freed", "free(task)", "release_task (wake_up_pollfree?)"),
    edge("object", "live", "freed", "free(i_private)", "kfree after debugfs_remove"),
    edge("object", "freed", "D2", "last_fput(F)", "full_proxy_release → release"),
  ]

  /// Every event name the diagram shows (the part before the parenthesis).
  public var eventNames: Set<String> {
    Set(
      edges.flatMap { $0.event.split(separator: "/") }.map {
        String($0.trimmingPrefix(" ").prefix { $0 != "(" && $0 != " " })
      })
  }

  /// The diagram in Graphviz DOT.
  public func dot() -> String {
    var lines = [
      "digraph kernfs_model {",
      "  rankdir=LR;",
      "  node [shape=ellipse, fontname=\"Helvetica\", fontsize=10];",
      "  edge [fontname=\"Helvetica\", fontsize=8];",
    ]
    for machine in machines {
      lines.append("  subgraph cluster_\(machine.id) {")
      lines.append("    label=\"\(machine.title)\"; labelloc=b;")
      for (index, state) in machine.states.enumerated() {
        let shape = index == 0 ? ", shape=doublecircle" : ""
        lines.append("    \(machine.id)_\(state) [label=\"\(state)\"\(shape)];")
      }
      let violations = Set(edges.filter { $0.machine == machine.id && $0.breaks }.map(\.to))
      for rule in violations.sorted() {
        lines.append(
          "    \(machine.id)_\(rule) [label=\"✗ \(rule)\", shape=box, color=red, fontcolor=red];")
      }
      lines.append("  }")
    }
    for edge in edges {
      let style = edge.breaks ? ", color=red, fontcolor=red, style=dashed" : ""
      let label = "\(edge.event)\\n[\(edge.mirrors)]"
      lines.append(
        "  \(edge.machine)_\(edge.from) -> \(edge.machine)_\(edge.to) "
          + "[label=\"\(label)\"\(style)];")
    }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The diagram as a Mermaid `stateDiagram-v2`, one composite state per machine.
  public func mermaid() -> String {
    var lines = ["stateDiagram-v2"]
    for machine in machines {
      lines.append("  state \"\(machine.title)\" as \(machine.id) {")
      if let first = machine.states.first {
        lines.append("    [*] --> \(machine.id)_\(first)")
      }
      for state in machine.states {
        lines.append("    \(machine.id)_\(state) : \(state)")
      }
      for edge in edges where edge.machine == machine.id {
        // Mermaid labels end at a newline and dislike colons, so mirrors go in brackets.
        let label = "\(edge.event) [\(edge.mirrors)]".replacingColons()
        lines.append("    \(machine.id)_\(edge.from) --> \(machine.id)_\(edge.to) : \(label)")
      }
      lines.append("  }")
    }
    let rules = Set(edges.filter(\.breaks).map { "\($0.machine)_\($0.to)" })
    if !rules.isEmpty {
      lines.append("  classDef violation fill:#fdd,stroke:#c00,color:#c00")
      lines.append("  class \(rules.sorted().joined(separator: ",")) violation")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

extension String {
  /// The string with colons replaced, since Mermaid ends a transition label at a colon.
  fileprivate func replacingColons() -> String {
    String(map { $0 == ":" ? "·" : $0 })
  }
}
