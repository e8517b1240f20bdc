import Foundation
import Scan
import SeverSupport

/// Finds `.c` files that are compiled only by being included into another one
/// (`kernel/sched/build_utility.c` does `#include "psi.c"`), by reading `#include "….c"` lines.
enum IncludedSources {
  static let includesSource = ByteSearch([".c\""])

  /// For each `.c` file of `directory`: the absolute paths of the `.c` files it includes.
  static func scan(directory: String, without: Set<String> = [])
    -> [(wrapper: String, included: [String])]
  {
    let fm = FileManager.default
    guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return [] }
    var result: [(String, [String])] = []
    for name in names.sorted() where name.hasSuffix(".c") {
      let path = directory + "/" + name
      // Known (from the prefilter's cache, by unchanged status) to spell no `.c"`.
      if without.contains(path) { continue }
      guard let data = fm.contents(atPath: path), data.count <= InputSet.maximumFileSize else {
        continue
      }
      // A byte search first: String.contains is Unicode-aware and slow on whole files.
      guard data.withUnsafeBytes({ includesSource.matches($0) }) else { continue }
      let text = String(decoding: data, as: UTF8.self)
      var included: [String] = []
      for line in text.split(separator: "\n") where line.hasPrefix("#") {
        let trimmed = line.drop { $0 == "#" || $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix("include"), let open = trimmed.firstIndex(of: "\"") else {
          continue
        }
        let rest = trimmed[trimmed.index(after: open)...]
        guard let close = rest.firstIndex(of: "\"") else { continue }
        let target = String(rest[..<close])
        guard target.hasSuffix(".c") else { continue }
        let resolved = URL(fileURLWithPath: directory + "/" + target).standardizedFileURL.path
        if fm.fileExists(atPath: resolved) { included.append(resolved) }
      }
      if !included.isEmpty { result.append((path, included)) }
    }
    return result
  }
}
