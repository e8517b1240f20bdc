/// A callback a table can provide, named after the `kernfs_ops`/`cftype`/`proc_ops`/
/// `file_operations` field (contract.md §1.1).
public enum CallbackKind: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
  /// `open(of)`; it may fail, and then `release` is not called (K11).
  case open
  /// `release(of)`: at last fput or at severing, whichever comes first (K1).
  case release
  /// `seq_show` and the other seq_file iterators.
  case seqShow
  /// `read(of, …)` or `read_iter`.
  case read
  /// `write(of, …)` or `write_iter`.
  case write
  /// `poll(of, pt)`: the callback that hands a head to `poll_wait`.
  case poll
  /// `mmap(of, vma)`.
  case mmap
  /// `llseek`.
  case llseek
  /// `unlocked_ioctl` (plain `file_operations`, debugfs and procfs only).
  case ioctl

  /// Whether the model represents the callback as a single self-contained op event (`op(F, k)`);
  /// `open`, `release` and `poll` have their own events.
  public var isPlainOp: Bool {
    switch self {
    case .open, .release, .poll: false
    case .seqShow, .read, .write, .mmap, .llseek, .ioctl: true
    }
  }

  public static func < (lhs: CallbackKind, rhs: CallbackKind) -> Bool {
    let order = CallbackKind.allCases
    // Both values come from allCases, so the indices always exist.
    return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
  }
}
