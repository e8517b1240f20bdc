import Foundation

/// Writes a cache file so that a concurrent run never reads half of it: to a unique temporary
/// name in the same directory, then `rename`. A failure to write only costs the next run the
/// work the file would have saved.
public enum AtomicFile {
  /// Writes `data` to `path`, creating the directory; returns whether it was written.
  @discardableResult
  public static func write(_ data: Data, to path: String) -> Bool {
    let fm = FileManager.default
    let directory = (path as NSString).deletingLastPathComponent
    try? fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let temporary = directory + "/.tmp-\(UUID().uuidString)"
    guard fm.createFile(atPath: temporary, contents: data) else { return false }
    guard rename(temporary, path) == 0 else {
      try? fm.removeItem(atPath: temporary)
      return false
    }
    return true
  }
}
