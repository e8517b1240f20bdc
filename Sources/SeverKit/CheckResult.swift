import SeverCore

/// What a `check` run produced: facts per file, what could not be done, and the coverage line.
public struct CheckResult: Codable, Sendable, Equatable {
  /// The format version of this JSON, bumped on incompatible changes.
  public var formatVersion = 1
  /// sever's version.
  public var tool = SeverVersion.current
  /// The tree root every path is relative to.
  public var root: String
  /// How compile arguments were made.
  public var mode: InputSet.Mode
  /// The architecture.
  public var arch: String
  /// Facts per file, sorted by path.
  public var files: [FileFacts]
  /// Inputs that were not parsed or were odd, and units libclang could not parse at all.
  public var diagnostics: [ToolDiagnostic]
  /// The counts behind the coverage line.
  public var coverage: Coverage
}

/// The coverage of a run: how much was parsed, how much failed, what was found.
public struct Coverage: Codable, Sendable, Equatable {
  /// Translation units handed to libclang.
  public var unitsParsed: Int
  /// Files with facts (units plus the `.c` files they include).
  public var files: Int
  /// Units with at least one parse error.
  public var unitsWithErrors: Int
  /// Parse errors over all units.
  public var parseErrors: Int
  /// Inputs not parsed at all (binary, unreadable, crashed).
  public var notParsed: Int
  /// Table definitions found, by struct tag, in tag order.
  public var tables: [String: Int]
  /// Tables whose struct type did not resolve.
  public var unresolvedTables: Int
  /// Files left out by the text prefilter (they spell no table word).
  public var prefiltered = 0
  /// Files without table words parsed all the same, because they define a helper that a
  /// handler's reach calls.
  public var helpers = 0
  /// Candidate units tier 1 found no rule could need, so libclang did not parse them
  /// (`--exhaustive` parses them).
  public var leftToTierOne = 0
  /// Units whose facts came from the facts cache instead of a parse. Not part of the coverage
  /// line, which must read the same whether the cache was warm or cold.
  public var fromCache = 0

  /// The one line every run ends with.
  public var line: String {
    let kinds = tables.keys.sorted().map { "\($0) \(tables[$0, default: 0])" }
    var parts = [
      "\(unitsParsed) units parsed (\(files) files)",
      "\(unitsWithErrors) with parse errors (\(parseErrors) errors)",
    ]
    if notParsed > 0 { parts.append("\(notParsed) not parsed") }
    if helpers > 0 { parts.append("\(helpers) helper files without table words parsed") }
    if prefiltered > 0 { parts.append("\(prefiltered) files without table words skipped") }
    if leftToTierOne > 0 {
      parts.append("\(leftToTierOne) candidate units left to the fast scan")
    }
    if unresolvedTables > 0 { parts.append("\(unresolvedTables) tables unresolved") }
    parts.append("tables: " + (kinds.isEmpty ? "none" : kinds.joined(separator: ", ")))
    return "sever: coverage: " + parts.joined(separator: "; ")
  }

  init(units: Int, files: [FileFacts], unitFacts: [FileFacts], notParsed: Int) {
    unitsParsed = units
    self.files = files.count
    unitsWithErrors = unitFacts.filter { $0.parseErrorCount > 0 }.count
    parseErrors = unitFacts.map(\.parseErrorCount).reduce(0, +)
    self.notParsed = notParsed
    var counts: [String: Int] = [:]
    for file in files {
      for table in file.tables { counts[table.kind.rawValue, default: 0] += 1 }
    }
    tables = counts
    unresolvedTables = files.flatMap(\.diagnostics).filter { $0.kind == .unresolvedTable }.count
  }
}
