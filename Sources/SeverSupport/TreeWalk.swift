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

  /// What a walk saw: the entries it kept, the folders it did not enter, and the roots it
  /// entered as the folders they are (not through a link). A later walk of one of those roots
  /// with its own rules can be answered from it (`entries(under:enter:keep:)`) instead of reading
  /// the folders again: a whole-tree re-run walks the tree once for its memo and once to find
  /// its units.
  public struct Walked: Sendable {
    /// Every entry the walk's `keep` accepted.
    public var entries: [Entry]
    /// The folders the walk's `enter` refused.
    public var declined: Set<String>
    /// The roots that are folders (not links to one), all entered.
    public var enteredRoots: Set<String>

    /// The entries a walk of `root` alone with `enter` and `keep` (links not followed) would
    /// give, or nil when this walk cannot say: `root` was not one of its entered roots, or it
    /// did not enter a folder under `root` that `enter` accepts. This walk's `keep` must have
    /// kept every entry `keep` accepts.
    public func entries(
      under root: String, enter: (String) -> Bool, keep: (String, FileStatus) -> Bool
    ) -> [Entry]? {
      guard enteredRoots.contains(root) else { return nil }
      guard enter(root) else { return [] }
      let prefix = root + "/"
      var entered: [String: Bool] = [root: true]
      // Whether a walk from `root` enters `folder`: it and every folder above it up to `root`.
      func enters(_ folder: String) -> Bool {
        if let known = entered[folder] { return known }
        let parent = TreeWalk.parent(of: folder)
        let result = parent.count >= root.count && enters(parent) && enter(folder)
        entered[folder] = result
        return result
      }
      for folder in declined where folder.hasPrefix(prefix) && enters(folder) { return nil }
      return entries.filter { entry in
        entry.path.hasPrefix(prefix) && keep(entry.path, entry.status)
          && enters(TreeWalk.parent(of: entry.path))
      }
    }
  }

  /// The folder part of a path: everything before the last `/` (`""` for a bare name), what
  /// `NSString.deletingLastPathComponent` gives for paths with no trailing `/`, without bridging.
  public static func parent(of path: String) -> String {
    guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
    return String(path[..<slash])
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
    walk(under: roots, followingRootLinks: followingRootLinks, enter: enter, keep: keep).entries
  }

  /// What `entries(under:followingRootLinks:enter:keep:)` returns, with the folders the walk
  /// did not enter and the roots it entered as folders.
  public static func walk(
    under roots: [String], followingRootLinks: Bool = false,
    enter: @escaping @Sendable (String) -> Bool,
    keep: @escaping @Sendable (String, FileStatus) -> Bool = { _, _ in true }
  ) -> Walked {
    struct Shared {
      var pending: [String]
      var seen: Set<String> = []
      var busy = 0
    }
    let rootSet = Set(roots)
    let shared = Mutex(Shared(pending: roots.reversed()))
    let parts = Mutex<[[Entry]]>([])
    let declined = Mutex<Set<String>>([])
    let enteredRoots = Mutex<Set<String>>([])
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
          let realFolder = status.kind == .directory
          if followingRootLinks, status.kind == .symbolicLink, rootSet.contains(current),
            Self.isFolder(current)
          {
            status.kind = .directory
          }
          if status.kind != .directory {
            if keep(current, status) { kept.append(Entry(path: current, status: status)) }
          } else if !enter(current) {
            declined.withLock { _ = $0.insert(current) }
          } else {
            if realFolder, rootSet.contains(current) {
              enteredRoots.withLock { _ = $0.insert(current) }
            }
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
    return Walked(
      entries: parts.withLock { $0.joined().map { $0 } }, declined: declined.withLock { $0 },
      enteredRoots: enteredRoots.withLock { $0 })
  }

  /// Whether `path` is a folder once links are followed.
  private static func isFolder(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      && isDirectory.boolValue
  }
}
