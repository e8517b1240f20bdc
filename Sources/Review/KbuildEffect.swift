import Foundation
import SeverCore
import SeverKit

/// What a patch's Kconfig and Makefile changes do to C files it does not touch. Turning
/// `config DEMO_DBG` from `bool` into `tristate` makes every file built under it
/// module-capable, which brings `fops-missing-owner` findings with it; a Makefile line moving
/// an object from `obj-y` to `obj-m` does the same. The review re-checks those files before and
/// after the patch and reports what the change introduces against the Kconfig or Makefile line
/// that caused it.
///
/// Which files: the objects and directories a changed Makefile line names (always re-checked:
/// their placement or flags changed), and, for a changed Kconfig definition, the objects and
/// directories of every Makefile line that spells `CONFIG_<symbol>`, kept when their module
/// capability differs before and after. Symbols that only depend on a changed one are not
/// followed.
struct KbuildEffect: Sendable {
  /// Why a file is re-checked, and where the review reports what it introduces.
  struct Cause: Sendable, Hashable {
    /// The Kconfig or Makefile line of the patch's post-image that brings the change.
    var location: SourceLocation
    /// Module capability before and after, when it changed.
    var before: ModuleCapability.Verdict?
    var after: ModuleCapability.Verdict?

    /// The note the review adds at the finding's own place.
    func note(for path: String) -> String {
      if let before, let after, before != after {
        return "the finding is here: this change makes \(path) \(Self.words(after)) "
          + "(it was \(Self.words(before)))"
      }
      return "the finding is here: this change alters how \(path) is built"
    }

    static func words(_ verdict: ModuleCapability.Verdict) -> String {
      switch verdict {
      case .builtInOnly: "built-in only"
      case .moduleCapable: "module-capable"
      case .notBuilt: "not built"
      case .unknown: "of unknown module capability"
      }
    }
  }

  /// The files to re-check (tree-relative `.c` paths), with their cause.
  var causes: [String: Cause] = [:]

  /// The effect of `patch`, which turns `before` into `after`.
  static func of(
    _ patch: PatchMail, before: TreeState, after: TreeState, options: CheckOptions
  ) async -> KbuildEffect {
    let kbuildFiles = patch.files.filter { file in
      [file.oldPath, file.newPath].compactMap { $0 }.contains(where: ReviewScope.isKbuild)
    }
    guard !kbuildFiles.isEmpty else { return KbuildEffect() }
    let root = before.base.root
    var before = before
    var after = after
    // Files a changed Makefile line names directly, and files under a changed symbol.
    var named: [String: SourceLocation] = [:]
    var symbolic: [String: SourceLocation] = [:]
    for file in kbuildFiles {
      let path = file.path
      let directory = (path as NSString).deletingLastPathComponent
      let name = (path as NSString).lastPathComponent
      let afterText = (try? after.contents(of: path)) ?? nil
      let beforeText = file.oldPath.flatMap { (try? before.contents(of: $0)) ?? nil }
      for (line, text) in changedLines(file) {
        let location = SourceLocation(path: path, line: max(line, 1), column: 1)
        if name.hasPrefix("Kconfig") {
          for symbol in enclosingSymbols(file, line: line, after: afterText, before: beforeText) {
            for (makefile, usage) in makefileLines(spelling: symbol, root: root, image: &after) {
              let base = (makefile as NSString).deletingLastPathComponent
              for candidate in objects(in: usage, directory: base, root: root, image: &after) {
                symbolic[candidate] = symbolic[candidate] ?? location
              }
            }
          }
        } else {
          for candidate in objects(in: text, directory: directory, root: root, image: &after) {
            named[candidate] = named[candidate] ?? location
          }
          for candidate in composites(named: text, makefile: afterText ?? "", directory: directory)
          {
            named[candidate] = named[candidate] ?? location
          }
        }
      }
    }
    let candidates = Set(named.keys).union(symbolic.keys).filter { path in
      spellsTableWord((try? after.contents(of: path)) ?? nil)
        || spellsTableWord((try? before.contents(of: path)) ?? nil)
    }.sorted()
    guard !candidates.isEmpty else { return KbuildEffect() }
    let verdictsBefore = await verdicts(of: candidates, image: before, options: options)
    let verdictsAfter = await verdicts(of: candidates, image: after, options: options)
    var effect = KbuildEffect()
    for path in candidates {
      let old = verdictsBefore[path]?.verdict
      let new = verdictsAfter[path]?.verdict
      guard old != new || named[path] != nil else { continue }
      // The answer's own evidence names the Kconfig or Makefile line; the patch's nearest added
      // line in that file is what the author wrote.
      let evidence = verdictsAfter[path]?.evidence.first { entry in
        kbuildFiles.contains { $0.newPath == entry.location.path }
      }
      let fallback = named[path] ?? symbolic[path] ?? SourceLocation(path: "", line: 1, column: 1)
      let location =
        evidence.map { entry in
          kbuildFiles.first { $0.newPath == entry.location.path }
            .flatMap { nearestAddedLine($0, atOrAfter: entry.location.line) }
            .map { SourceLocation(path: entry.location.path, line: $0, column: 1) }
            ?? entry.location
        } ?? fallback
      effect.causes[path] = Cause(location: location, before: old, after: new)
    }
    return effect
  }

