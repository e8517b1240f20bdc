import Foundation
import SeverCore

/// Makes the clang arguments for each translation unit, one of three ways: from a compilation
/// database, Kbuild-like flags synthesised for an unconfigured kernel tree, or defaults for a
/// lone file. Every way ends with `-ferror-limit=0` (clang otherwise stops after 20 errors and
/// loses the rest of the file) and `-w` (warnings are not coverage problems).
public struct ArgumentBuilder: Sendable {
  let root: String
  let mode: InputSet.Mode
  let arch: String
  let shim: ShimDirectory?
  let database: CompilationDatabase?
  let resourceInclude: String?
  /// Arguments the build gave for some units (absolute path → arguments).
  let overrides: [String: [String]]

  /// Prepares arguments for an input set. For a kernel tree this writes the generated-header
  /// shims into `cacheBase` (never into the tree).
  public init(
    inputs: InputSet, arch: String, config: KernelConfig?, compileCommands: String?,
    cacheBase: String, overrides: [String: [String]] = [:]
  ) throws(SeverKitError) {
    self.overrides = overrides
    root = inputs.root
    mode = inputs.mode
    self.arch = arch
    let sourceArch = ArchitectureTable.sourceArch(for: arch)
    if inputs.mode == .kernelTree {
      let known =
        (try? FileManager.default.contentsOfDirectory(atPath: root + "/arch"))?
        .filter { !$0.hasPrefix(".") && !$0.hasSuffix("Kconfig") }.sorted() ?? []
      guard known.contains(sourceArch) else { throw .unknownArch(arch, known: known) }
    } else if ArchitectureTable.target(for: arch) == nil {
      throw .unknownArch(arch, known: ArchitectureTable.known.keys.sorted())
    }
    database = try compileCommands.map { path throws(SeverKitError) in
      try CompilationDatabase.load(path: path)
    }
    if inputs.mode == .kernelTree && database == nil {
      let configuration = config ?? DefaultConfig.configuration(sourceArch: sourceArch)
      shim = try ShimDirectory.prepare(
        root: root, sourceArch: sourceArch, config: configuration, cacheBase: cacheBase)
    } else {
      shim = nil
    }
    resourceInclude = Self.findResourceInclude()
  }

  /// The arguments for one unit (absolute path).
  public func arguments(for path: String) -> [String] {
    let common = ["-ferror-limit=0", "-w"]
    if let given = overrides[path] { return given + common }
    if let database, let known = database.arguments[path] {
      return known + common
    }
    switch mode {
    case .kernelTree: return kernelArguments(for: path) + common
    case .headerTree: return ["-std=gnu11", "-I", root + "/include"] + common
    case .loneFiles: return ["-std=gnu11"] + common
    }
  }

  private func kernelArguments(for path: String) -> [String] {
    let sourceArch = ArchitectureTable.sourceArch(for: arch)
    let archInclude = root + "/arch/\(sourceArch)/include"
    let generated = (shim?.path ?? root) + "/arch/\(sourceArch)/include/generated"
    let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    var args = ["-nostdinc"]
    if let resourceInclude { args += ["-isystem", resourceInclude] }
    if let target = ArchitectureTable.target(for: arch) { args.append("--target=" + target) }
    args += [
      "-I", archInclude, "-I", generated, "-I", root + "/include",
      "-I", archInclude + "/uapi", "-I", generated + "/uapi", "-I", root + "/include/uapi",
    ]
    if let shim {
      args += ["-I", shim.path + "/include/generated/uapi", "-I", shim.path + "/include"]
    }
    args += [
      "-include", root + "/include/linux/compiler-version.h",
      "-include", root + "/include/linux/kconfig.h",
      "-include", root + "/include/linux/compiler_types.h",
      // Kbuild adds CC_USING_FENTRY with -mfentry when function tracing is on; headers #error
      // without it.
      "-D__KERNEL__", "-DCC_USING_FENTRY", "-std=gnu11", "-fms-extensions", "-fno-builtin",
      "-DKBUILD_MODNAME=\"\(name)\"", "-DKBUILD_BASENAME=\"\(name)\"",
      "-I", (path as NSString).deletingLastPathComponent,
    ]
    if let shim { args += ["-I", shim.fallback] }
    return args
  }

  /// clang's builtin headers (`stddef.h`, `stdarg.h`), which `-nostdinc` hides and Kbuild adds
  /// back with `-isystem`.
  private static func findResourceInclude() -> String? {
    let base = "/usr/lib/llvm-14/lib/clang"
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: base))?.sorted() ?? []
    return versions.last.map { base + "/" + $0 + "/include" }
  }
}
