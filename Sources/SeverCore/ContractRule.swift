/// The numbered clauses of the contract (../shared/docs/contract.md §1.4-1.9). Names are stable:
/// rules, model transitions and tests are named after them.
// The contract names its clauses K1, C3, …; the cases keep those names so code reads like the spec.
// swift-format-ignore: AlwaysUseLowerCamelCase
public enum ContractRule: String, Codable, Sendable, CaseIterable, Comparable {
  case K1, K2, K3, K4, K5, K6, K7, K8, K9, K10, K11, K12, K13, K14, K15, K16, K17, K18
  case C1, C2, C3, C4, C5
  case S1, S2, S3
  case P1, P2, P3
  case D1, D2, D3
  case M1, M2, M3

  /// A one-line statement of the clause.
  public var title: String {
    switch self {
    case .K1: "release is called exactly once, at min(last close, severing), never if open failed"
    case .K2: "no kernfs op is invoked for an open file after its release"
    case .K3: "no op starts after deactivation; severing waits for in-flight ops"
    case .K4:
      "nothing reachable from the ops table is called after release (the module may be gone)"
    case .K5: "user resources of an open file end at release"
    case .K6:
      "poll_wait only on a head that outlives the struct file (on->poll via kernfs_generic_poll)"
    case .K7: "wake-ups of kernfs files go through kernfs_notify"
    case .K8: "wake_up_pollfree does not protect synchronous poll()/select()"
    case .K9:
      "of->priv after breaking active protection must be re-validated; release must clear it"
    case .K10: "release may run in the remover's context, with the remover's locks held"
    case .K11: "open allocates of->priv and release frees it; a failed open cleans up itself"
    case .K12: "kernfs_notify on a severed node is harmless while a kn reference is held"
    case .K13: "released files stay dead across kernfs_show(false) then kernfs_show(true)"
    case .K14: "kernfs mmap rejects vm_ops with ->close and wraps vm_ops under an active ref"
    case .K15: "severing zaps every mapping of a mmapped open file"
    case .K16: "a mapping whose vm_file was replaced escapes severing"
    case .K17: "mmap presence is decided from KERNFS_HAS_MMAP, not from the ops table"
    case .K18: "nodes with neither release nor mmap are not drained; nothing may remain to clean up"
    case .C1: "cft->release runs at most once, at last close or at cgroup file removal"
    case .C2: "cft->poll follows K6: never wait on storage hanging off of->priv"
    case .C3: "after cgroup_kn_lock_live, of->priv must be re-read under cgroup_mutex"
    case .C4: "cftype callbacks in modules are safe only if nothing is called after release"
    case .C5: "cgroup_file_notify may be called at any time under cgroup_file_kn_lock"
    case .S1: "sysfs callbacks run only under an active reference; none after removal"
    case .S2: "bin_attribute.mmap must not install vm_ops->close and must tolerate zapping"
    case .S3: "sysfs poll is kernfs_generic_poll plus sysfs_notify; drivers never own the head"
    case .P1: "proc_release is called once, at min(last close, removal)"
    case .P2: "after rundown proc_poll is not called, but sleeping pollers are not woken"
    case .P3: "PROC_ENTRY_PERMANENT is honoured only for built-in code"
    case .D1: "debugfs release runs at last fput; the module is pinned only if fops->owner is set"
    case .D2: "a debugfs release must not dereference inode->i_private"
    case .D3: "a debugfs poll must not hand out a head owned by the removed object"
    case .M1: "file_operations in module-capable code reachable by open() must set .owner"
    case .M2: "kernfs, sysfs and procfs do not pin modules; severing applies instead"
    case .M3: "a polled head must outlive the file, or be freed after wake_up_pollfree and RCU"
    }
  }

  public static func < (lhs: ContractRule, rhs: ContractRule) -> Bool {
    let order = ContractRule.allCases
    return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
  }
}
