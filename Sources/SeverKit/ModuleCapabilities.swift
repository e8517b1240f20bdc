import SeverCore

/// Module-capability answers for the files that define callback tables.
enum ModuleCapabilities {
  /// Until the Kbuild oracle is wired, no file has an answer and rules treat code as built in
  /// unless stated otherwise.
  static func answers(for check: CheckResult, options: CheckOptions) -> [String: ModuleCapability] {
    [:]
  }
}
