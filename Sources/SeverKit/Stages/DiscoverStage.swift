import SeverCore

/// Stage 1 of the pipeline: the tree root, how the tree is set up, and the translation units
/// under the paths, with a diagnostic for every input that will not be parsed.
enum DiscoverStage {
  /// Discovers the inputs of a run. Throws for what stops the whole run (a path that does not
  /// exist, no C file at all).
  static func run(_ options: CheckOptions) throws(SeverKitError) -> InputSet {
    try InputSet.discover(
      paths: options.paths, arch: options.arch, prefilter: options.prefilter,
      excluded: options.excluded, unsavedFiles: options.unsavedFiles,
      cacheBase: options.useCache ? options.cacheBase : nil)
  }
}
