import Kbuild
import SeverCore

/// Stage 2 of the pipeline: what the tree's Kconfig and Kbuild files answer (the estimated
/// configuration, and whether each candidate file can be part of a module), and what could not be
/// answered, as diagnostics. Outside a kernel tree there is nothing to ask.
public struct KbuildStage: Sendable {
  /// The answers, when the tree has Kbuild files and they could be read.
  public var answers: KbuildAnswers?
  /// Why module capability is unknown or may be wrong.
  public var diagnostics: [ToolDiagnostic]

  /// Reads (or takes from the cache) the answers for the candidate files of `inputs`.
  static func run(_ inputs: InputSet, options: CheckOptions) async -> KbuildStage {
    guard inputs.mode == .kernelTree else { return KbuildStage(answers: nil, diagnostics: []) }
    do {
      let answers = try await KbuildAnswers.load(
        root: inputs.root, arch: options.arch, paths: inputs.units.flatMap(\.keep),
        cacheBase: options.cacheBase, useCache: options.useCache,
        overlay: overlay(options.unsavedFiles, root: inputs.root))
      var diagnostics: [ToolDiagnostic] = []
      if !answers.skippedFiles.isEmpty {
        diagnostics.append(
          ToolDiagnostic(
            kind: .moduleCapability, path: inputs.root,
            message: "\(answers.skippedFiles.count) Kconfig or Kbuild files could not be read "
              + "(first: \(answers.skippedFiles[0])); module capability may be wrong"))
      }
      return KbuildStage(answers: answers, diagnostics: diagnostics)
    } catch {
      return KbuildStage(
        answers: nil,
        diagnostics: [
          ToolDiagnostic(
            kind: .moduleCapability, path: inputs.root,
            message: "module capability unknown, every file is treated as built in: \(error)")
        ])
    }
  }

  /// Contents held in memory (a patch under review) by tree-relative path: the oracle reads
  /// them instead of the disk's copies, so a review sees what a Kconfig or Makefile change does
  /// to module capability, and knows the files the patch adds.
  static func overlay(_ unsaved: [String: String], root: String) -> [String: String] {
    var result: [String: String] = [:]
    for (path, text) in unsaved where path.hasPrefix(root + "/") {
      result[String(path.dropFirst(root.count + 1))] = text
    }
    return result
  }
}
