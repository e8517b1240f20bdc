import SeverCore

/// A broken clause found while taking a transition: what went wrong, in terms the rule mapping
/// and the trace printer share.
struct Violation: Hashable, Sendable {
  /// What the transition did wrong, independent of the framework.
  enum Kind: Hashable, Sendable {
    /// A callback ran for a released file (K2, K13 when the node was re-shown).
    case opAfterRelease(reshown: Bool)
    /// A callback ran while the module was gone (K4, C4, D1, M1).
    case goneModule
    /// A poller unlinked itself from a freed head (K6, C2, P2, D3, M3; K8 under pollfree).
    case freedHead(mode: PollMode, pollfree: Bool)
    /// A breaking path used a freed or NULL `of->priv` (K9, C3).
    case stalePriv
    /// `release` took a lock its caller holds (K10).
    case releaseDeadlock
    /// A debugfs `release` dereferenced freed `inode->i_private` (D2).
    case freedInodePrivate
    /// `release` ran a second time for one file (K1, C1, P1).
    case doubleRelease
  }

  /// The kind.
  var kind: Kind
  /// The clause broken, for this framework.
  var rule: ContractRule
  /// What goes wrong, in a sentence.
  var summary: String

  /// Builds a violation, picking the framework's own clause for the kind.
  init(_ kind: Kind, in framework: Framework, _ summary: String) {
    self.kind = kind
    self.summary = summary
    self.rule = Violation.rule(for: kind, in: framework)
  }

  /// The clause for a kind of wrong-doing in a framework (contract.md §1.4-1.9).
  static func rule(for kind: Kind, in framework: Framework) -> ContractRule {
    switch kind {
    case .opAfterRelease(let reshown): return reshown ? .K13 : .K2
    case .goneModule:
      switch framework {
      case .kernfs, .sysfs: return .K4
      case .cgroup: return .C4
      case .procfs: return .P1
      case .debugfs: return .D1
      case .fileOperations: return .M1
      }
    case .freedHead(let mode, let pollfree):
      if pollfree, mode == .select { return .K8 }
      switch framework {
      case .kernfs: return .K6
      case .sysfs: return .S3
      case .cgroup: return .C2
      case .procfs: return .P2
      case .debugfs: return .D3
      case .fileOperations: return .M3
      }
    case .stalePriv: return framework == .cgroup ? .C3 : .K9
    case .releaseDeadlock: return .K10
    case .freedInodePrivate: return .D2
    case .doubleRelease:
      switch framework {
      case .cgroup: return .C1
      case .procfs: return .P1
      case .kernfs, .sysfs, .debugfs, .fileOperations: return .K1
      }
    }
  }
}
