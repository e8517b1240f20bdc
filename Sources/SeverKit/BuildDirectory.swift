import Foundation
import SeverCore
import SeverSupport

/// A configured `O=` build of the tree (`--build-dir`), as kernel developers keep one: its
/// `.config` decides the configuration and the architecture, and the headers its `make prepare`
/// generated (`include/generated`, `arch/*/include/generated`) come before sever's own.
struct BuildDirectory: Sendable {
  /// The absolute path of the build directory.
  let path: String
  /// The build's configuration.
  let config: KernelConfig
  /// The architecture the `.config` is for, when it says.
  let arch: String?

  /// Opens a build directory; throws when it has no readable `.config`.
  static func open(_ path: String) throws(SeverKitError) -> BuildDirectory {
    guard FileStatus(path: path)?.kind == .directory else {
      throw .badBuildDirectory(path: path, reason: "it is not a directory")
    }
    guard let data = try? BoundedFile.read(path + "/.config", limit: InputSet.maximumFileSize)
    else {
      throw .badBuildDirectory(
        path: path,
        reason: "it has no readable .config; configure it first (make O=\(path) defconfig)")
    }
    let config = KernelConfig(parsing: String(decoding: data, as: UTF8.self))
    return BuildDirectory(path: path, config: config, arch: ArchitectureTable.arch(of: config))
  }
}
