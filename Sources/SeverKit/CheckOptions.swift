import Extraction
import Foundation
import Kbuild
import Rules
import SeverConfiguration
import SeverCore
import SeverSupport

/// What `check` and `facts` are asked to do.
public struct CheckOptions: Sendable {
  /// Files or directories, as given.
  public var paths: [String]
  /// The architecture (`x86_64`), or `auto`: each file under the first architecture whose
  /// Kbuild builds it (`ArchitectureTable.automatic`).
  public var arch: String
  /// A `.config` to use instead of the default configuration.
  public var configPath: String?
  /// A configured `O=` build of the tree (`--build-dir`): its `.config` (unless `configPath`
  /// is given) and its generated headers are used.
  public var buildDirectory: String?
  /// A `compile_commands.json` to take arguments from.
  public var compileCommands: String?
  /// Parallel translation units.
  public var jobs: Int
  /// Where generated headers are cached.
  public var cacheBase: String
  /// Whether files found under kernel-tree directories are filtered by `InputSet.prefilterWords`.
  public var prefilter: Bool
  /// Paths (relative to the tree root) that are not parsed, from `.sever.yml`'s `exclude`.
  public var excluded: @Sendable (String) -> Bool = { _ in false }
  /// Called after each unit with (done, total); the CLI draws a progress line from it.
  public var progress: (@Sendable (Int, Int) -> Void)?
  /// Whether facts of unchanged units are taken from the facts cache (`--no-cache` turns it off).
  public var useCache = true
  /// Whether the process ends soon after the run (the command line): the run's large
  /// structures (the rules' index and summaries, tier 1's scans) are then left for the exit to
  /// reclaim instead of being freed piece by piece, as clang's `-disable-free` does; freeing
  /// them was a tenth of a whole-tree re-run with one file changed.
  public var endsProcess = false
  /// Whether units may be parsed over precompiled headers of the common kernel headers
  /// (`PrecompiledHeaders`; `--no-precompiled-headers` turns it off). The facts are the same.
  public var precompiledHeaders = true
  /// How many units that need a precompiled header a run parses without it before it builds
  /// it (`PrecompiledHeaders.buildAfter`; tests set 0 to build one for every unit).
  public var precompileAfter = PrecompiledHeaders.buildAfter
  /// Whether every candidate unit is parsed (`--exhaustive`), instead of only those tier 1
  /// selects.
  public var exhaustive = false
  /// Contents that replace files on disk, by absolute path (a patch applied in memory); files
  /// named here are parsed from this text and nothing on disk changes.
  public var unsavedFiles: [String: String] = [:]
  /// Seconds one unit may take to parse before it is abandoned with a diagnostic
  /// (`--unit-timeout`); nil waits for ever.
  public var unitTimeout: Double? = CheckOptions.defaultUnitTimeout
  /// With a path, units are parsed by worker processes running this executable (a `sever`)
  /// with the hidden `__extract-worker` subcommand, so a libclang crash costs one unit (the
  /// command line's default; `--no-isolate` clears it); nil parses in process.
  public var isolateExecutable: String?

  /// How much of the tree's Kbuild state a run that cannot use it computes and keeps: the whole
  /// tree (`make C=1`, where the next object may sit in any directory), or the directories of
  /// the files asked about (a check or a review, which then pays seconds less).
  public var kbuildStateScope: KbuildTreeState.Scope = .directories
  /// Compile arguments given for a unit (absolute path) by the build that compiles it (`make
  /// C=1` passes the object's own flags); they replace the arguments sever would make.
  public var unitArguments: [String: [String]] = [:]
  /// Files (relative to the tree root) the build compiles into a module right now, with the
  /// module's name: `-DMODULE` and `KBUILD_MODNAME` on `make C=1`'s command line.
  public var builtAsModule: [String: String] = [:]

  /// The default of `unitTimeout`, in seconds.
  public static let defaultUnitTimeout: Double = 120

  /// Creates options; `cacheBase` defaults to `$XDG_CACHE_HOME/sever` or `~/.cache/sever`.
  public init(
    paths: [String], arch: String = "x86_64", configPath: String? = nil,
    compileCommands: String? = nil, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
    cacheBase: String? = nil, prefilter: Bool = true, useCache: Bool = true
  ) {
    self.useCache = useCache
    self.prefilter = prefilter
    self.paths = paths
    self.arch = arch
    self.configPath = configPath
    self.compileCommands = compileCommands
    self.jobs = max(1, jobs)
    self.cacheBase = cacheBase ?? Self.defaultCacheBase()
  }

  /// The options with `--arch auto` settled where one configuration decides it: a build
  /// directory or a `--config` is for one architecture, which is then the run's. Throws when the
  /// build directory is unusable, or configured for another architecture than `--arch` names.
  public func resolvingArchitecture() throws(SeverKitError) -> CheckOptions {
    var options = self
    if let directory = buildDirectory {
      let build = try BuildDirectory.open(InputSet.absolutePath(directory))
      if let configured = build.arch {
        if arch == "auto" {
          options.arch = configured
        } else if ArchitectureTable.sourceArch(for: arch)
          != ArchitectureTable.sourceArch(for: configured)
        {
          throw .badBuildDirectory(
            path: directory,
            reason: "it is configured for \(configured), not \(arch); drop --arch or pass "
              + "--arch \(configured)")
        }
      } else if arch == "auto" {
        throw .badBuildDirectory(
          path: directory,
          reason: "its .config names no architecture sever knows; pass --arch")
      }
    } else if arch == "auto", let path = configPath {
      guard let data = try? BoundedFile.read(path, limit: InputSet.maximumFileSize) else {
        throw .unreadableOption(option: "--config", path: path)
      }
      guard
        let configured = ArchitectureTable.arch(
          of: KernelConfig(parsing: String(decoding: data, as: UTF8.self)))
      else {
        throw .configArchitectureUnknown(path: path)
      }
      options.arch = configured
    }
    return options
  }

  /// The `.config` the run uses instead of the estimate: `--config`, else the build
  /// directory's; nil when there is none or it cannot be read (extraction then says so).
  func givenConfig() -> KernelConfig? {
    guard let path = configPath ?? buildDirectory.map({ $0 + "/.config" }),
      let data = try? BoundedFile.read(path, limit: InputSet.maximumFileSize)
    else { return nil }
    return KernelConfig(parsing: String(decoding: data, as: UTF8.self))
  }

  /// `$XDG_CACHE_HOME/sever`, else `~/.cache/sever`, else a private temporary directory.
  public static func defaultCacheBase() -> String {
    let env = ProcessInfo.processInfo.environment
    if let xdg = env["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/sever" }
    if let home = env["HOME"], home.hasPrefix("/") { return home + "/.cache/sever" }
    // No home: a shared /tmp/.cache could hold entries planted by another user, so the cache
    // goes to a directory of this process's own, made with mode 0700 and never reused.
    var template = Array((NSTemporaryDirectory() + "/sever-cache-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.flatMap { mkdtemp($0) }
    }
    return made.map { String(cString: $0) } ?? "/nonexistent/sever-cache"
  }
}
