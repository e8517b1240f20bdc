import SeverCore

/// `debugfs-release-i-private` has no mechanical fix: open and release must be redesigned together.
extension DebugfsReleasePrivateRule {
  public static func fix(_ finding: Finding, in context: FixContext) -> FixOutcome {
    .left(
      "a redesign: release must stop reading inode->i_private, so open must take what "
        + "release needs into file->private_data, which changes both (`sever explain "
        + "debugfs-release-i-private`)")
  }
}
