/// Errors of the pipeline that stop a run before any result: bad paths, bad options, unusable
/// inputs. Each has a sentence a user can act on; the CLI prints it and exits with status 2.
public enum SeverKitError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A path given on the command line does not exist.
  case noSuchPath(String)
  /// The inputs hold no `.c` file.
  case noCSources([String])
  /// `--arch` names an architecture the tree does not have.
  case unknownArch(String, known: [String])
  /// A file given with `--config` or `--compile-commands` cannot be read.
  case unreadableOption(option: String, path: String)
  /// The compilation database is not usable.
  case badCompilationDatabase(path: String, reason: String)
  /// `--build-dir` is not a configured build, or not one for the architecture asked for.
  case badBuildDirectory(path: String, reason: String)
  /// `--arch auto` with a `--config` that says for no known architecture.
  case configArchitectureUnknown(path: String)
  /// The cache folder for generated headers cannot be written.
  case cacheNotWritable(path: String)
  /// No input could be parsed at all.
  case nothingParsed(reasons: [String])
  /// `.sever.yml` or a baseline is unusable; the message names the file and line.
  case configuration(String)

  public var description: String {
    switch self {
    case .noSuchPath(let path):
      "no such file or directory: '\(path)'"
    case .noCSources(let paths):
      "no C source files (*.c) under \(paths.map { "'\($0)'" }.joined(separator: ", ")); "
        + "give a .c file, a directory holding some, or a kernel tree root"
    case .unknownArch(let arch, let known):
      "unknown architecture '\(arch)'; this tree has: \(known.joined(separator: ", "))"
    case .unreadableOption(let option, let path):
      "cannot read the file given to \(option): '\(path)'"
    case .badCompilationDatabase(let path, let reason):
      "cannot use the compilation database '\(path)': \(reason)"
    case .badBuildDirectory(let path, let reason):
      "cannot use the build directory '\(path)': \(reason)"
    case .configArchitectureUnknown(let path):
      "--arch auto cannot tell the architecture of '\(path)' (none of CONFIG_X86_64, "
        + "CONFIG_ARM64, … is set); pass --arch"
    case .cacheNotWritable(let path):
      "cannot write generated headers under '\(path)'; set XDG_CACHE_HOME to a writable folder"
    case .configuration(let message):
      message
    case .nothingParsed(let reasons):
      "no input could be parsed: " + reasons.prefix(3).joined(separator: "; ")
    }
  }
}
