import SeverCore

/// `kernfs-mmap-vm-ops` has no mechanical fix: the mapping's teardown must move.
extension MmapVmOpsRule {
  public static func fix(_ finding: Finding, in context: FixContext) -> FixOutcome {
    .left(
      "a redesign of the mapping: per-mapping teardown must move from ->close to "
        + "->release, or the mapping must stop replacing vm_file (`sever explain "
        + "kernfs-mmap-vm-ops`)")
  }
}
