import SeverCore

/// `kernfs-poll-head-lifetime` has no mechanical fix: the poll must move to the framework's head.
extension PollHeadLifetimeRule {
  public static func fix(_ finding: Finding, in context: FixContext) -> FixOutcome {
    .left(
      "a redesign, not an edit: the poll must wait on the framework's head "
        + "(kernfs_generic_poll() and kernfs_notify()), which changes how the driver wakes its "
        + "pollers (`sever explain kernfs-poll-head-lifetime`)")
  }
}
