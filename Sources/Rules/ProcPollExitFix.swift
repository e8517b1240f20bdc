import SeverCore

/// `procfs-poll-exit-drain` has no mechanical fix: exit and poll need a drain protocol.
extension ProcPollExitRule {
  public static func fix(_ finding: Finding, in context: FixContext) -> FixOutcome {
    .left(
      "a new protocol between exit and poll: an unloading flag that poll reads and "
        + "a wake-and-drain loop before remove_proc_entry(), whose wait the driver must choose "
        + "(`sever explain procfs-poll-exit-drain`)")
  }
}
