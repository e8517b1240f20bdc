import Foundation
import SeverCore

/// The headers `make prepare` would generate, written into a cache folder outside the tree so
/// that an unconfigured tree (Debian's linux-source as unpacked) parses: `autoconf.h` from a
/// configuration, `asm/` wrappers for headers the architecture takes from asm-generic, syscall
/// numbers from the architecture's tables, and small stubs for the rest.
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
      var files: [String: String] = [:]
      files["include/generated/autoconf.h"] = autoconf
      files["include/generated/bounds.h"] = Stubs.bounds
      files["include/generated/timeconst.h"] = Stubs.timeconst
      files["include/generated/asm-offsets.h"] = "/* sever stub */\n"
      files["include/generated/utsrelease.h"] = "#define UTS_RELEASE \"sever\"\n"
      files["include/generated/compile.h"] = Stubs.compile
      files["include/generated/utsversion.h"] = "#define UTS_VERSION \"#1\"\n"
      files["include/generated/uapi/linux/version.h"] = Stubs.version(root: root)
      let generated = "arch/\(sourceArch)/include/generated"
      for (name, text) in SyscallHeaders.headers(root: root, sourceArch: sourceArch) {
        files[generated + "/" + name] = text
      }
      for name in genericWrappers(root: root, sourceArch: sourceArch) {
        files["fallback/asm/" + name] = "#include <asm-generic/\(name)>\n"
      }
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

  /// Headers the tree has in asm-generic but not in the architecture's own asm folders: Kbuild
  /// makes one-line wrappers for them (`generic-y` and mandatory-y).
  private static func genericWrappers(root: String, sourceArch: String) -> [String] {
    let fm = FileManager.default
    var own = Set<String>()
    for dir in ["arch/\(sourceArch)/include/asm", "arch/\(sourceArch)/include/uapi/asm"] {
      own.formUnion((try? fm.contentsOfDirectory(atPath: root + "/" + dir)) ?? [])
    }
    var generic = Set<String>()
    for dir in ["include/asm-generic", "include/uapi/asm-generic"] {
      let names = (try? fm.contentsOfDirectory(atPath: root + "/" + dir)) ?? []
      generic.formUnion(names.filter { $0.hasSuffix(".h") })
    }
    return generic.subtracting(own).sorted()
  }
}
