import Foundation
import SeverConfiguration
import SeverSupport

/// A `compile_commands.json` (from the kernel's `scripts/clang-tools/gen_compile_commands.py`):
/// absolute file path → clang arguments, with gcc-only flags that clang 14 rejects dropped.
struct CompilationDatabase: Sendable {
  /// Absolute source path → arguments (no compiler, no `-c`, no `-o`, no source file).
  let arguments: [String: [String]]

  /// Flags gcc accepts and clang 14 rejects or warns about, dropped exactly or by prefix.
  static let droppedFlags: Set<String> = [
    "-fconserve-stack", "-fno-allow-store-data-races", "-mindirect-branch-register",
    "-fno-var-tracking-assignments", "-mrecord-mcount", "-mno-fp-ret-in-387", "-mskip-rax-setup",
    "-fno-ipa-sra", "-Werror", "-mno-sse2", "-fno-delete-null-pointer-checks",
    "-fmerge-constants", "-mabi=lp64", "-mno-80387", "-fsanitize-coverage=trace-pc",
  ]
  static let droppedPrefixes: [String] = [
    "-mindirect-branch=", "-mfunction-return=", "-fmin-function-alignment=",
    "-mpreferred-stack-boundary=", "-fno-ipa-", "-fzero-call-used-regs", "-Wp,", "-fplugin",
    "-fpatchable-function-entry", "-mharden-sls", "-fstack-protector-guard",
    "-mstack-protector-guard",
    "-fcf-protection", "-fno-jump-tables", "-Wno-", "-W", "-fdiagnostics-",
    "-ftrivial-auto-var-init",
  ]

  /// The largest database read (256 MiB): an allyesconfig x86_64 build writes under 100 MiB.
  static let maximumFileSize = 256 << 20

  /// Reads and normalises a database.
  static func load(path: String) throws(SeverKitError) -> CompilationDatabase {
    let data: Data
    do {
      data = try BoundedFile.read(path, limit: maximumFileSize)
    } catch {
      if case .tooLarge = error { throw .badCompilationDatabase(path: path, reason: "\(error)") }
      throw .unreadableOption(option: "--compile-commands", path: path)
    }
    guard let entries = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
      throw .badCompilationDatabase(
        path: path, reason: "it is not a JSON array of {directory, file, command|arguments}")
    }
    var result: [String: [String]] = [:]
    for entry in entries {
      guard let directory = entry["directory"] as? String, let file = entry["file"] as? String
      else {
        throw .badCompilationDatabase(path: path, reason: "an entry lacks 'directory' or 'file'")
      }
      let words: [String]
      if let list = entry["arguments"] as? [String] {
        words = list
      } else if let command = entry["command"] as? String {
        words = ShellWords.split(command)
      } else {
        throw .badCompilationDatabase(path: path, reason: "an entry lacks 'command' or 'arguments'")
      }
      let absolute = file.hasPrefix("/") ? file : directory + "/" + file
      let source = URL(fileURLWithPath: absolute).standardizedFileURL.path
      result[source] = normalise(Array(words.dropFirst()), directory: directory, file: file)
    }
    return CompilationDatabase(arguments: result)
  }

  /// Drops the output, the source, `-c` and gcc-only flags; makes `-I` paths absolute.
  static func normalise(_ words: [String], directory: String, file: String) -> [String] {
    var out: [String] = []
    var skipNext = false
    for (index, word) in words.enumerated() {
      if skipNext {
        skipNext = false
        continue
      }
      if word == "-o" || word == "-MF" || word == "-MT" || word == "-MQ" {
        skipNext = true
        continue
      }
      if word == "-c" || word == file || word.hasSuffix("/" + file) { continue }
      if droppedFlags.contains(word) || droppedPrefixes.contains(where: word.hasPrefix) { continue }
      if word == "-I" || word == "-include" || word == "-isystem", index + 1 < words.count {
        out.append(word)
        continue
      }
      if word.hasPrefix("-I"), !word.hasPrefix("-I/") {
        out.append("-I" + directory + "/" + word.dropFirst(2))
        continue
      }
      out.append(word)
    }
    return out
  }
}

/// Splits a shell command line into words, honouring single and double quotes and backslashes.
/// Nothing is ever run: this only reads the text.
enum ShellWords {
  static func split(_ line: String) -> [String] {
    var words: [String] = []
    var current = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    for c in line {
      if escaped {
        current.append(c)
        escaped = false
        continue
      }
      if c == "\\" && quote != "'" {
        escaped = true
        inWord = true
        continue
      }
      if let q = quote {
        if c == q { quote = nil } else { current.append(c) }
        continue
      }
      if c == "'" || c == "\"" {
        quote = c
        inWord = true
      } else if c == " " || c == "\t" || c == "\n" {
        if inWord { words.append(current) }
        current = ""
        inWord = false
      } else {
        current.append(c)
        inWord = true
      }
    }
    if inWord { words.append(current) }
    return words
  }
}