  /// The post-image line numbers and texts of the lines a file change adds, and, for removed
  /// lines, the post-image line they were removed at.
  static func changedLines(_ file: FilePatch) -> [(line: Int, text: String)] {
    var result: [(Int, String)] = []
    for hunk in file.hunks {
      var number = hunk.newStart
      for line in hunk.lines {
        switch line.kind {
        case .context: number += 1
        case .added:
          result.append((number, line.text))
          number += 1
        case .removed: result.append((number, line.text))
        }
      }
    }
    return result
  }

  /// The nearest line at or after `line` that `file` adds, within the hunk holding it.
  static func nearestAddedLine(_ file: FilePatch, atOrAfter line: Int) -> Int? {
    let added = changedLines(file).map(\.line).filter { $0 >= line }
    return added.min()
  }

  /// The Kconfig symbols whose definitions hold the changed line: the nearest `config` or
  /// `menuconfig` line above it, in the post-image (and the pre-image, for a removed
  /// definition).
  static func enclosingSymbols(
    _ file: FilePatch, line: Int, after: String?, before: String?
  ) -> Set<String> {
    var symbols: Set<String> = []
    for text in [after, before].compactMap({ $0 }) {
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      var index = min(line, lines.count) - 1
      while index >= 0 {
        let words = lines[index].split(whereSeparator: { $0 == " " || $0 == "\t" })
        if words.count >= 2, words[0] == "config" || words[0] == "menuconfig" {
          symbols.insert(String(words[1]))
          break
        }
        index -= 1
      }
    }
    return symbols
  }

  /// Every Makefile or Kbuild line of the tree that spells `CONFIG_<symbol>`, with its file.
  /// Files of the image (the patch's own Makefile changes) are read from memory.
  static func makefileLines(spelling symbol: String, root: String, image: inout TreeState)
    -> [(path: String, line: String)]
  {
    let needle = "CONFIG_" + symbol
    var result: [(String, String)] = []
    for path in kbuildFiles(root: root)
    where !(path as NSString).lastPathComponent
      .hasPrefix("Kconfig")
    {
      guard let text = (try? image.contents(of: path)) ?? nil, text.contains(needle) else {
        continue
      }
      for line in text.split(separator: "\n") where spells(line, needle) {
        result.append((path, String(line)))
      }
    }
    return result
  }

  /// Whether `line` holds `needle` as a whole word (`CONFIG_DEMO` is not in `CONFIG_DEMO_DBG`).
  private static func spells(_ line: Substring, _ needle: String) -> Bool {
    var rest = line[...]
    while let range = rest.range(of: needle) {
      let next = range.upperBound < rest.endIndex ? rest[range.upperBound] : " "
      if !(next.isLetter || next.isNumber || next == "_") { return true }
      rest = rest[range.upperBound...]
    }
    return false
  }

