import Synchronization

/// The functions the files the prefilter left out define, as discovery read them, each file
/// with its names. A whole tree's are half a million names: the table by name is built only
/// when tier 1 selects afresh, and a remembered selection looks up just the names it read.
public struct HelperDefinitions: Sendable, Equatable {
  /// Each defining file (relative path), in discovery's order, with the names it defines.
  public let definers: [(path: String, names: [String])]
  /// `byName`, built the first time it is asked for and shared by every copy: the run keeps
  /// it with its inputs rather than freeing half a million entries on its way.
  private let table = Table()

  private final class Table: Sendable {
    let byName = Mutex<[String: [String]]?>(nil)
  }

  /// The definitions of `definers`.
  public init(definers: [(path: String, names: [String])] = []) {
    self.definers = definers
  }

  public static func == (lhs: HelperDefinitions, rhs: HelperDefinitions) -> Bool {
    lhs.definers.count == rhs.definers.count
      && zip(lhs.definers, rhs.definers).allSatisfy { $0.path == $1.path && $0.names == $1.names }
  }

  /// Name → the files defining it, in `definers`' order.
  public var byName: [String: [String]] {
    table.byName.withLock { built in
      if let built { return built }
      let table = buildTable()
      built = table
      return table
    }
  }

  private func buildTable() -> [String: [String]] {
    var table: [String: [String]] = [:]
    // Growing the table step by step was a tenth of a one-file-changed re-run's discovery.
    table.reserveCapacity(definers.reduce(0) { $0 + $1.names.count })
    for (path, names) in definers {
      for name in names { table[name, default: []].append(path) }
    }
    return table
  }

  /// `byName` for `names` only (a name no file defines is left out), in one pass over the
  /// files without building the whole table.
  public func paths(defining names: Set<String>) -> [String: [String]] {
    var table: [String: [String]] = [:]
    guard !names.isEmpty else { return table }
    for (path, defined) in definers {
      for name in defined where names.contains(name) { table[name, default: []].append(path) }
    }
    return table
  }
}
