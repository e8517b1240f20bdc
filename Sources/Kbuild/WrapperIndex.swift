import SeverCore

/// `.c` files compiled through `#include "x.c"` in another compiled `.c` file
/// (kernel/sched/build_utility.c includes psi.c and cpuacct.c). Scans a directory the first
/// time a file of it is asked about, and reads only files that kbuild compiles.
struct WrapperIndex {
  /// One `#include "….c"` line.
  struct Inclusion: Hashable {
    var wrapper: String
    var location: SourceLocation
    var text: String
  }

  let files: TreeFiles
  let placed: [String: [Placement]]
  private var byDirectory: [String: [String: [Inclusion]]] = [:]

  init(files: TreeFiles, placed: [String: [Placement]]) {
    self.files = files
    self.placed = placed
  }

  /// The compiled files that include `path`, sorted by wrapper path.
  mutating func wrappers(of path: String) -> [Inclusion] {
    let dir = Self.parent(path)
    var found: [Inclusion] = []
    for candidate in Set([dir, Self.parent(dir)]) {
      found += scan(candidate)[path] ?? []
    }
    return found.sorted { $0.wrapper < $1.wrapper }
  }

  /// Included file → the compiled files that include it, for every compiled file of the tree.
  mutating func fullMapping() -> [String: [String]] {
    var out: [String: Set<String>] = [:]
    for source in placed.keys {
      for (included, inclusions) in Self.inclusions(in: source, files: files) {
        for inclusion in inclusions { out[included, default: []].insert(inclusion.wrapper) }
      }
    }
    return out.mapValues { $0.sorted() }
  }

  private mutating func scan(_ dir: String) -> [String: [Inclusion]] {
    if let cached = byDirectory[dir] { return cached }
    var map: [String: [Inclusion]] = [:]
    let prefix = dir.isEmpty ? "" : dir + "/"
    for name in files.list(dir) where name.hasSuffix(".c") {
      let source = prefix + name
      guard placed[source] != nil else { continue }
      for (included, inclusions) in Self.inclusions(in: source, files: files) {
        map[included, default: []] += inclusions
      }
    }
    byDirectory[dir] = map
    return map
  }

  private static func inclusions(in source: String, files: TreeFiles) -> [String: [Inclusion]] {
    guard let data = files.bytes(source) else { return [:] }
    // Most files include no .c file: test the bytes before decoding the text.
    let marker: [UInt8] = Array(".c\"".utf8)
    let hasMarker = data.withUnsafeBytes { raw -> Bool in
      guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return false }
      return IfdefModuleScanner.find(marker, in: base, count: raw.count) != nil
    }
    guard hasMarker else { return [:] }
    let text = String(decoding: data, as: UTF8.self)
    var map: [String: [Inclusion]] = [:]
    let dir = parent(source)
    var number = 0
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      number += 1
      guard MakeText.contains(line, ".c\""), MakeText.contains(line, "include") else { continue }
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      guard trimmed.hasPrefix("#") else { continue }
      let directive = trimmed.dropFirst().drop { $0 == " " || $0 == "\t" }
      guard directive.hasPrefix("include"), let open = directive.firstIndex(of: "\"") else {
        continue
      }
      let rest = directive[directive.index(after: open)...]
      guard let close = rest.firstIndex(of: "\""), rest[..<close].hasSuffix(".c") else {
        continue
      }
      let included = MakeText.join(dir, String(rest[..<close]))
      let inclusion = Inclusion(
        wrapper: source, location: SourceLocation(path: source, line: number, column: 1),
        text: String(trimmed))
      map[included, default: []].append(inclusion)
    }
    return map
  }

  static func parent(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return String(path[..<slash])
  }
}
