import Foundation

/// What `make prepare` (and the generating rules of a few directories) would generate for a
/// tree, architecture and configuration, as files relative to the shim folder (`ShimDirectory`
/// writes and publishes them): `autoconf.h` from a configuration, `asm/` wrappers for headers
/// the architecture takes from asm-generic, syscall numbers and tables from the architecture's
/// `*.tbl` files (`SyscallHeaders`), arm64's CPU capabilities and system registers
/// (`Arm64Headers`), SELinux's class and permission numbers (`SelinuxHeaders`), SCSI's
/// blacklist flag names, and small stubs for the rest. Every generator reads the tree's own
/// inputs in Swift: sever never runs the tree's scripts or programs.
enum GeneratedHeaders {
  /// Changes whenever a generator does, so that shims made by an older sever are not reused.
  static let version = "generated-2"

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
    if sourceArch == "arm64" {
      let names = SyscallHeaders.listed("generated-y", in: root + "/arch/arm64/include/asm/Kbuild")
      for (name, text) in Arm64Headers.files(root: root, generatedNames: names) {
        files[generated + "/" + name] = text
      }
    }
    if sourceArch == "s390" {
      for (name, text) in S390Headers.files(root: root, autoconf: autoconf) {
        files[generated + "/" + name] = text
      }
    }
    for (name, text) in SelinuxHeaders.files(root: root) { files[name] = text }
    if let table = scsiDeviceFlags(root: root) {
      files["drivers/scsi/scsi_devinfo_tbl.c"] = table
    }
    for (folder, name) in kbuildWrappers(root: root, sourceArch: sourceArch)
    where files[generated + "/" + folder + "/" + name] == nil {
      files[generated + "/" + folder + "/" + name] = "#include <asm-generic/\(name)>\n"
    }
    for name in genericWrappers(root: root, sourceArch: sourceArch) {
      files["fallback/asm/" + name] = "#include <asm-generic/\(name)>\n"
    }
    return files
  }

  /// The wrappers Kbuild writes into `arch/<arch>/include/generated/asm` and `…/uapi/asm`
  /// (`scripts/Makefile.asm-headers`, `Makefile.asm-generic` before 6.11): the `generic-y` of
  /// the architecture's `Kbuild` files, and the `mandatory-y` of asm-generic's that the
  /// architecture neither has nor generates. `(folder, name)` pairs.
  static func kbuildWrappers(root: String, sourceArch: String) -> [(String, String)] {
    var wrappers: [(String, String)] = []
    for (folder, generic) in [
      ("asm", "include/asm-generic"), ("uapi/asm", "include/uapi/asm-generic"),
    ] {
      let own = root + "/arch/\(sourceArch)/include/" + folder
      let kbuild = own + "/Kbuild"
      let generated = Set(
        SyscallHeaders.listed("generated-y", in: kbuild)
          + SyscallHeaders.listed("syscall-y", in: kbuild))
      var names = SyscallHeaders.listed("generic-y", in: kbuild)
      for name in SyscallHeaders.listed("mandatory-y", in: root + "/" + generic + "/Kbuild")
      where !generated.contains(name) && !FileManager.default.fileExists(atPath: own + "/" + name) {
        names.append(name)
      }
      wrappers += Set(names).sorted().map { (folder, $0) }
    }
    return wrappers
  }

  /// `drivers/scsi/scsi_devinfo_tbl.c`: `BLIST_FLAG_NAME(X),` for each `#define BLIST_X` of
  /// `include/scsi/scsi_devinfo.h` (drivers/scsi/Makefile's `sed -n 's/.*define *BLIST_\([A-Z0-9_]*\)
  /// *.*/BLIST_FLAG_NAME(\1),/p'`).
  static func scsiDeviceFlags(root: String) -> String? {
    guard
      let text = try? String(
        contentsOfFile: root + "/include/scsi/scsi_devinfo.h", encoding: .utf8)
    else { return nil }
    var out = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      // sed's greedy `.*define *BLIST_` matches the last "define" followed by BLIST_.
      guard let range = line.range(of: "define", options: .backwards) else { continue }
      let rest = line[range.upperBound...].drop { $0 == " " }
      guard rest.hasPrefix("BLIST_") else { continue }
      let name = rest.dropFirst(6).prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
      out += "BLIST_FLAG_NAME(\(name)),\n"
    }
    return out
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
