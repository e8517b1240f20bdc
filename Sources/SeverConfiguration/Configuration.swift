import Foundation
import SeverCore
import SeverSupport

/// The settings of a `.sever.yml`:
///
/// ```yaml
/// rules:
///   kernfs-poll-head-lifetime: { severity: warning }
///   procfs-poll-exit-drain: { enabled: false }
/// exclude:
///   - drivers/staging
///   - "**/*_test.c"
/// arch: x86_64
/// config: build/.config
/// jobs: 4
/// unit-timeout: 60
/// isolate: true
/// ```
///
/// `exclude:` patterns are relative to the directory holding the file; `config:` too. A missing
/// file is the empty configuration.
public struct Configuration: Sendable, Hashable {
  /// The file's name, looked for in the start directory and every directory above it.
  public static let fileName = ".sever.yml"

  /// The file the configuration was read from; `nil` for the default.
  public var file: String?
  /// Settings per rule id.
  public var rules: [String: RuleSetting]
  /// Paths whose findings are dropped (and which the CLI need not parse).
  public var exclude: [PathGlob]
  /// The architecture whose Kconfig decides module capability (`x86_64`, `arm64`).
  public var arch: String?
  /// A kernel `.config`, as written in the file.
  public var config: String?
  /// How many translation units to parse at once.
  public var jobs: Int?
  /// Seconds one file may take to parse (`unit-timeout:`, as `--unit-timeout`).
  public var unitTimeout: Double?
  /// Whether files are parsed in worker processes (`isolate:`; `--isolate`/`--no-isolate`).
  public var isolate: Bool?

  /// Creates a configuration; the defaults are the empty configuration.
  public init(
    file: String? = nil, rules: [String: RuleSetting] = [:], exclude: [PathGlob] = [],
    arch: String? = nil, config: String? = nil, jobs: Int? = nil, unitTimeout: Double? = nil,
    isolate: Bool? = nil
  ) {
    self.file = file
    self.rules = rules
    self.exclude = exclude
    self.arch = arch
    self.config = config
    self.jobs = jobs
    self.unitTimeout = unitTimeout
    self.isolate = isolate
  }

  /// The directory holding the file, which relative paths in it are relative to.
  public var directory: String? {
    file.map { URL(fileURLWithPath: $0).deletingLastPathComponent().standardizedFileURL.path }
  }

  /// `config:` as an absolute path (relative values are relative to the file's directory).
  public var configPath: String? {
    guard let config else { return nil }
    if config.hasPrefix("/") { return config }
    guard let directory else { return config }
    return URL(fileURLWithPath: directory).appendingPathComponent(config).standardizedFileURL.path
  }

  /// Finds `.sever.yml` in `start` (a directory, or a file whose directory is used) or the
  /// nearest directory above it.
  /// - returns: the file's path, or `nil` when there is none up to `/`.
  public static func find(from start: String) -> String? {
    var isDirectory: ObjCBool = false
    var url = URL(fileURLWithPath: start).standardizedFileURL
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
      !isDirectory.boolValue
    {
      url.deleteLastPathComponent()
    }
    while true {
      let candidate = url.appendingPathComponent(fileName).path
      if FileManager.default.isReadableFile(atPath: candidate) { return candidate }
      let parent = url.deletingLastPathComponent()
      if parent.path == url.path { return nil }
      url = parent
    }
  }

  /// The largest `.sever.yml` read (1 MiB): a configuration is a few dozen lines.
  public static let maximumFileSize = 1 << 20

  /// Finds and loads the configuration for `start`, or returns the empty one.
  public static func load(from start: String) throws(ConfigurationError) -> Configuration {
    guard let file = find(from: start) else { return Configuration() }
    return try load(file: file)
  }

  /// Loads a configuration file.
  public static func load(file: String) throws(ConfigurationError) -> Configuration {
    let text: String
    do {
      text = String(decoding: try BoundedFile.read(file, limit: maximumFileSize), as: UTF8.self)
    } catch {
      throw .unreadable(file: file, reason: error.description)
    }
    return try ConfigurationParser(file: file).parse(text)
  }

  /// Parses `.sever.yml` text; `file` (its path) names it in errors and anchors relative paths.
  public static func parse(_ text: String, file: String) throws(ConfigurationError)
    -> Configuration
  {
    try ConfigurationParser(file: file).parse(text)
  }

  /// Checks that every rule named under `rules:` exists.
  /// - throws: `ConfigurationError.unknownRule` for the first unknown id, by line.
  public func validate(knownRules: Set<String>) throws(ConfigurationError) {
    let unknown = rules.filter { !knownRules.contains($0.key) }.sorted {
      $0.value.line < $1.value.line
    }
    if let (rule, setting) = unknown.first {
      throw .unknownRule(
        file: file ?? Self.fileName, line: setting.line, rule: rule, known: knownRules.sorted())
    }
  }

  /// Whether findings of `ruleID` are reported.
  public func isEnabled(_ ruleID: String) -> Bool { rules[ruleID]?.enabled ?? true }

  /// Whether `path` (relative to `root`, as findings carry it) is excluded. Patterns are
  /// relative to the configuration's directory, so when that is below the root its relative
  /// position is put in front of them.
  public func isExcluded(_ path: String, root: String) -> Bool {
    guard !exclude.isEmpty else { return false }
    let relative = Self.relative(path, to: directoryRelativeTo(root: root))
    guard let relative else { return false }
    return exclude.contains { $0.matches(relative) }
  }

  /// Drops findings of disabled rules and excluded paths and applies severity overrides.
  /// - parameter findings: findings with paths relative to `root`.
  /// - parameter root: the tree root.
  public func apply(to findings: [Finding], root: String) -> [Finding] {
    findings.compactMap { finding in
      guard isEnabled(finding.ruleID), !isExcluded(finding.location.path, root: root) else {
        return nil
      }
      var result = finding
      if let severity = rules[finding.ruleID]?.severity { result.severity = severity }
      return result
    }
  }

  /// The configuration directory relative to the root: `""` when it is the root (or outside
  /// it, where patterns are taken as root-relative), `drivers/demo` below it.
  private func directoryRelativeTo(root: String) -> String {
    guard let directory else { return "" }
    let base = URL(fileURLWithPath: root).standardizedFileURL.path
    let prefix = base.hasSuffix("/") ? base : base + "/"
    return directory.hasPrefix(prefix) ? String(directory.dropFirst(prefix.count)) : ""
  }

  // A path below `directory`, relative to it; nil when it lies elsewhere.
  private static func relative(_ path: String, to directory: String) -> String? {
    var path = path
    if path.hasPrefix("./") { path.removeFirst(2) }
    if directory.isEmpty { return path }
    let prefix = directory + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : nil
  }
}
