import SeverCore

/// SARIF 2.1.0 for GitHub code scanning and other viewers. One run: the driver lists every rule
/// that ran (plus a bare entry for any rule id a finding uses that the report does not
/// describe, so every result has a `ruleIndex`); each result carries its notes as
/// `relatedLocations`, the model's counterexample as a `codeFlow`, and its stable identity as
/// `partialFingerprints["severIdentity/v1"]`. Tool diagnostics become the invocation's
/// `toolExecutionNotifications`. Paths are relative URIs against `%SRCROOT%`, which
/// `originalUriBaseIds` maps to the tree root.
public struct SARIFReporter: Reporter {
  public static let format = ReportFormat.sarif

  /// The `partialFingerprints` key; the version suffix changes if the hashed text ever does.
  public static let fingerprintKey = "severIdentity/v1"

  /// The base id every artifact location is relative to.
  public static let sourceRoot = "%SRCROOT%"

  /// Creates the reporter.
  public init() {}

  public func render(_ report: Report, options: ReporterOptions) throws(ReportersError) -> String {
    var rules = report.rules.map(Self.descriptor)
    let known = Set(report.rules.map(\.id))
    for id in Set(report.findings.map(\.ruleID)).subtracting(known).sorted() {
      rules.append(SARIF.ReportingDescriptor(id: id, shortDescription: SARIF.Message(text: id)))
    }
    var indices: [String: Int] = [:]
    for (index, rule) in rules.enumerated() { indices[rule.id] = index }

    let driver = SARIF.Driver(
      name: "sever", version: report.tool, semanticVersion: report.tool,
      informationUri: options.informationURI, rules: rules)
    let notifications = report.diagnostics.map { diagnostic in
      SARIF.Notification(
        level: diagnostic.kind == .internalError ? "error" : "warning",
        message: SARIF.Message(text: diagnostic.message),
        descriptor: SARIF.DescriptorReference(id: diagnostic.kind.rawValue),
        locations: [
          SARIF.Location(
            physicalLocation: Self.physical(
              diagnostic.location ?? SourceLocation(path: diagnostic.path, line: 0, column: 0)))
        ])
    }
    let run = SARIF.Run(
      tool: SARIF.Tool(driver: driver),
      invocations: [
        // sever's own failure leaves the results incomplete, which SARIF says here.
        SARIF.Invocation(
          executionSuccessful: !report.diagnostics.contains { $0.kind == .internalError },
          toolExecutionNotifications: notifications)
      ],
      originalUriBaseIds: [Self.sourceRoot: SARIF.ArtifactLocation(uri: Self.rootURI(report.root))],
      results: zip(report.findings, StableHash.fingerprints(report.findings)).map {
        Self.result($0, ruleIndex: indices[$0.ruleID] ?? 0, fingerprint: $1)
      })
    return try JSONOutput.encode(SARIF.Log(runs: [run]), format: Self.format)
  }