  /// The Makefile and Kbuild files of the tree, relative to the root (hidden directories,
  /// `Documentation` and `tools` skipped).
  static func kbuildFiles(root: String) -> [String] {
    let base = URL(fileURLWithPath: root)
    guard
      let walker = FileManager.default.enumerator(
        at: base, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
    else { return [] }
    var result: [String] = []
    let prefix = base.standardizedFileURL.path + "/"
    for case let url as URL in walker {
      let name = url.lastPathComponent
      if name == "Documentation" || name == "tools" {
        walker.skipDescendants()
        continue
      }
      guard name.hasPrefix("Makefile") || name.hasPrefix("Kbuild") else { continue }
      let path = url.standardizedFileURL.path
      if path.hasPrefix(prefix) { result.append(String(path.dropFirst(prefix.count))) }
    }
    return result.sorted()
  }

  /// The `.c` files a Makefile line names: `foo.o` is `foo.c` beside the Makefile, `dir/` is
  /// every `.c` file below `dir`, `CFLAGS_foo.o` is `foo.c`, and `ccflags-y` every `.c` file
  /// of the directory.
  static func objects(in line: String, directory: String, root: String, image: inout TreeState)
    -> [String]
  {
    let code =
      line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first
      .map(String.init) ?? ""
    func join(_ name: String) -> String { directory.isEmpty ? name : directory + "/" + name }
    var result: [String] = []
    let separators: Set<Character> = [" ", "\t", "=", "+", ":", "(", ")", "$", ","]
    for word in code.split(whereSeparator: { separators.contains($0) }) {
      var token = String(word)
      for prefix in ["CFLAGS_REMOVE_", "CFLAGS_"] where token.hasPrefix(prefix) {
        token = String(token.dropFirst(prefix.count))
      }
      if token.hasSuffix(".o"), !token.hasPrefix("/"), !token.contains("..") {
        result.append(join(String(token.dropLast(2)) + ".c"))
      } else if token.hasSuffix("/"), !token.hasPrefix("/"), !token.contains("..") {
        result += cFiles(below: join(String(token.dropLast())), root: root, recursive: true)
      }
    }
    if code.contains("ccflags") || code.contains("subdir-ccflags") {
      result += cFiles(
        below: directory, root: root, recursive: code.contains("subdir-ccflags"))
    }
    return result.filter { path in
      ((try? image.contents(of: path)) ?? nil) != nil
    }
  }

  /// The member objects of composite objects a changed line names: `obj-m += demo.o` with
  /// `demo-y := a.o b.o` elsewhere in the Makefile names `a.c` and `b.c`.
  static func composites(named line: String, makefile: String, directory: String) -> [String] {
    let stems = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "=" })
      .filter { $0.hasSuffix(".o") }.map { String($0.dropLast(2)) }
    guard !stems.isEmpty else { return [] }
    var result: [String] = []
    for member in makefile.split(separator: "\n") {
      let trimmed = member.drop { $0 == " " || $0 == "\t" }
      guard
        stems.contains(where: {
          trimmed.hasPrefix($0 + "-y") || trimmed.hasPrefix($0 + "-objs")
            || trimmed.hasPrefix($0 + "-$(") || trimmed.hasPrefix($0 + "-m")
        }),
        let assignment = trimmed.firstIndex(of: "=")
      else { continue }
      for word in trimmed[trimmed.index(after: assignment)...].split(separator: " ")
      where word.hasSuffix(".o") {
        let name = String(word.dropLast(2)) + ".c"
        result.append(directory.isEmpty ? name : directory + "/" + name)
      }
    }
    return result
  }

  /// The `.c` files below a tree-relative directory.
  static func cFiles(below directory: String, root: String, recursive: Bool) -> [String] {
    let absolute = directory.isEmpty ? root : root + "/" + directory
    let fm = FileManager.default
    let names =
      recursive
      ? (fm.enumerator(atPath: absolute)?.allObjects as? [String] ?? [])
      : ((try? fm.contentsOfDirectory(atPath: absolute)) ?? [])
    return names.filter { $0.hasSuffix(".c") && !$0.hasPrefix(".") && !$0.contains("/.") }
      .map { directory.isEmpty ? $0 : directory + "/" + $0 }.sorted()
  }

  /// Whether a file's text spells a word of a table the rules read (the prefilter's test).
  static func spellsTableWord(_ text: String?) -> Bool {
    guard let text else { return false }
    return InputSet.prefilterWords.contains { text.contains($0) }
  }

  /// Module capability of `paths` as `image` has the tree (its Kconfig and Makefiles from
  /// memory), over every architecture of `--arch auto`; empty when the tree's Kbuild files
  /// cannot be read.
  static func verdicts(of paths: [String], image: TreeState, options: CheckOptions) async
    -> [String: ModuleCapability]
  {
    await KbuildStage.capabilities(
      of: paths, root: image.base.root, arch: options.arch, overlay: image.existingContents())
  }
}
