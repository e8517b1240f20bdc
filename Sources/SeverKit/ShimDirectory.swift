import Foundation
import SeverCore
import SeverSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The headers `make prepare` would generate (`GeneratedHeaders`), written into a cache folder
/// outside the tree so that an unconfigured tree (Debian's linux-source as unpacked) parses.
///
/// The folder holds a `manifest` (a `CacheFile`) listing every file with its checksum. It is
/// published whole: written under a temporary name unique to the call, then renamed into place,
/// so two runs (or the two images of one review) preparing it at once never share a half-written
/// folder. Every use checks the folder against its manifest first; a file missing, changed or
/// added, or a missing manifest, is repaired in place (each file renamed over, so a concurrent
/// parse sees the old file or the new one) with a warning, never used as it is.
struct ShimDirectory {
  /// The folder; `include/generated/…` and `arch/<arch>/include/generated/…` live under it.
  let path: String
  /// Where the `asm/` wrappers are; it goes last on the include path.
  var fallback: String { path + "/fallback" }

  /// The manifest's name inside the folder.
  static let manifestName = "manifest"

  /// Creates, checks or repairs the folder for a tree, architecture and configuration. The
  /// folder name is a hash of all three and of sever's version, so concurrent runs agree on its
  /// content.
  static func prepare(root: String, sourceArch: String, config: KernelConfig, cacheBase: String)
    throws(SeverKitError) -> ShimDirectory
  {
    let autoconf = config.autoconfHeader()
    let key = StableHash.hex([root, sourceArch, autoconf, SeverVersion.current, "shim-5"])
    let final = cacheBase + "/shims/" + key
    func generated() -> [String: String] {
      GeneratedHeaders.files(root: root, sourceArch: sourceArch, autoconf: autoconf)
    }
    switch check(final) {
    case .whole:
      return ShimDirectory(path: final)
    case .damaged(let reason):
      CacheFile.warn(
        "the generated headers '\(final)' in the cache are damaged (\(reason)); they are rebuilt")
      try repair(final, files: generated(), cacheBase: cacheBase)
      return ShimDirectory(path: final)
    case .absent:
      break
    }
    let files = generated()
    // Unique per call: one process may prepare the same folder twice at once (a review lints
    // the images before and after a patch concurrently).
    let temporary = cacheBase + "/shims/.tmp-\(key)-\(UUID().uuidString)"
    do {
      try write(files, into: temporary)
    } catch {
      try? FileManager.default.removeItem(atPath: temporary)
      throw .cacheNotWritable(path: cacheBase)
    }
    if rename(temporary, final) != 0 {
      // Another run published the folder first (rename does not replace a folder that holds
      // files): keep theirs, once it checks out.
      try? FileManager.default.removeItem(atPath: temporary)
      switch check(final) {
      case .whole: break
      case .damaged: try repair(final, files: files, cacheBase: cacheBase)
      case .absent: throw .cacheNotWritable(path: cacheBase)
      }
    }
    return ShimDirectory(path: final)
  }

  /// What `check` found.
  enum Check: Equatable {
    /// No folder at all.
    case absent
    /// Every file of the manifest with its checksum, and nothing else.
    case whole
    /// Something else, and the first thing found wrong.
    case damaged(String)
  }

  /// Checks a folder against its manifest.
  static func check(_ folder: String) -> Check {
    guard let status = FileStatus(path: folder) else { return .absent }
    guard status.kind == .directory else { return .damaged("it is not a folder") }
    let manifest: [String: String]
    switch CacheFile.read(folder + "/" + manifestName) {
    case .missing: return .damaged("its manifest is missing")
    case .damaged(let reason): return .damaged("its manifest is damaged: \(reason)")
    case .valid(let data):
      guard let decoded = try? JSONDecoder().decode([String: String].self, from: data) else {
        return .damaged("its manifest is not a list of files")
      }
      manifest = decoded
    }
    for (relative, checksum) in manifest.sorted(by: { $0.key < $1.key }) {
      guard let data = FileManager.default.contents(atPath: folder + "/" + relative) else {
        return .damaged("\(relative) is missing")
      }
      guard Checksum.hex(data) == checksum else { return .damaged("\(relative) was changed") }
    }
    if let stray = files(in: folder).first(where: { manifest[$0] == nil }) {
      return .damaged("\(stray) is not in its manifest")
    }
    return .whole
  }

  /// Writes every file and the manifest into a new folder.
  private static func write(_ files: [String: String], into folder: String) throws {
    let fm = FileManager.default
    for (relative, text) in files {
      let target = folder + "/" + relative
      try fm.createDirectory(
        atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try Data(text.utf8).write(to: URL(fileURLWithPath: target))
    }
    guard CacheFile.write(try manifest(of: files), to: folder + "/" + manifestName) else {
      throw SeverKitError.cacheNotWritable(path: folder)
    }
  }

  /// Puts a published folder right without ever removing it: each wrong or missing file is
  /// written to a temporary name and renamed over, files not in the manifest are removed, and
  /// the manifest comes last. Runs repairing it at once write the same bytes.
  private static func repair(_ folder: String, files: [String: String], cacheBase: String)
    throws(SeverKitError)
  {
    let fm = FileManager.default
    if let status = FileStatus(path: folder), status.kind != .directory {
      try? fm.removeItem(atPath: folder)
    }
    for (relative, text) in files.sorted(by: { $0.key < $1.key }) {
      let target = folder + "/" + relative
      let data = Data(text.utf8)
      if let current = fm.contents(atPath: target), current == data { continue }
      guard AtomicFile.write(data, to: target) else { throw .cacheNotWritable(path: cacheBase) }
    }
    for stray in Self.files(in: folder) where files[stray] == nil && stray != manifestName {
      try? fm.removeItem(atPath: folder + "/" + stray)
    }
    guard let manifest = try? manifest(of: files),
      CacheFile.write(manifest, to: folder + "/" + manifestName)
    else { throw .cacheNotWritable(path: cacheBase) }
  }

  /// The manifest of `files`: relative path → checksum, as JSON with sorted keys.
  private static func manifest(of files: [String: String]) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(files.mapValues { Checksum.hex(Data($0.utf8)) })
  }

  /// Every file under a folder (relative paths; symbolic links and other non-folders count as
  /// files), except the manifest and the temporary files of writers at work.
  private static func files(in folder: String) -> [String] {
    var result: [String] = []
    var pending = [""]
    while let relative = pending.popLast() {
      let absolute = relative.isEmpty ? folder : folder + "/" + relative
      for name in (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? [] {
        let child = relative.isEmpty ? name : relative + "/" + name
        if FileStatus(path: folder + "/" + child)?.kind == .directory {
          pending.append(child)
        } else if child != manifestName && !name.hasPrefix(".tmp-") {
          result.append(child)
        }
      }
    }
    return result.sorted()
  }
}
