import Scan
import SeverCore

/// What tier 1 must keep for one rule, judged on tier-1 facts (`ScannedFile`) before anything is
/// parsed: the tables the rule may report, and how far from them its analyses read. Every rule
/// declares one (`Rule.tierOne` has no default), in terms of the same `AnalysisDepth` constants
/// its analyses are read with, so the files a two-tier run parses are exactly those the rule's
/// reads can reach, and its findings equal those of `--exhaustive`.
public struct TierOneRequirement: Sendable {
  /// A predicate on a table of a scanned file; `Definitions` resolves names like `FactIndex`.
  public typealias TablePredicate =
    @Sendable (ScannedTable, ScannedFile, TierOneSelection.Definitions) -> Bool
  /// A depth for a table of a scanned file, or nil.
  public typealias TablePredicateDepth =
    @Sendable (ScannedTable, ScannedFile, TierOneSelection.Definitions) -> Int?

  /// The last-fput search of `kernfs-call-after-release`: `file_operations` releases from which
  /// a dispatch of another field of these tables can be reached.
  public struct LastFputSearch: Sendable {
    /// The table kinds whose callbacks would run late.
    public var tableKinds: Set<TableKind>
    /// How many calls tier 1 searches from a release for such a dispatch.
    public var search: Int
    /// How many calls deep from the release the rule reads.
    public var reach: Int
  }

  /// The table kinds the rule may report on.
  public var tableKinds: Set<TableKind>
  /// Whether the rule may report this table (an over-approximation: when in doubt, true).
  public var precondition: TablePredicate
  /// The fields whose handlers the rule reads beyond the table itself; nil for all of them.
  public var fieldsRead: @Sendable (TableKind) -> Set<String>?
  /// How many calls deep from a table the rule reads facts (its handlers are one).
  public var reach: @Sendable (ScannedTable, ScannedFile, TierOneSelection.Definitions) -> Int
  /// Files spelling one of these words are parsed whole, with every table followed
  /// `wholeFileReach` calls deep: the framework files whose dispatch sites, registrations and
  /// removals the rule reads.
  public var filesSpelling: [String]
  /// How deep the tables of such files are followed.
  public var wholeFileReach: Int
  /// The last-fput search, for the one rule that needs it.
  public var lastFputSearch: LastFputSearch?
  /// How many calls deep the rule reads what a file of the table holds while it is open, and
  /// what dropping it does: from the `open` and `release` handlers and, for a table an
  /// anonymous inode registers, from the function that creates the file and its callers in the
  /// same file (they hand the file what it keeps); nil when the rule does not read it for this
  /// table.
  public var holderReach: TablePredicateDepth

  /// Creates a requirement.
  public init(
    tableKinds: Set<TableKind>, precondition: @escaping TablePredicate = { _, _, _ in true },
    fieldsRead: @escaping @Sendable (TableKind) -> Set<String>? = { _ in nil },
    reach: @escaping @Sendable (ScannedTable, ScannedFile, TierOneSelection.Definitions) -> Int,
    filesSpelling: [String] = [], wholeFileReach: Int = AnalysisDepth.horizon,
    lastFputSearch: LastFputSearch? = nil,
    holderReach: @escaping TablePredicateDepth = { _, _, _ in nil }
  ) {
    self.tableKinds = tableKinds
    self.precondition = precondition
    self.fieldsRead = fieldsRead
    self.reach = reach
    self.filesSpelling = filesSpelling
    self.wholeFileReach = wholeFileReach
    self.lastFputSearch = lastFputSearch
    self.holderReach = holderReach
  }

  /// A reach that does not depend on the table.
  public static func fixed(_ depth: Int)
    -> @Sendable (ScannedTable, ScannedFile, TierOneSelection.Definitions) -> Int
  {
    { _, _, _ in depth }
  }

  /// The table types of the severing filesystems: their files hold the dispatch sites,
  /// registrations and removals the kernfs, cgroup and procfs rules read.
  public static let severingWords = ["kernfs_ops", "cftype", "proc_ops"]
}
