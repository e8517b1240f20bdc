import Foundation
import Synchronization

/// Read-only access to a kernel tree by tree-relative paths ("" is the root).
struct TreeFiles: Sendable {
  /// The absolute (or as given) root directory, without a trailing slash.
  let root: String
  /// Files that exist but were not read (not regular, unreadable or too large), shared by the
  /// copies of this value, so that answers depending on them can say so.
  private let skipped = SkippedFiles()
  /// Every file read so far, shared by the copies of this value: a cache of the oracle's
  /// answers is valid while none of them changed.
  private let reads = SkippedFiles()
  /// Files held in memory instead of on disk (tree-relative path → text), for the readers'
  /// fuzz targets; nil for a tree on disk.
  private var memory: [String: String]?
  /// Files whose contents replace the ones on disk (tree-relative path → text): a patch under
  /// review, held in memory.
  private var overlay: [String: String] = [:]

  /// Creates access to the tree at `root`, with `overlay` read instead of the disk's copies.
  init(root: String, overlay: [String: String] = [:]) {
    var root = root
    while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
    self.root = root
    self.overlay = overlay
  }

  /// A tree of only `files` (tree-relative path → text), never touching the disk.
  init(memory files: [String: String]) {
    root = "/nonexistent-in-memory-tree"
    memory = files
  }

  /// The on-disk path of a tree-relative path.
  func absolute(_ path: String) -> String { path.isEmpty ? root : root + "/" + path }

  /// The largest Kconfig, kbuild or C file read (16 MiB, as for C files sever parses); the
  /// largest in Linux 6.12 are well under 1 MiB.
  static let maximumFileSize = 16 << 20

  /// The text of a file, decoded leniently; nil when it cannot be read.
  func read(_ path: String) -> String? {
    if let memory { return memory[path] }
    if let text = overlay[path] { return text }
    guard let data = bytes(path) else { return nil }
    return String(decoding: data, as: UTF8.self)
  }

  /// The bytes of a regular file of at most `maximumFileSize` bytes; nil otherwise, so that a
  /// FIFO, a device or a huge file in a tree cannot hang the reader or exhaust memory.
  func bytes(_ path: String) -> Data? {
    if let memory { return memory[path].map { Data($0.utf8) } }
    if let text = overlay[path] { return Data(text.utf8) }
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused after fstat.
    let fd = open(absolute(path), O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else {
      // A missing file is an answer (Kbuild files are optional); anything else is not.
      if errno != ENOENT && errno != ENOTDIR { skipped.insert(path) }
      return nil
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
      Int(info.st_size) <= Self.maximumFileSize
    else {
      if info.st_mode & S_IFMT != S_IFDIR { skipped.insert(path) }
      return nil
    }
    reads.insert(path)
    let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
    guard let data = try? handle.readToEnd() else {
      skipped.insert(path)
      return nil
    }
    return data
  }

  /// The tree-relative paths that exist but could not be read so far, sorted.
  var skippedFiles: [String] { skipped.sorted }

  /// The tree-relative paths read so far, sorted.
  var readFiles: [String] { reads.sorted }

  /// Whether a regular file exists at the path.
  func isFile(_ path: String) -> Bool {
    if let memory { return memory[path] != nil }
    if overlay[path] != nil { return true }
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: absolute(path), isDirectory: &isDirectory)
      && !isDirectory.boolValue
  }

  /// Whether a directory exists at the path.
  func isDirectory(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: absolute(path), isDirectory: &isDirectory)
      && isDirectory.boolValue
  }

  /// The names in a directory, sorted, with the files the overlay adds there; empty when it
  /// cannot be listed.
  func list(_ path: String) -> [String] {
    var names = Set((try? FileManager.default.contentsOfDirectory(atPath: absolute(path))) ?? [])
    let prefix = path.isEmpty ? "" : path + "/"
    for added in overlay.keys where added.hasPrefix(prefix) {
      let name = added.dropFirst(prefix.count)
      if !name.contains("/") { names.insert(String(name)) }
    }
    return names.sorted()
  }

  /// Every file under the tree whose name ends with `suffix`, tree-relative, sorted; uses
  /// `readdir` file types so that the walk costs one system call per directory.
  func allFiles(withSuffix suffix: String) -> [String] {
    var out: [String] = []
    var pending = [""]
    while let dir = pending.popLast() {
      guard let handle = opendir(absolute(dir)) else { continue }
      defer { closedir(handle) }
      while let entry = readdir(handle) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
          String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name == "." || name == ".." { continue }
        let path = dir.isEmpty ? name : dir + "/" + name
        let type = entry.pointee.d_type
        if type == UInt8(DT_DIR) {
          pending.append(path)
        } else if type == UInt8(DT_UNKNOWN) && isDirectory(path) {
          pending.append(path)
        } else if name.hasSuffix(suffix) {
          out.append(path)
        }
      }
    }
    return out.sorted()
  }

  /// The kbuild file of a directory: `Kbuild` wins over `Makefile`, as in Kbuild.include.
  func kbuildFile(of directory: String) -> String? {
    for name in ["Kbuild", "Makefile"] {
      let path = directory.isEmpty ? name : directory + "/" + name
      if isFile(path) { return path }
    }
    return nil
  }

  /// Maps a path written in a makefile (absolute under the root, or relative to the tree root,
  /// which is make's working directory in Kbuild) to a tree-relative path.
  func relativePath(_ word: String, from directory: String) -> String? {
    if word.hasPrefix("/") {
      guard word.hasPrefix(root + "/") else { return nil }
      return MakeText.normalize(String(word.dropFirst(root.count + 1)))
    }
    return MakeText.normalize(word)
  }

  /// `$(wildcard …)` for a pattern with `*` in its last component.
  func glob(_ pattern: String, from directory: String) -> [String] {
    guard let relative = relativePath(pattern, from: directory) else { return [] }
    guard relative.contains("*") else { return isFile(relative) ? [pattern] : [] }
    let slash = relative.lastIndex(of: "/")
    let dir = slash.map { String(relative[..<$0]) } ?? ""
    let namePattern = slash.map { String(relative[relative.index(after: $0)...]) } ?? relative
    let prefix = pattern.lastIndex(of: "/").map { String(pattern[...$0]) } ?? ""
    let parts = namePattern.split(separator: "*", omittingEmptySubsequences: false).map(
      String.init)
    return list(dir).filter { name in
      guard let first = parts.first, let last = parts.last, name.hasPrefix(first),
        name.hasSuffix(last), name.count >= first.count + last.count
      else { return false }
      return true
    }.map { prefix + $0 }
  }
}

/// The set behind `TreeFiles.skippedFiles`, filled from the parallel readers.
private final class SkippedFiles: Sendable {
  private let paths = Mutex<Set<String>>([])

  func insert(_ path: String) { paths.withLock { _ = $0.insert(path) } }

  var sorted: [String] { paths.withLock { $0.sorted() } }
}
