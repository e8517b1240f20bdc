extension ModelState {
  /// The state in words, for trace steps: `N=removed M=live F1=released(priv freed) …`. Objects
  /// the summary never uses are left out.
  func describe(for summary: BehaviourSummary) -> String {
    var parts = ["N=\(node)"]
    if summary.canBeModule { parts.append("M=\(module)") }
    for (index, file) in files.enumerated() {
      var text = "F\(index + 1)=\(file.phase.word)"
      var notes: [String] = []
      if file.exists || file.phase == .closed {
        switch file.priv {
        case .none: break
        case .live: notes.append("priv live")
        case .freedDangling: notes.append("priv freed")
        case .freedCleared: notes.append("priv freed, NULL")
        }
      }
      if file.breakPhase != .idle { notes.append("path \(file.breakPhase)") }
      if !notes.isEmpty { text += "(" + notes.joined(separator: ", ") + ")" }
      parts.append(text)
    }
    for (index, poller) in pollers.enumerated() {
      switch poller.phase {
      case .idle: parts.append("P\(index + 1)=idle")
      case .done: parts.append("P\(index + 1)=done")
      case .waiting:
        let freed = isFreed(poller.head) ? ", freed" : ""
        parts.append("P\(index + 1)=waiting(F\(poller.file + 1), \(poller.head.word)\(freed))")
      }
    }
    if summary.isPollable, summary.effectiveHead == .task { parts.append("task=\(task)") }
    if summary.effectiveHead == .nodeData || summary.release.usesInodePrivate {
      parts.append("i_private=\(nodeData)")
    }
    if lockHolder >= 0 { parts.append("lock=F\(lockHolder + 1)") }
    return parts.joined(separator: " ")
  }
}

extension ModelState.FilePhase {
  /// The phase as printed.
  var word: String {
    switch self {
    case .openFailed: "open_failed"
    default: "\(self)"
    }
  }
}

extension ModelState.Head {
  /// The head as printed.
  var word: String {
    switch self {
    case .framework: "on->poll"
    case .priv(let f): "priv(F\(f + 1))"
    case .moduleStatic: "module static"
    case .task: "task"
    case .nodeData: "i_private"
    case .permanent: "permanent"
    }
  }
}
