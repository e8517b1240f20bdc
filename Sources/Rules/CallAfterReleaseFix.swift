import SeverCore

/// `kernfs-call-after-release` has no mechanical fix: the hook's work must move into release.
extension CallAfterReleaseRule {
  public static func fix(_ finding: Finding, in context: FixContext) -> FixOutcome {
    .left(
      "a change to the framework's design: what runs after release must move into "
        + "->release() or under kernfs_get_active_of() (`sever explain kernfs-call-after-release`)")
  }
}
