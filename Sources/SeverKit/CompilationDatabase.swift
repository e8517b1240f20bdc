import Foundation
import SeverConfiguration
import SeverSupport

/// A `compile_commands.json` (from the kernel's `scripts/clang-tools/gen_compile_commands.py`,
/// in-tree or `O=`): absolute file path → the clang arguments that decide what is parsed.
///
/// Each entry's `file` is absolute while its `command` names the source as make did (relative
/// to `directory`, or `../linux/fs/kernfs/file.c` in an `O=` build), so the source is found by
/// resolving every word against `directory`. Only the options that change what the preprocessor
/// and parser see are kept (defines, include paths, forced includes, the language standard,
/// optimisation level, the target); code generation, warning, dependency (`-MD`, `-Wp,-MMD`)
/// and output options are dropped, which also drops the gcc-only ones clang 14 rejects
/// (`-mindirect-branch-cs-prefix`, `-fconserve-stack`, …).
struct CompilationDatabase: Sendable {
  /// Absolute source path (symbolic links resolved) → arguments (no compiler, no `-c`, no
  /// `-o`, no source file).
  let arguments: [String: [String]]

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
      let source = realPath(resolve(file, in: directory))
      var arguments = normalise(Array(words.dropFirst()), directory: directory, file: file)
      if let compiler = words.first, let target = target(ofCompiler: compiler),
        !arguments.contains(where: { $0.hasPrefix("--target") || $0 == "-target" })
      {
        arguments.insert("--target=" + target, at: 0)
      }
      result[source] = arguments
    }
    return CompilationDatabase(arguments: result)
  }

  /// The arguments of a unit (absolute path), if the database compiles it.
  func arguments(for path: String) -> [String]? {
    arguments[path] ?? arguments[Self.realPath(path)]
  }

  /// Options kept with their value, in the next word or glued on; whether the value is a path.
  static let valued: [(option: String, isPath: Bool)] = [
    ("-include", true), ("-imacros", true), ("-isystem", true), ("-iquote", true),
    ("-idirafter", true), ("-I", true), ("-D", false), ("-U", false), ("-target", false),
  ]
  /// Options kept as they are.
  static let kept: Set<String> = [
    "-nostdinc", "-m16", "-m32", "-m64", "-funsigned-char", "-fsigned-char", "-fshort-wchar",
    "-fno-short-wchar",
  ]
  /// Options dropped with the word after them.
  static let droppedWithValue: Set<String> = ["-o", "-MF", "-MT", "-MQ", "-x", "-Xclang"]

  /// Keeps the options that decide what is parsed (see the type's comment), with paths made
  /// absolute against `directory`; drops the source file however it is spelled.
  static func normalise(_ words: [String], directory: String, file: String) -> [String] {
    let source = resolve(file, in: directory)
    var out: [String] = []
    var index = 0
    while index < words.count {
      let word = words[index]
      index += 1
      if droppedWithValue.contains(word) {
        index += 1
        continue
      }
      if kept.contains(word) || word.hasPrefix("-std=") || word.hasPrefix("--target=")
        || (word.hasPrefix("-O") && word.count <= 3)
      {
        out.append(word)
        continue
      }
      guard word.hasPrefix("-") else {
        // The source (or another input) as make spelled it.
        if resolve(word, in: directory) != source { out.append(word) }
        continue
      }
      guard let (option, isPath) = valued.first(where: { word.hasPrefix($0.option) }),
        // -isystemfoo is one word; -iwithprefix and friends are not kept.
        word == option || option.count <= 2
      else { continue }
      var value = String(word.dropFirst(option.count))
      if value.isEmpty {
        guard index < words.count else { break }
        value = words[index]
        index += 1
      }
      if option == "-target" {
        out.append("--target=" + value)
      } else if isPath {
        out += [option, resolve(value, in: directory)]
      } else {
        out.append(option + value)
      }
    }
    return out
  }

  /// `word` as an absolute, standardised path, relative ones taken from `directory`.
  static func resolve(_ word: String, in directory: String) -> String {
    let joined = word.hasPrefix("/") ? word : directory + "/" + word
    return KbuildFlags.standardized(joined)
  }

  /// The path with symbolic links resolved, as the database and discovery may spell the tree
  /// differently; the path itself when it cannot be resolved.
  static func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// `aarch64-linux-gnu` for a cross compiler named `aarch64-linux-gnu-gcc` (or `…-gcc-12`).
  static func target(ofCompiler compiler: String) -> String? {
    let name = (compiler as NSString).lastPathComponent
    let parts = name.split(separator: "-")
    guard parts.count >= 4, let tool = parts.firstIndex(where: { $0 == "gcc" || $0 == "cc" })
    else { return nil }
    let triple = parts[..<tool].joined(separator: "-")
    return triple.split(separator: "-").count >= 3 ? triple : nil
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
