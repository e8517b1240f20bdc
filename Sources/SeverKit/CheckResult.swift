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
  /// Every file the parsed units read (absolute paths, sorted), as their facts record it: the
  /// run memo checks those outside the walked paths (`RunMemo`). Not part of the JSON.
  public var dependencies: [String] = []
  /// The facts-cache keys of the run's units, which the next run with the same options
  /// preloads (`FactsPreload`). Not part of the JSON.
  public var factKeys: [String] = []

  private enum CodingKeys: String, CodingKey {
    case formatVersion, tool, root, mode, arch, files, diagnostics, coverage
  }
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
  /// Units parsed over a precompiled header (`PrecompiledHeaders`); like `fromCache`, not part
  /// of the coverage line.
  public var precompiled = 0
  /// Units given a precompiled header whose parse over it reported an error, parsed again
  /// without it.
  public var parsedAgain = 0
  /// Precompiled headers that could not be built, with why; their units were parsed without.
  public var precompiledFailures: [String] = []
  /// Units with parse errors by their likely cause (`ParseErrorCause` raw values).
  public var causes: [String: Int] = [:]
  /// Candidate units no architecture of the run builds, not parsed.
  public var unbuilt = 0
  /// The run's one architecture, when `unbuilt` counts the units it does not build (not
  /// `--arch auto`).
  public var unbuiltArch: String?

  /// The one line every run ends with.
  public var line: String {
    let kinds = tables.keys.sorted().map { "\($0) \(tables[$0, default: 0])" }
    var parts = [
      "\(unitsParsed) units parsed (\(files) files)",
      "\(unitsWithErrors) with parse errors (\(parseErrors) errors\(causeList))",
    ]
    if notParsed > 0 { parts.append("\(notParsed) not parsed") }
    if helpers > 0 { parts.append("\(helpers) helper files without table words parsed") }
    if unbuilt > 0 {
      parts.append(
        "\(unbuilt) units "
          + (unbuiltArch.map { "\($0) does not build" } ?? "no supported architecture builds")
          + " left out")
    }
    if prefiltered > 0 { parts.append("\(prefiltered) files without table words skipped") }
    if leftToTierOne > 0 {
      parts.append("\(leftToTierOne) candidate units left to the fast scan")
    }
    if unresolvedTables > 0 { parts.append("\(unresolvedTables) tables unresolved") }
    parts.append("tables: " + (kinds.isEmpty ? "none" : kinds.joined(separator: ", ")))
    return "sever: coverage: " + parts.joined(separator: "; ")
  }

  /// `: missing header 3, other 1`, causes by count (most first), or nothing.
  private var causeList: String {
    let ordered = causes.filter { $0.value > 0 }.sorted {
      ($1.value, $0.key) < ($0.value, $1.key)
    }
    guard !ordered.isEmpty else { return "" }
    return "; by cause: " + ordered.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
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

/// Why a unit has parse errors, told from its first errors and from Kbuild: what the coverage
/// line counts, so that a user sees what to fix (a missing generated header, a flag) or what is
/// expected (a file of another architecture, a gcc extension clang does not have).
public enum ParseErrorCause: String, CaseIterable, Sendable {
  /// An `#include` clang could not find.
  case missingHeader = "missing header"
  /// A compile argument clang rejects.
  case unknownArgument = "unknown argument"
  /// A file the run's architecture does not build, parsed with that architecture's headers.
  case otherArchitecture = "other-arch file"
  /// Code gcc accepts and clang 14 does not (inline assembly constraints, variable-length
  /// arrays in structures, constant folding gcc does).
  case compilerDifference = "compiler difference"
  /// Anything else.
  case other

  /// Message fragments of clang errors that come from gcc extensions or gcc's laxer rules.
  static let compilerMessages = [
    "invalid output constraint", "invalid input constraint", "unknown register name",
    "fields must have a constant size", "variable length array in structure",
    "is not a compile-time constant", "function definition is not allowed here",
    "invalid operand for instruction", "unsupported inline asm", "couldn't allocate",
    "expression is not an integer constant expression", "unknown builtin",
    "__builtin_", "not supported on this target", "attribute only applies to",
  ]

  /// The cause for a unit's kept parse-error messages (in source order); `otherArchitecture`
  /// when Kbuild does not build the unit for the architecture it was parsed under.
  static func classify(messages: [String], otherArchitecture: Bool) -> ParseErrorCause {
    if otherArchitecture { return .otherArchitecture }
    if messages.contains(where: { $0.hasSuffix("file not found") }) { return .missingHeader }
    if messages.contains(where: {
      $0.contains("unknown argument") || $0.contains("unsupported option")
        || $0.contains("unknown target")
    }) {
      return .unknownArgument
    }
    if messages.contains(where: { message in
      compilerMessages.contains { message.contains($0) }
    }) {
      return .compilerDifference
    }
    return .other
  }
}
