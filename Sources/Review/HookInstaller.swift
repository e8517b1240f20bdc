import Foundation

/// Writes and removes the git pre-commit hook that runs `sever hook run` (a review of the staged
/// change, silent when it passes). The hook marks
/// itself with `HookInstaller.marker`, so sever never replaces or removes a hook it did not
/// write (unless forced).
public enum HookInstaller {
  /// The comment line that marks a hook sever wrote.
  public static let marker = "# sever-hook: written by 'sever hook install'"

  /// The hook script. It asks git whether any C source, header, Kconfig, Makefile or Kbuild
  /// file is staged and exits before starting sever when none is, so unrelated commits pay
  /// for one `git diff --quiet` only.
  public static func script(sever: String) -> String {
    let quoted = "'" + sever.replacingOccurrences(of: "'", with: "'\\''") + "'"
    return """
      #!/bin/sh
      \(marker); 'sever hook install --force' rewrites it.
      # Reviews the staged change for what it introduces (sever hook run: silent when it passes).
      # Nothing to do, and sever is not started, when no C source, header, Kconfig, Makefile or
      # Kbuild file is staged.
      if git diff --cached --quiet --no-ext-diff -- '*.c' '*.h' '*Kconfig*' '*Makefile*' '*Kbuild*'
      then
      \texit 0
      fi
      SEVER=\(quoted)
      [ -x "$SEVER" ] || SEVER=sever
      exec "$SEVER" hook run

      """
  }

  /// Where git looks for the pre-commit hook of the checkout holding `directory` (honours
  /// worktrees and `core.hooksPath`).
  public static func hookPath(directory: String) throws(ReviewError) -> String {
    let git = GitRunner(directory: directory)
    guard let data = try git.outputIfSuccessful(["rev-parse", "--git-path", "hooks/pre-commit"])
    else {
      throw .git(
        "'\(directory)' is not inside a git checkout; run the hook command in one or pass "
          + "--directory")
    }
    let path = String(decoding: data, as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    return path.hasPrefix("/") ? path : directory + "/" + path
  }

  /// Installs the hook; returns its path. Refuses to replace a hook without the marker unless
  /// `force`.
  public static func install(directory: String, sever: String, force: Bool) throws(ReviewError)
    -> String
  {
    let path = try hookPath(directory: directory)
    let fm = FileManager.default
    if let existing = fm.contents(atPath: path),
      !String(decoding: existing, as: UTF8.self).contains(marker), !force
    {
      throw .foreignHook(path: path)
    }
    do {
      try fm.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try Data(script(sever: sever).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
      try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    } catch {
      throw .hookNotWritable(path: path, reason: error.localizedDescription)
    }
    return path
  }

  /// Removes the hook if sever wrote it; returns its path, or nil when there was none.
  public static func uninstall(directory: String) throws(ReviewError) -> String? {
    let path = try hookPath(directory: directory)
    guard let existing = FileManager.default.contents(atPath: path) else { return nil }
    guard String(decoding: existing, as: UTF8.self).contains(marker) else {
      throw .foreignHook(path: path)
    }
    do {
      try FileManager.default.removeItem(atPath: path)
    } catch {
      throw .hookNotWritable(path: path, reason: error.localizedDescription)
    }
    return path
  }
}
