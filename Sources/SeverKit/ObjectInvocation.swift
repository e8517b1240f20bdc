import Foundation
import SeverConfiguration

/// sever as Kbuild's `CHECK` program (`make C=1 CHECK=sever`): Kbuild runs
/// `$(CHECK) $(CHECKFLAGS) $(c_flags) file.c` once per object, from the tree root (or from the
/// object tree of an `O=` build, naming the source by absolute path), as it runs sparse.
///
/// The object goes through the same pipeline as `sever check` on that file: the object's own
/// flags replace the ones sever would make (sparse-only and gcc-only flags dropped), and
/// `-DMODULE` with `KBUILD_MODNAME` on the command line says that Kbuild links this object into a
/// module, which decides its module capability. Rules see this one translation unit only, so
/// cross-file findings need `sever check` on the tree.
public struct ObjectInvocation: Sendable, Equatable {
  /// The source file, absolute.
  public var file: String
  /// The compile arguments for clang.
  public var flags: [String]
  /// The module the object is built into, when Kbuild passes `-DMODULE`.
  public var module: String?

  /// Flags sparse takes that clang does not.
  static let sparseOnly: Set<String> = [
    "-D__CHECKER__", "-Wbitwise", "-Wno-return-void", "-Wno-unknown-attribute",
    "-Wcontext", "-Wno-context", "-Wdecl", "-Wno-decl", "-Wdefault-bitfield-sign",
  ]

  /// Whether `arguments` (without the program name) look like Kbuild's checker call: flags,
  /// then one C file last.
  public static func matches(_ arguments: [String]) -> Bool {
    guard let first = arguments.first, let last = arguments.last else { return false }
    return first.hasPrefix("-") && !["-h", "--help", "--version"].contains(first)
      && last.hasSuffix(".c")
  }

  /// Reads a checker call made in `directory`.
  public init?(arguments: [String], directory: String) {
    guard Self.matches(arguments), let source = arguments.last else { return nil }
    let given = Array(arguments.dropLast())
    file = InputSet.absolutePath(
      source.hasPrefix("/") ? source : directory + "/" + source)
    flags = CompilationDatabase.normalise(
      given.filter { !Self.sparseOnly.contains($0) }, directory: directory, file: source)
    let defines = Self.defines(given)
    module = defines["MODULE"] != nil ? Self.unquoted(defines["KBUILD_MODNAME"] ?? "") : nil
    if module?.isEmpty == true {
      module = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    }
  }

  /// The pipeline request for the object: this file alone, its flags, its module state, the
  /// tree's `.sever.yml`.
  public func request(configuration: Configuration, cacheBase: String? = nil) -> Pipeline.Request {
    var options = CheckOptions(paths: [file], jobs: 1, cacheBase: cacheBase)
    options.unitArguments = [file: flags]
    // Kbuild calls sever once per object, in any directory: the first computes the whole
    // tree's answers for the rest.
    options.kbuildStateScope = .wholeTree
    let root = InputSet.treeRoot(for: file)
    if let module { options.builtAsModule = [InputSet.relative(file, to: root): module] }
    let configRoot = configuration.directory ?? ""
    options.excluded = { configuration.isExcluded($0, root: configRoot) }
    var request = Pipeline.Request(options: options, configuration: configuration)
    // Each object is its own run; Kbuild calls the checker again when the object changes.
    request.useMemo = false
    return request
  }

  /// `-DNAME=value` and `-D NAME=value` as a dictionary (value "" for `-DNAME`).
  static func defines(_ arguments: [String]) -> [String: String] {
    var result: [String: String] = [:]
    var index = 0
    while index < arguments.count {
      var word = arguments[index]
      if word == "-D", index + 1 < arguments.count {
        index += 1
        word = "-D" + arguments[index]
      }
      if word.hasPrefix("-D") {
        let definition = word.dropFirst(2)
        let parts = definition.split(separator: "=", maxSplits: 1)
        if let name = parts.first {
          result[String(name)] = parts.count > 1 ? String(parts[1]) : ""
        }
      }
      index += 1
    }
    return result
  }

  /// `"name"` or `name` (Kbuild quotes KBUILD_MODNAME for the C preprocessor) → `name`.
  static func unquoted(_ value: String) -> String {
    var text = value
    while let first = text.first, first == "\"" || first == "'" || first == "\\" {
      text.removeFirst()
    }
    while let last = text.last, last == "\"" || last == "'" || last == "\\" { text.removeLast() }
    return text
  }
}
