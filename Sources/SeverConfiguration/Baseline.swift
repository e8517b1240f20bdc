import Foundation
import SeverCore
import SeverSupport

/// Known findings to hide (`--write-baseline FILE`, then `--baseline FILE`), matched by stable
/// identity (the finding's symbol fingerprint and its path), never by line, so edits elsewhere
/// in a file do not bring them back. Entries are a multiset: two known findings with the same
/// identity hide two, not more.
///
/// ```json
/// { "formatVersion": 1, "tool": "0.1.0",
///   "findings": [ { "fingerprint": "rule|table|field|handler", "path": "fs/x.c",
///                   "rule": "rule", "message": "…" } ] }
/// ```
public struct Baseline: Codable, Sendable, Hashable {
  /// The format this sever writes and reads.
  public static let currentFormatVersion = 1

  /// One known finding; `rule` and `message` are for people reading the file.
  public struct Entry: Codable, Sendable, Hashable, Comparable {
    /// The finding's `fingerprint` (its identity joined by `|`).
    public var fingerprint: String
    /// The path relative to the tree root.
    public var path: String
    /// The rule id.
    public var rule: String
    /// The message when the baseline was written.
    public var message: String

    /// Creates an entry.
    public init(fingerprint: String, path: String, rule: String, message: String) {
      self.fingerprint = fingerprint
      self.path = path
      self.rule = rule
      self.message = message
    }

    /// An entry for a finding.
    public init(_ finding: Finding) {
      self.init(
        fingerprint: finding.fingerprint, path: finding.location.path, rule: finding.ruleID,
        message: finding.message)
    }

    public static func < (lhs: Entry, rhs: Entry) -> Bool {
      (lhs.path, lhs.rule, lhs.fingerprint, lhs.message)
        < (rhs.path, rhs.rule, rhs.fingerprint, rhs.message)
    }
  }

  /// The format version of the file.
  public var formatVersion: Int
  /// The sever that wrote it.
  public var tool: String
  /// The known findings, sorted.
  public var findings: [Entry]

  /// A baseline of `findings`.
  public init(findings: [Finding], tool: String = SeverVersion.current) {
    formatVersion = Self.currentFormatVersion
    self.tool = tool
    self.findings = findings.map(Entry.init).sorted()
  }

  /// The baseline as pretty JSON with sorted keys, ending with a newline.
  public func encoded() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    // Strings and integers always encode; a failure here would be a Foundation bug.
    let data = (try? encoder.encode(self)) ?? Data()
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// Writes the baseline to `path`.
  public func write(to path: String) throws(ConfigurationError) {
    do {
      try encoded().write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
      throw .unwritableBaseline(file: path, reason: error.localizedDescription)
    }
  }

  /// The largest baseline read (64 MiB): a few hundred bytes per finding of a whole tree.
  public static let maximumFileSize = 64 << 20

  /// Reads a baseline file.
  public static func load(_ path: String) throws(ConfigurationError) -> Baseline {
    let data: Data
    do {
      data = try BoundedFile.read(path, limit: maximumFileSize)
    } catch {
      throw .invalidBaseline(file: path, reason: "cannot read it: \(error.description)")
    }
    struct Header: Decodable { var formatVersion: Int }
    guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
      throw .invalidBaseline(file: path, reason: "no formatVersion")
    }
    guard header.formatVersion <= currentFormatVersion else {
      throw .unsupportedBaselineVersion(
        file: path, version: header.formatVersion, supported: currentFormatVersion)
    }
    do {
      return try JSONDecoder().decode(Baseline.self, from: data)
    } catch {
      throw .invalidBaseline(file: path, reason: "\(error)")
    }
  }

  /// Splits findings into new ones and ones the baseline knows.
  public func filter(_ findings: [Finding]) -> (new: [Finding], known: [Finding]) {
    var remaining: [String: Int] = [:]
    for entry in self.findings {
      remaining[Self.key(entry.path, entry.fingerprint), default: 0] += 1
    }
    var new: [Finding] = []
    var known: [Finding] = []
    for finding in findings {
      let key = Self.key(finding.location.path, finding.fingerprint)
      if let count = remaining[key], count > 0 {
        remaining[key] = count - 1
        known.append(finding)
      } else {
        new.append(finding)
      }
    }
    return (new, known)
  }

  private static func key(_ path: String, _ fingerprint: String) -> String {
    "\(path)\n\(fingerprint)"
  }
}
