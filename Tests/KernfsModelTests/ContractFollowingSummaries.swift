import KernfsModel

/// Deterministically generated summaries that follow the contract: heads that outlive the file,
/// no late hooks in modules, re-validation of `of->priv` with a clearing release, `.owner` set
/// where it pins, and the released-file check on.
enum ContractFollowingSummaries {
  /// Callback sets to combine (filtered per framework).
  static let callbackSets: [Set<CallbackKind>] = [
    [.open, .release, .seqShow],
    [.open, .release, .write, .poll],
    [.seqShow, .write],
    [.release, .read, .poll, .mmap],
    [.open, .read, .llseek],
  ]

  /// Heads that outlive the file in `framework`, given whether the code can be a module.
  static func safeHeads(_ framework: Framework, module: Bool) -> [PollBehaviour.HeadOwner] {
    switch framework {
    case .kernfs, .cgroup: [.framework, .permanent]
    case .sysfs: [.framework]
    // proc does not pin and does not wake sleepers at rundown: only a never-freed head is safe.
    case .procfs: module ? [.permanent] : [.permanent, .moduleStatic]
    // release is at last fput and .owner pins the module, so per-file and static heads live
    // as long as the file.
    case .debugfs, .fileOperations: [.priv, .moduleStatic, .permanent]
    }
  }

  /// All generated summaries.
  static func all() -> [BehaviourSummary] {
    var result: [BehaviourSummary] = []
    for framework in Framework.allCases {
      for (setIndex, callbacks) in callbackSets.enumerated() {
        if framework == .sysfs, callbacks.contains(.release) || callbacks.contains(.poll) {
          continue
        }
        for module in [false, true] {
          let heads =
            callbacks.contains(.poll) ? safeHeads(framework, module: module) : [.framework]
          for head in heads {
            for clears in [false, true] {
              let breaks =
                framework.isKernfsBased && callbacks.contains(.write) && clears
                ? [
                  nil,
                  ActiveProtectionBreak(path: .write, rereadsUnderLock: true, nullChecks: true),
                ]
                : [nil]
              for path in breaks {
                result.append(
                  BehaviourSummary(
                    name:
                      "\(framework.rawValue)-\(setIndex)-\(module ? "m" : "y")-\(head.rawValue)"
                      + "-\(clears ? "clear" : "keep")\(path == nil ? "" : "-break")",
                    framework: framework, callbacks: callbacks, canBeModule: module,
                    releasedFileCheck: true, ownerPinned: true, openAllocatesPriv: true,
                    release: ReleaseBehaviour(freesPriv: true, clearsPriv: clears),
                    poll: PollBehaviour(
                      head: head, wakeUp: head == .framework ? .kernfsNotify : .wakeUp),
                    lateCallback: .none, activeProtectionBreak: path))
              }
            }
          }
        }
      }
    }
    return result
  }
}
