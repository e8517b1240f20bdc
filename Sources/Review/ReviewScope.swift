import Foundation
import SeverKit
import SeverSupport

/// Which files a review parses. Rules are cross-file (a cftype in one file calls into a handler
/// in another; a framework file dispatches a table defined elsewhere), so parsing only the
/// changed file would miss what the change reaches, and parsing the whole tree per patch is too
/// slow. The first cut: the changed `.c` files plus the other `.c` files of the directories a
/// patch touches (source or header) that spell a table word (`InputSet.prefilterWords`), since
/// tables, handlers and their framework usually sit together. A changed header under `include/`
/// also brings in its framework's directory when the tree has one (`include/linux/kernfs.h` →
/// `fs/kernfs`, `proc_fs.h` → `fs/proc`, `cgroup-defs.h` → `kernel/cgroup`), so a header-only
/// patch is checked against the code that dispatches what it declares. Both images parse the
/// same set.
public enum ReviewScope {
  /// How far a review reaches.
  public enum Reach: String, Sendable, CaseIterable {
    /// Only the `.c` files the patch changes.
    case changed
    /// The changed `.c` files and those of the other `.c` files of their directories that some
    /// rule's reach crosses the changed units with, judged by tier 1 (default).
    case affected
    /// The changed `.c` files and the other `.c` files of their directories.
    case directory
  }

  /// Files that can change what sever sees: C sources and headers.
  public static func isSource(_ path: String) -> Bool {
    path.hasSuffix(".c") || path.hasSuffix(".h")
  }

  /// Kconfig, Makefile and Kbuild files: their changes decide how C files are built.
  public static func isKbuild(_ path: String) -> Bool {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return name.hasPrefix("Kconfig") || name.hasPrefix("Makefile") || name.hasPrefix("Kbuild")
  }

  /// Files whose change the pre-commit hook reacts to (C, headers, Kconfig, Makefile, Kbuild).
  public static func isRelevant(_ path: String) -> Bool {
    isSource(path) || isKbuild(path)
  }

  /// The `.c` files to parse, relative to `root`, sorted: every changed `.c` file, and with
  /// `.directory` (or `.affected`, which the reviewer narrows) the `.c` files on disk beside any
  /// changed file that spell a table word, and the files beside them that define a function
  /// those files or `changedTexts` (the changed `.c` files as each image has them) call.
  static func files(changed: Set<String>, changedTexts: [Data], root: String, reach: Reach)
    -> [String]
  {
    var result = Set(changed.filter { $0.hasSuffix(".c") })
    guard reach != .changed else { return result.sorted() }
    var directories = Set(
      changed.filter(isSource).map { ($0 as NSString).deletingLastPathComponent })
    for header in changed where header.hasPrefix("include/") && header.hasSuffix(".h") {
      directories.formUnion(frameworkDirectories(of: header, root: root))
    }
    let needles = ByteSearch(InputSet.prefilterWords)
    let fm = FileManager.default
    var candidates: [Data] = []
    var others: [(path: String, data: Data)] = []
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
          let data = fm.contents(atPath: absolute + "/" + name)
        else { continue }
        guard data.withUnsafeBytes({ needles.matches($0) }) else {
          others.append((path, data))
          continue
        }
        candidates.append(data)
        result.insert(path)
      }
    }
    // The helpers those files call that are defined beside them in files without table words,
    // as a directory run's tier 1 finds them (`demo_core_get()` pinning the object a debugfs
    // release reads). The changed files are read as the images have them: a patch may add the
    // first call of a helper, which the file on disk does not spell.
    candidates.append(contentsOf: changedTexts)
    result.formUnion(InputSet.helperFiles(candidates: candidates, others: others))
    return result.sorted()
  }

  /// Top-level areas searched for a header's framework directory.
  static let frameworkAreas = ["fs", "kernel", "mm", "net", "block", "drivers/base", "lib"]

  /// The directories named after a header's stem (`kernfs`, and `proc` for `proc_fs.h`,
  /// `cgroup` for `cgroup-defs.h`) under the areas where kernel frameworks live.
  static func frameworkDirectories(of header: String, root: String) -> [String] {
    let name = (header as NSString).lastPathComponent.dropLast(2)
    var stems = [String(name)]
    if let cut = name.firstIndex(where: { $0 == "_" || $0 == "-" }) {
      stems.append(String(name[..<cut]))
    }
    var result: [String] = []
    var isDirectory: ObjCBool = false
    for area in frameworkAreas {
      for stem in stems where !stem.isEmpty {
        let directory = area + "/" + stem
        if FileManager.default.fileExists(
          atPath: root + "/" + directory, isDirectory: &isDirectory),
          isDirectory.boolValue
        {
          result.append(directory)
        }
      }
    }
    return result
  }
}
