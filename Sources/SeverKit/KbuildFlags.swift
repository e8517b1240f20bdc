import Foundation

/// The part of Kbuild's per-object flags that decides what clang parses: defines, undefines,
/// include paths and forced includes. Code generation, warning and optimisation flags are left
/// out: they change nothing sever reads, and many are gcc-only options clang 14 rejects.
enum KbuildFlags {
  /// Options whose value is the next word (or glued to the option), with whether the value is a
  /// path.
  static let valued: [(option: String, isPath: Bool)] = [
    ("-include", true), ("-imacros", true), ("-isystem", true), ("-iquote", true),
    ("-idirafter", true), ("-I", true), ("-D", false), ("-U", false),
  ]

  /// Kbuild flag words (as make passes them to the shell) → clang arguments: only the
  /// preprocessor options, with relative paths made absolute under `root` (make's working
  /// directory) and, for an `O=` build, also under `build`, where Kbuild generates files.
  static func preprocessorFlags(_ words: [String], root: String, build: String?) -> [String] {
    // make hands each command to the shell: `-DNAME='"text"'` reaches the compiler unquoted.
    let shell = ShellWords.split(words.joined(separator: " "))
    var out: [String] = []
    var index = 0
    while index < shell.count {
      let word = shell[index]
      index += 1
      if word.hasPrefix("-std=") {
        out.append(word)
        continue
      }
      guard let (option, isPath) = valued.first(where: { word.hasPrefix($0.option) }) else {
        continue
      }
      var value = String(word.dropFirst(option.count))
      if value.isEmpty {
        guard index < shell.count else { break }
        value = shell[index]
        index += 1
      }
      guard isPath else {
        if !value.isEmpty { out.append(option + value) }
        continue
      }
      if value.hasPrefix("/") {
        out += [option, standardized(value)]
        continue
      }
      let inTree = standardized(root + "/" + value)
      guard let build else {
        out += [option, inTree]
        continue
      }
      let inBuild = standardized(build + "/" + value)
      if option == "-include" || option == "-imacros" {
        // One file: a second copy of a forced include would be read twice.
        let found = FileManager.default.fileExists(atPath: inTree) ? inTree : inBuild
        out += [option, FileManager.default.fileExists(atPath: found) ? found : inTree]
      } else {
        out += [option, inTree, option, inBuild]
      }
    }
    return out
  }

  /// `/a/./b/../c` → `/a/c`, without touching the file system.
  static func standardized(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
  }
}
