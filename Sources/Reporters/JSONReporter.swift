import SeverCore

/// sever's own JSON, version 1: a stable, documented shape for scripts (see
/// README.md, "The JSON format"). Keys are sorted; fields are only ever added within a
/// version, and a change that removes or retypes one bumps `formatVersion`.
public struct JSONReporter: Reporter {
  public static let format = ReportFormat.json

  /// The version written into `formatVersion`.
  public static let formatVersion = 1

  /// Creates the reporter.
  public init() {}

  public func render(_ report: Report, options: ReporterOptions) throws(ReportersError) -> String {
    try JSONOutput.encode(Document(report), format: Self.format)
  }

  /// The top-level object.
  struct Document: Encodable {
    var formatVersion = JSONReporter.formatVersion
    var tool: Tool
    var root: String
    var findings: [Entry]
    var rules: [String]
    var diagnostics: [Diagnostic]
    var coverage: String
    var summary: [String: Int]

    init(_ report: Report) {
      tool = Tool(name: "sever", version: report.tool)
      root = report.root
      findings = report.findings.map(Entry.init)
      rules = report.rules.map(\.id)
      diagnostics = report.diagnostics.map(Diagnostic.init)
      coverage = report.coverage
      var counts: [String: Int] = ["diagnostics": report.diagnostics.count]
      for severity in Severity.allCases {
        counts[severity.rawValue] = report.findings.filter { $0.severity == severity }.count
      }
      // What the run found but does not report: a script must not read "no findings" as clean.
      counts["hiddenByBaseline"] = report.hidden.baseline
      counts["suppressed"] = report.hidden.suppressed
      counts["droppedByConfiguration"] = report.hidden.configuration
      summary = counts
    }
  }

  struct Tool: Encodable {
    var name: String
    var version: String
  }

  /// A location: path relative to `root`, 1-based line and column.
  struct Location: Encodable {
    var path: String
    var line: Int
    var column: Int

    init(_ location: SourceLocation) {
      path = location.path
      line = location.line
      column = location.column
    }
  }

  struct Note: Encodable {
    var location: Location
    var message: String
  }

  struct Step: Encodable {
    var event: String
    var mirrors: String?
    var state: String

    // Absent optionals are written as null so every step has the same keys.
    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(event, forKey: .event)
      try container.encode(mirrors, forKey: .mirrors)
      try container.encode(state, forKey: .state)
    }

    enum CodingKeys: String, CodingKey { case event, mirrors, state }
  }

  struct TraceEntry: Encodable {
    var violated: String
    var steps: [Step]
    var summary: String
  }

  /// One finding; every key is always present (`null` when absent).
  struct Entry: Encodable {
    var rule: String
    var severity: String
    var confidence: String
    var message: String
    var location: Location
    var notes: [Note]
    var trace: TraceEntry?
    var clauses: [String]
    var fix: String?
    var identity: [String]
    var fingerprint: String

    init(_ finding: Finding) {
      rule = finding.ruleID
      severity = finding.severity.rawValue
      confidence = finding.confidence.rawValue
      message = finding.message
      location = Location(finding.location)
      notes = finding.notes.map { Note(location: Location($0.location), message: $0.message) }
      trace = finding.trace.map { trace in
        TraceEntry(
          violated: trace.violated.rawValue,
          steps: trace.steps.map { Step(event: $0.event, mirrors: $0.mirrors, state: $0.state) },
          summary: trace.summary)
      }
      clauses = finding.clauses.map(\.rawValue)
      fix = finding.fix
      identity = finding.identity.components
      fingerprint = finding.fingerprint
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(rule, forKey: .rule)
      try container.encode(severity, forKey: .severity)
      try container.encode(confidence, forKey: .confidence)
      try container.encode(message, forKey: .message)
      try container.encode(location, forKey: .location)
      try container.encode(notes, forKey: .notes)
      try container.encode(trace, forKey: .trace)
      try container.encode(clauses, forKey: .clauses)
      try container.encode(fix, forKey: .fix)
      try container.encode(identity, forKey: .identity)
      try container.encode(fingerprint, forKey: .fingerprint)
    }

    enum CodingKeys: String, CodingKey {
      case rule, severity, confidence, message, location, notes, trace, clauses, fix, identity
      case fingerprint
    }
  }

  struct Diagnostic: Encodable {
    var kind: String
    var path: String
    var message: String
    var location: Location?

    init(_ diagnostic: ToolDiagnostic) {
      kind = diagnostic.kind.rawValue
      path = diagnostic.path
      message = diagnostic.message
      location = diagnostic.location.map(Location.init)
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(kind, forKey: .kind)
      try container.encode(path, forKey: .path)
      try container.encode(message, forKey: .message)
      try container.encode(location, forKey: .location)
    }

    enum CodingKeys: String, CodingKey { case kind, path, message, location }
  }
}
