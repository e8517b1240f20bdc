/// Why the Kbuild oracle could not be loaded. Each case reads as one actionable sentence.
public enum KbuildError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The tree root does not look like a kernel tree.
  case notAKernelTree(String)
  /// The requested architecture has no `arch/<name>/Kconfig`.
  case unknownArch(String, available: [String])
  /// A file could not be read.
  case unreadable(String)

  public var description: String {
    switch self {
    case .notAKernelTree(let path):
      "'\(path)' is not a kernel tree (no top-level Kconfig and Kbuild or Makefile); pass --tree DIR"
    case .unknownArch(let arch, let available):
      "unknown architecture '\(arch)'; use one of: \(available.joined(separator: ", "))"
    case .unreadable(let path):
      "cannot read '\(path)'; check that it exists and is readable"
    }
  }
}
