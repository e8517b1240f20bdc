/// The answer to "can this C file be part of a module on this architecture?", with the chain of
/// Makefile and Kconfig lines that shows why (contract.md §4.1).
public struct ModuleCapability: Codable, Sendable, Hashable {
  /// The verdict.
  public enum Verdict: String, Codable, Sendable, Hashable, CaseIterable {
    /// Only ever linked into vmlinux (`obj-y`, or a symbol that is `bool` or capped at `y`).
    case builtInOnly = "built-in-only"
    /// Can be built into a module (`obj-m`, or a `tristate` symbol not capped at `y`).
    case moduleCapable = "module-capable"
    /// Not compiled for this architecture at all.
    case notBuilt = "not-built"
    /// The reader could not decide; `reason` says why.
    case unknown
  }

  /// One link of the evidence chain: a Makefile or Kconfig line.
  public struct Evidence: Codable, Sendable, Hashable {
    /// The file and line.
    public var location: SourceLocation
    /// The line's text, trimmed.
    public var text: String
    /// What the line contributes, in words.
    public var note: String

    /// Creates a link.
    public init(location: SourceLocation, text: String, note: String) {
      self.location = location
      self.text = text
      self.note = note
    }
  }

  /// The C file asked about, relative to the tree root.
  public var path: String
  /// The architecture (`x86_64`, `arm64`).
  public var arch: String
  /// The verdict.
  public var verdict: Verdict
  /// With a `.config`: the state in that configuration.
  public var configState: Tristate?
  /// Whether the file holds a literal `#ifdef MODULE` (or `#if defined(MODULE)`) block.
  public var hasIfdefModule: Bool
  /// Why, for `unknown` and `notBuilt`.
  public var reason: String?
  /// The chain, from the file's own Makefile line outward to the Kconfig definitions.
  public var evidence: [Evidence]

  /// Creates an answer.
  public init(
    path: String, arch: String, verdict: Verdict, configState: Tristate? = nil,
    hasIfdefModule: Bool = false, reason: String? = nil, evidence: [Evidence] = []
  ) {
    self.path = path
    self.arch = arch
    self.verdict = verdict
    self.configState = configState
    self.hasIfdefModule = hasIfdefModule
    self.reason = reason
    self.evidence = evidence
  }
}