  static func level(_ severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .note: "note"
    }
  }

  private static func descriptor(_ rule: RuleDescription) -> SARIF.ReportingDescriptor {
    var help = "**Fix.** \(rule.fix)\n\n\(rule.rationale)"
    if !rule.clauses.isEmpty {
      help +=
        "\n\nContract clauses: "
        + rule.clauses.map { "\($0.rawValue) (\($0.title))" }.joined(separator: "; ") + "."
    }
    if !rule.commits.isEmpty {
      help += "\n\nKernel commits:\n" + rule.commits.map { "- \($0)" }.joined(separator: "\n")
    }
    if !rule.cves.isEmpty { help += "\n\nCVEs: " + rule.cves.joined(separator: ", ") + "." }
    let area = rule.id.split(separator: "-").first.map(String.init) ?? rule.id
    return SARIF.ReportingDescriptor(
      id: rule.id, name: upperCamelCase(rule.name),
      shortDescription: SARIF.Message(text: rule.summary),
      fullDescription: SARIF.Message(text: rule.rationale, markdown: rule.rationale),
      help: SARIF.Message(text: "Fix: \(rule.fix)", markdown: help),
      defaultConfiguration: SARIF.Configuration(level: level(rule.defaultSeverity)),
      properties: SARIF.RuleProperties(
        confidence: rule.confidence.rawValue, precision: precision(rule.confidence),
        securitySeverity: securitySeverity(rule.defaultSeverity, rule.confidence),
        clauses: rule.clauses.map(\.rawValue), commits: rule.commits, cves: rule.cves,
        // Every rule is about memory safety (a use-after-free, a call into unloaded text),
        // so every alert is a security alert.
        tags: ["security", "correctness", area]))
  }

  private static func result(_ finding: Finding, ruleIndex: Int, fingerprint: String)
    -> SARIF.Result
  {
    let primary = physical(finding.location)
    let related = finding.notes.enumerated().map { index, note in
      SARIF.Location(
        id: index + 1, physicalLocation: physical(note.location),
        message: SARIF.Message(text: note.message))
    }
    // Each step points at the line it is about (the open, the release that frees, the
    // poll_wait, the dispatch), found among the finding's notes; the last at the finding.
    let places = TraceRendering.stepLocations(of: finding)
    let flows = finding.trace.map { trace in
      let steps = trace.steps.enumerated().map { index, step in
        let mirrors = step.mirrors.map { " (\($0))" } ?? ""
        return SARIF.ThreadFlowLocation(
          location: SARIF.Location(
            physicalLocation: physical(places[index]),
            message: SARIF.Message(text: "\(step.event)\(mirrors) — \(step.state)")),
          executionOrder: index + 1, kinds: nil)
      }
      return [
        SARIF.CodeFlow(
          message: SARIF.Message(text: "\(trace.summary) (violates \(trace.violated.rawValue))"),
          threadFlows: [SARIF.ThreadFlow(locations: steps)])
      ]
    }
    return SARIF.Result(
      ruleId: finding.ruleID, ruleIndex: ruleIndex, level: level(finding.severity),
      message: SARIF.Message(text: finding.message),
      locations: [SARIF.Location(physicalLocation: primary)],
      relatedLocations: related.isEmpty ? nil : related,
      codeFlows: (flows?.first?.threadFlows.first?.locations.isEmpty ?? true) ? nil : flows,
      partialFingerprints: [fingerprintKey: fingerprint],
      properties: SARIF.ResultProperties(
        confidence: finding.confidence.rawValue, clauses: finding.clauses.map(\.rawValue),
        fix: finding.fix, identity: finding.identity.components))
  }

  private static func physical(_ location: SourceLocation) -> SARIF.PhysicalLocation {
    let artifact: SARIF.ArtifactLocation
    if location.path.hasPrefix("/") {
      // A lone file outside any tree keeps its absolute path as a file URI.
      artifact = SARIF.ArtifactLocation(uri: "file://" + percentEncoded(location.path))
    } else {
      artifact = SARIF.ArtifactLocation(uri: percentEncoded(location.path), uriBaseId: sourceRoot)
    }
    let region =
      location.line >= 1
      ? SARIF.Region(startLine: location.line, startColumn: max(location.column, 1)) : nil
    return SARIF.PhysicalLocation(artifactLocation: artifact, region: region)
  }

  static func rootURI(_ root: String) -> String {
    let path = root.hasSuffix("/") ? root : root + "/"
    return "file://" + percentEncoded(path.hasPrefix("/") ? path : "/" + path)
  }

  /// RFC 3986 encoding of a path: unreserved characters and `/` stay, every other byte becomes
  /// `%XX`. A `:` must be encoded, or a relative reference like `a:b.c` reads as a scheme.
  static func percentEncoded(_ path: String) -> String {
    var result = ""
    for byte in path.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
        result.append(Character(Unicode.Scalar(byte)))
      default:
        let hex = String(byte, radix: 16, uppercase: true)
        result += "%" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return result
  }

  /// The `security-severity` score of a rule: errors the rule is sure of rank high (7.0 to
  /// 8.9 in code scanning), less sure errors and warnings medium, notes low.
  static func securitySeverity(_ severity: Severity, _ confidence: Finding.Confidence) -> String {
    switch (severity, confidence) {
    case (.error, .high): "8.0"
    case (.error, .moderate): "7.0"
    case (.error, .low), (.warning, .high): "5.5"
    case (.warning, _): "4.0"
    case (.note, _): "2.0"
    }
  }

  private static func precision(_ confidence: Finding.Confidence) -> String {
    switch confidence {
    case .high: "high"
    case .moderate: "medium"
    case .low: "low"
    }
  }

  private static func upperCamelCase(_ name: String) -> String {
    name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { word in
      word.prefix(1).uppercased() + word.dropFirst()
    }.joined()
  }
}
