import SeverCore

/// `debugfs-poll-head-lifetime` has no mechanical fix: the object must gain a reference or the head must move.
extension DebugfsPollHeadRule {
  public static func fix(_ finding: Finding, in context: FixContext) -> FixOutcome {
    .left(
      "a redesign: the object polled on must be pinned by open (a reference the driver "
        + "does not have yet) or the head must move to per-file state (`sever explain "
        + "debugfs-poll-head-lifetime`)")
  }
}
