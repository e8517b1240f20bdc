/// The subset of the SARIF 2.1.0 object model sever writes, as plain encodable values. Property
/// names are SARIF's; optional values that are `nil` are left out, as the schema prefers.
enum SARIF {
  /// The schema URI written into `$schema`.
  static let schemaURI =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

  struct Log: Encodable {
    var schema = SARIF.schemaURI
    var version = "2.1.0"
    var runs: [Run]

    enum CodingKeys: String, CodingKey {
      case schema = "$schema"
      case version, runs
    }
  }

  struct Run: Encodable {
    var tool: Tool
    var invocations: [Invocation]
    var originalUriBaseIds: [String: ArtifactLocation]
    var results: [Result]
  }

  struct Tool: Encodable {
    var driver: Driver
  }

  struct Driver: Encodable {
    var name: String
    var version: String
    var semanticVersion: String
    var informationUri: String?
    var rules: [ReportingDescriptor]
  }

  struct ReportingDescriptor: Encodable {
    var id: String
    var name: String?
    var shortDescription: Message?
    var fullDescription: Message?
    var help: Message?
    var defaultConfiguration: Configuration?
    var properties: RuleProperties?
  }

  struct Configuration: Encodable {
    var level: String
  }

  /// GitHub code scanning reads `precision`, `security-severity` (a score from 0.0 to 10.0,
  /// which it ranks as low, medium, high or critical) and `tags` (`security` makes the alerts
  /// security alerts); the rest is sever's.
  struct RuleProperties: Encodable {
    var confidence: String
    var precision: String
    var securitySeverity: String
    var clauses: [String]
    var commits: [String]
    var cves: [String]
    var tags: [String]

    enum CodingKeys: String, CodingKey {
      case confidence, precision, clauses, commits, cves, tags
      case securitySeverity = "security-severity"
    }
  }

  struct Message: Encodable {
    var text: String
    var markdown: String?
  }

  struct Invocation: Encodable {
    var executionSuccessful: Bool
    var toolExecutionNotifications: [Notification]
  }

  struct Notification: Encodable {
    var level: String
    var message: Message
    var descriptor: DescriptorReference
    var locations: [Location]?
  }

  struct DescriptorReference: Encodable {
    var id: String
  }

  struct Result: Encodable {
    var ruleId: String
    var ruleIndex: Int
    var level: String
    var message: Message
    var locations: [Location]
    var relatedLocations: [Location]?
    var codeFlows: [CodeFlow]?
    var partialFingerprints: [String: String]
    var properties: ResultProperties
  }

  struct ResultProperties: Encodable {
    var confidence: String
    var clauses: [String]
    var fix: String?
    var identity: [String]
  }

  struct Location: Encodable {
    var id: Int?
    var physicalLocation: PhysicalLocation
    var message: Message?
  }

  struct PhysicalLocation: Encodable {
    var artifactLocation: ArtifactLocation
    var region: Region?
  }

  struct ArtifactLocation: Encodable {
    var uri: String
    var uriBaseId: String?
  }

  /// `startLine` and `startColumn` are at least 1 (SARIF §3.30.5); a location without a line
  /// gets no region at all.
  struct Region: Encodable {
    var startLine: Int
    var startColumn: Int?
  }

  struct CodeFlow: Encodable {
    var message: Message?
    var threadFlows: [ThreadFlow]
  }

  struct ThreadFlow: Encodable {
    var locations: [ThreadFlowLocation]
  }

  struct ThreadFlowLocation: Encodable {
    var location: Location
    var executionOrder: Int
    var kinds: [String]?
  }
}
