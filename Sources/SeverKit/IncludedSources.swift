import Foundation
import Scan
import SeverSupport

/// Finds `.c` files that are compiled only by being included into another one
/// (`kernel/sched/build_utility.c` does `#include "psi.c"`), by reading `#include "….c"` lines.
enum IncludedSources {
  static let includesSource = ByteSearch([".c\""])

  /// The `.c` files a file's `#include "…"` lines name, as spelled (relative to its directory).
  static func targets(in data: Data) -> [String] {
    // A byte search first: String.contains is Unicode-aware and slow on whole files.
    guard data.withUnsafeBytes({ includesSource.matches($0) }) else { return [] }
    let text = String(decoding: data, as: UTF8.self)
    var targets: [String] = []
    for line in text.split(separator: "\n") where line.hasPrefix("#") {
      let trimmed = line.drop { $0 == "#" || $0 == " " || $0 == "\t" }
      guard trimmed.hasPrefix("include"), let open = trimmed.firstIndex(of: "\"") else {
        continue
      }
      let rest = trimmed[trimmed.index(after: open)...]
      guard let close = rest.firstIndex(of: "\"") else { continue }
      let target = String(rest[..<close])
      if target.hasSuffix(".c") { targets.append(target) }
    }
    return targets
  }

  /// For each `.c` file of `directory`: the absolute paths of the `.c` files it includes.
  /// `known` holds the targets of files (absolute paths) whose contents discovery read in this
  /// run or knows from the prefilter's cache: those are not read again.
  static func scan(directory: String, known: [String: [String]] = [:])
    -> [(wrapper: String, included: [String])]
  {
    let fm = FileManager.default
    guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return [] }
    var result: [(String, [String])] = []
    for name in names.sorted() where name.hasSuffix(".c") {
      let path = directory + "/" + name
      let targets: [String]
      if let given = known[path] {
        targets = given
      } else {
        guard let data = fm.contents(atPath: path), data.count <= InputSet.maximumFileSize else {
          continue
        }
        targets = Self.targets(in: data)
      }
      let included = targets.map { target in
        URL(fileURLWithPath: directory + "/" + target).standardizedFileURL.path
      }.filter { fm.fileExists(atPath: $0) }
      if !included.isEmpty { result.append((path, included)) }
    }
    return result
  }
}
