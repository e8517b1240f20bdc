import Extraction
import Foundation
import Rules
import SeverCore

/// sever as Kbuild's `CHECK` program (`make C=1 CHECK=sever`): Kbuild runs
/// `$(CHECK) $(CHECKFLAGS) $(c_flags) file.c` from the tree root, as it runs sparse. The flags
/// are the file's own compile arguments; sparse-only and gcc-only ones are dropped.
public enum SparseInvocation {
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

  /// Checks the file with the given flags and returns the gcc-style text of its findings and
  /// tool diagnostics. Rules see this one translation unit only, so cross-file findings need
  /// `sever check` on the tree.
  public static func run(_ arguments: [String]) -> String {
    guard let file = arguments.last else { return "" }
    let directory = FileManager.default.currentDirectoryPath
    let flags =
      CompilationDatabase.normalise(
        Array(arguments.dropLast()).filter { !sparseOnly.contains($0) }, directory: directory,
        file: file
      ) + ["-ferror-limit=0", "-w"]
    let path = InputSet.absolutePath(file)
    do {
      // Out-of-tree builds (O=) run from the object tree and name sources by absolute path;
      // report them relative to the source tree, as an in-tree build would.
      let facts = try FactExtractor.extract(
        path: path, arguments: flags, root: InputSet.treeRoot(for: path))
      let findings = runRules(RuleContext(files: facts))
      return findings.map(render).joined()
    } catch {
      return "\(file): warning: sever could not parse this file: \(error)\n"
    }
  }

  private static func render(_ finding: Finding) -> String {
    var text =
      "\(finding.location): \(finding.severity.rawValue): \(finding.message) "
      + "[\(finding.ruleID)]\n"
    for note in finding.notes { text += "\(note.location): note: \(note.message)\n" }
    return text
  }
}
