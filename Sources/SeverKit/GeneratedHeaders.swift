import Foundation

/// What `make prepare` would generate for a tree, architecture and configuration, as files
/// relative to the shim folder (`ShimDirectory` writes and publishes them): `autoconf.h` from a
/// configuration, `asm/` wrappers for headers the architecture takes from asm-generic, syscall
/// numbers from the architecture's tables, and small stubs for the rest.
enum GeneratedHeaders {
  /// Relative path → contents.
  static func files(root: String, sourceArch: String, autoconf: String) -> [String: String] {
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
    return files
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
