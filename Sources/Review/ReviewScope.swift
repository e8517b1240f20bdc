import Foundation
import SeverKit

/// Which files a review parses. Rules are cross-file (a cftype in one file calls into a handler
/// in another; a framework file dispatches a table defined elsewhere), so parsing only the
/// changed file would miss what the change reaches, and parsing the whole tree per patch is too
/// slow. The first cut: the changed `.c` files plus the other `.c` files of the directories a
/// patch touches (source or header) that spell a table word (`InputSet.prefilterWords`), since
/// tables, handlers and their framework usually sit together. Both images parse the same set.
public enum ReviewScope {
  /// How far a review reaches.
  public enum Reach: String, Sendable, CaseIterable {
    /// Only the `.c` files the patch changes.
    case changed
    /// The changed `.c` files and the other `.c` files of their directories (default).
    case directory
  }

  /// Files that can change what sever sees: C sources and headers.
  public static func isSource(_ path: String) -> Bool {
    path.hasSuffix(".c") || path.hasSuffix(".h")
  }

  /// Files whose change the pre-commit hook reacts to (C, headers, Kconfig, Makefile, Kbuild).
  public static func isRelevant(_ path: String) -> Bool {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return isSource(path) || name.hasPrefix("Kconfig") || name.hasPrefix("Makefile")
      || name.hasPrefix("Kbuild")
  }

  /// The `.c` files to parse, relative to `root`, sorted: every changed `.c` file, and with
  /// `.directory` the `.c` files on disk beside any changed file that spell a table word.
  static func files(changed: Set<String>, root: String, reach: Reach) -> [String] {
    var result = Set(changed.filter { $0.hasSuffix(".c") })
    guard reach == .directory else { return result.sorted() }
    let directories = Set(
      changed.filter(isSource).map { ($0 as NSString).deletingLastPathComponent })
    let needles = InputSet.prefilterWords.map { Data($0.utf8) }
    let fm = FileManager.default
    for directory in directories {
      let absolute = directory.isEmpty ? root : root + "/" + directory
      guard let names = try? fm.contentsOfDirectory(atPath: absolute) else { continue }
      for name in names where name.hasSuffix(".c") && !name.hasPrefix(".") {
        let path = directory.isEmpty ? name : directory + "/" + name
        guard !result.contains(path),
          let attributes = try? fm.attributesOfItem(atPath: absolute + "/" + name),
          attributes[.type] as? FileAttributeType == .typeRegular,
          let size = (attributes[.size] as? NSNumber)?.intValue,
          size <= InputSet.maximumFileSize,
          let data = fm.contents(atPath: absolute + "/" + name),
          needles.contains(where: { data.range(of: $0) != nil })
        else { continue }
        result.insert(path)
      }
    }
    return result.sorted()
  }
}
