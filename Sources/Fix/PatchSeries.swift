import Foundation
import Rules
import SeverCore
import SeverSupport

/// Turns a plan into what `sever fix` emits: mails with their history (prefix, `Fixes:`), or
/// the files written in place.
public enum PatchSeries {
  /// The identity used when neither `--from` nor git gives one.
  public static let placeholderIdentity = "Your Name <you@example.org>"

  /// One mail per patch. `history` is the tree's git history when it has one.
  public static func mails(
    _ plan: FixPlan, tree: SourceTree, history: GitHistory?, from: String?, date: Date
  ) -> [FixMail] {
    let identity = from ?? history?.authorIdentity() ?? placeholderIdentity
    return plan.patches.map { patch in
      let path = patch.paths.first ?? ""
      let absolute = tree.root + "/" + path
      let fromHistory = history.flatMap {
        FixMail.prefix(fromSubjects: $0.subjects(of: absolute))
      }
      var commits: [GitHistory.Commit] = []
      if let history {
        for fix in patch.fixes {
          // The bug needs every line named: the newest of their commits introduced it.
          let introducing = fix.proposal.introducedAt.compactMap {
            history.commit(introducing: $0.line, of: tree.root + "/" + $0.path)
          }.max { $0.time < $1.time }
          if let introducing, !commits.contains(introducing) { commits.append(introducing) }
        }
      }
      return FixMail(
        patch: patch, from: identity, date: date,
        prefix: fromHistory?.prefix ?? FixMail.prefix(fromPath: path),
        capitalized: fromHistory?.capitalized ?? false,
        fixes: commits.sorted { $0.time < $1.time })
    }
  }

  /// A file `--in-place` could not write, and why.
  public struct WriteFailure: Error, Sendable, CustomStringConvertible {
    /// The file, relative to the tree root.
    public var path: String
    /// Why, in a sentence.
    public var reason: String

    public var description: String { "\(path): \(reason)" }
  }

  /// Writes the patched files, each only if it still holds what the fixes read (a file edited
  /// meanwhile is refused, not overwritten), to a temporary name then renamed, keeping its mode.
  public static func writeInPlace(_ patch: FilePatch, tree: SourceTree) -> [WriteFailure] {
    var failures: [WriteFailure] = []
    let originals = patch.originalBytes
    for (path, bytes) in patch.editedBytes.sorted(by: { $0.key < $1.key }) {
      guard let absolute = tree.absolutePath(path) else {
        failures.append(WriteFailure(path: path, reason: "it lies outside the tree"))
        continue
      }
      let now = try? [UInt8](BoundedFile.read(absolute, limit: SourceTree.maximumSize))
      guard now == originals[path] else {
        failures.append(
          WriteFailure(
            path: path,
            reason: "it changed since the check; nothing was written to it, run sever fix again"))
        continue
      }
      let mode = (try? FileManager.default.attributesOfItem(atPath: absolute))?[.posixPermissions]
      guard AtomicFile.write(Data(bytes), to: absolute) else {
        failures.append(WriteFailure(path: path, reason: "it cannot be written"))
        continue
      }
      if let mode {
        try? FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: absolute)
      }
    }
    return failures
  }
}
