import Foundation
import Rules
import Scan
import SeverCore

/// What a change can affect, judged by tier 1 before anything is parsed: `sever review` and
/// the hook parse the changed units and, of the files around them, only those some rule's
/// reach crosses the changed functions with (`TierOneSelection.affected`). The files around a
/// change are scanned once from disk; each image rescans only the files it holds in memory.
public enum ChangeReach {
  /// The files of the images (each the relative paths it holds, and the contents it keeps in
  /// memory over the files on disk) whose findings can differ between the images when the
  /// files `changed` are what differs: the changed files, and every file a reach through them
  /// reads, in any image. With `cacheBase`, the headers' macros are read as tier 1 reads them
  /// with its cache (only the headers that changed). `common` holds contents every image
  /// shares over the files on disk (a git base's files no patch touches): scanned once.
  public static func affected(
    images: [(paths: [String], unsaved: [String: String])], changed: Set<String>, root: String,
    arch: String, cacheBase: String? = nil, common: [String: String] = [:]
  ) -> Set<String> {
    let all = Set(images.flatMap(\.paths)).sorted()
    let archs = Array(
      Set((arch == "auto" ? ArchitectureTable.automatic : [arch]).map(ArchitectureTable.sourceArch))
    ).sorted()
    let macros =
      cacheBase.map {
        TierOneScanCache(cacheBase: $0, root: root, arch: arch)
          .headerMacros(root: root, archs: archs, paths: all).0
      } ?? TierOneStage.headerMacros(root: root, archs: archs, paths: all)
    var onDisk: [String: ScannedFile] = [:]
    for path in all where images.contains(where: { $0.unsaved[path] == nil }) {
      let bytes =
        common[path].map { Array($0.utf8) } ?? TierOneStage.readBounded(root + "/" + path) ?? []
      onDisk[path] = FileScanner.scan(path: path, bytes: bytes, macros: macros)
    }
    var result = Set(all.filter(changed.contains))
    for image in images {
      let scanned = image.paths.compactMap { path in
        image.unsaved[path].map {
          FileScanner.scan(path: path, bytes: Array($0.utf8), macros: macros)
        } ?? onDisk[path]
      }
      result.formUnion(TierOneSelection.affected(scanned, changed: changed))
    }
    return result
  }
}
