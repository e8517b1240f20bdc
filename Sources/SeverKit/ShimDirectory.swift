import Foundation
import SeverCore

/// The headers `make prepare` would generate (`GeneratedHeaders`), written into a cache folder
/// outside the tree so that an unconfigured tree (Debian's linux-source as unpacked) parses.
struct ShimDirectory {
  /// The folder; `include/generated/…` and `arch/<arch>/include/generated/…` live under it.
  let path: String
  /// Where the `asm/` wrappers are; it goes last on the include path.
  var fallback: String { path + "/fallback" }

  /// Creates (or reuses) the folder for a tree, architecture and configuration. The folder name
  /// is a hash of all three and of sever's version, so concurrent runs agree on its content;
  /// it is written to a temporary sibling and renamed into place.
  static func prepare(root: String, sourceArch: String, config: KernelConfig, cacheBase: String)
    throws(SeverKitError) -> ShimDirectory
  {
    let autoconf = config.autoconfHeader()
    let key = StableHash.hex([root, sourceArch, autoconf, SeverVersion.current, "shim-4"])
    let final = cacheBase + "/shims/" + key
    let fm = FileManager.default
    if fm.fileExists(atPath: final + "/complete") { return ShimDirectory(path: final) }
    // Unique per call: one process may prepare the same folder twice at once (a review lints
    // the images before and after a patch concurrently).
    let temporary = cacheBase + "/shims/.tmp-\(key)-\(UUID().uuidString)"
    do {
      try? fm.removeItem(atPath: temporary)
      let files = GeneratedHeaders.files(root: root, sourceArch: sourceArch, autoconf: autoconf)
      for (relative, text) in files {
        let target = temporary + "/" + relative
        try fm.createDirectory(
          atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
      }
      try Data().write(to: URL(fileURLWithPath: temporary + "/complete"))
      if fm.fileExists(atPath: final) {
        // Another run finished first with the same content; keep theirs.
        try? fm.removeItem(atPath: temporary)
      } else {
        try fm.moveItem(atPath: temporary, toPath: final)
      }
    } catch {
      try? fm.removeItem(atPath: temporary)
      if fm.fileExists(atPath: final + "/complete") { return ShimDirectory(path: final) }
      throw .cacheNotWritable(path: cacheBase)
    }
    return ShimDirectory(path: final)
  }
}
