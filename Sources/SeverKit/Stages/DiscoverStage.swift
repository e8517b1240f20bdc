import SeverCore
import SeverSupport

/// Stage 1 of the pipeline: the tree root, how the tree is set up, and the translation units
/// under the paths, with a diagnostic for every input that will not be parsed.
enum DiscoverStage {
  /// Discovers the inputs of a run. Throws for what stops the whole run (a path that does not
  /// exist, no C file at all). `walked` is a walk of the tree this run made already (the run
  /// memo's): folders it covers are not read again.
  static func run(_ options: CheckOptions, walked: TreeWalk.Walked? = nil)
    throws(SeverKitError) -> InputSet
  {
    try InputSet.discover(
      paths: options.paths, arch: options.arch, prefilter: options.prefilter,
      excluded: options.excluded, unsavedFiles: options.unsavedFiles,
      cacheBase: options.useCache ? options.cacheBase : nil, walked: walked)
  }
}
