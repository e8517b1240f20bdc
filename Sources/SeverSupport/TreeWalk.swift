import Dispatch
import Foundation
import Synchronization

/// A walk of folders on every core: the entries of a whole kernel tree (90,000 files, 6,000
/// folders) are a third of a re-run that finds one file changed, and `lstat` and `getdents`
/// of different folders do not wait for each other. Each thread takes the next folder from
/// one shared list and puts the folders it finds back on it; links are not followed (a link
/// loop cannot trap the walk), and a folder reached twice (roots that overlap) is walked once.
public enum TreeWalk {
  /// Something under the roots that is not a folder, with its own status (`lstat`).
  public struct Entry: Sendable {
    /// The path: a root, or a root and the names down to the entry, joined with `/`.
    public var path: String
    /// The status of the entry itself.
    public var status: FileStatus
  }

  /// Every entry under `roots` (and every root that is not a folder) that `keep` accepts, in
  /// no particular order; a folder is entered when `enter` accepts its path (roots included).
  /// With `followingRootLinks`, a root that is a symbolic link to a folder is walked as that
  /// folder (under the root's own path); links below the roots are never followed.
  public static func entries(
    under roots: [String], followingRootLinks: Bool = false,
    enter: @escaping @Sendable (String) -> Bool,
    keep: @escaping @Sendable (String, FileStatus) -> Bool = { _, _ in true }
  ) -> [Entry] {
    struct Shared {
      var pending: [String]
      var seen: Set<String> = []
      var busy = 0
    }
    let rootSet = Set(roots)
    let shared = Mutex(Shared(pending: roots.reversed()))
    let parts = Mutex<[[Entry]]>([])
    DispatchQueue.concurrentPerform(iterations: ProcessInfo.processInfo.activeProcessorCount) {
      _ in
      var kept: [Entry] = []
      var found: [String] = []
      while true {
        let next: String?? = shared.withLock { state in
          state.pending += found
          while let current = state.pending.popLast() {
            if state.seen.insert(current).inserted {
              state.busy += 1
              return .some(current)
            }
          }
          // Nothing to take: the walk is over when no thread can add more.
          return state.busy == 0 ? .none : .some(nil)
        }
        found = []
        guard let taken = next else { break }
        guard let current = taken else {
          sched_yield()
          continue
        }
        if var status = FileStatus(path: current) {
          if followingRootLinks, status.kind == .symbolicLink, rootSet.contains(current),
            Self.isFolder(current)
          {
            status.kind = .directory
          }
          if status.kind != .directory {
            if keep(current, status) { kept.append(Entry(path: current, status: status)) }
          } else if enter(current) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: current)) ?? []
            for name in names {
              let path = current + "/" + name
              // Files are dealt with at once; only folders go to the shared list.
              if let entry = FileStatus(path: path), entry.kind != .directory {
                if keep(path, entry) { kept.append(Entry(path: path, status: entry)) }
              } else {
                found.append(path)
              }
            }
          }
        }
        shared.withLock { $0.busy -= 1 }
      }
      parts.withLock { $0.append(kept) }
    }
    return parts.withLock { $0.joined().map { $0 } }
  }

  /// Whether `path` is a folder once links are followed.
  private static func isFolder(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      && isDirectory.boolValue
  }
}
