import Foundation

/// The syscall headers Kbuild generates from an architecture's `*.tbl` tables, computed in
/// Swift the way `scripts/syscallhdr.sh` and `scripts/syscalltbl.sh` write them (sever never
/// runs the tree's scripts), and empty stand-ins for the other `generated-y` headers the
/// architecture's `Kbuild` files list.
///
/// The rules come from the tree itself, in either of the two forms kernels use:
/// - `syscall-y += unistd_64.h` in `arch/<arch>/include/(uapi/)asm/Kbuild`, made by
///   `scripts/Makefile.asm-headers` from `scripts/syscall.tbl` (or the table the architecture's
///   `kernel/Makefile.syscalls` names) with the ABIs it lists (6.11 and later);
/// - rules in the architecture's own syscall Makefile (`arch/x86/entry/syscalls/Makefile`,
///   `arch/powerpc/kernel/syscalls/Makefile`): `$(uapi)/unistd_64.h: abis := common,64` and
///   `$(uapi)/unistd_64.h: $(syscall64) $(syshdr)`.
enum SyscallHeaders {
  /// Paths relative to `arch/<arch>/include/generated` → contents.
  static func headers(root: String, sourceArch: String) -> [String: String] {
    var files: [String: String] = [:]
    // Every generated-y header at least exists, so its #include does not fail.
    for (kbuild, folder) in [
      ("arch/\(sourceArch)/include/asm/Kbuild", "asm"),
      ("arch/\(sourceArch)/include/uapi/asm/Kbuild", "uapi/asm"),
    ] {
      for name in listed("generated-y", in: root + "/" + kbuild) {
        files[folder + "/" + name] = "/* sever stub for a generated header */\n"
      }
      for name in listed("syscall-y", in: root + "/" + kbuild) {
        if let text = generic(name, root: root, sourceArch: sourceArch) {
          files[folder + "/" + name] = text
        }
      }
    }
    for makefile in [
      "arch/\(sourceArch)/entry/syscalls/Makefile", "arch/\(sourceArch)/kernel/syscalls/Makefile",
    ] {
      for (name, text) in fromMakefile(makefile, root: root, sourceArch: sourceArch) {
        files[name] = text
      }
    }
    return files
  }

  // MARK: The tables and the two scripts

  /// One line of a syscall table: `NR ABI NAME [NATIVE] [COMPAT] [noreturn]`.
  struct Entry: Equatable {
    var number: Int
    var abi: String
    var name: String
    var native: String?
    var compat: String?
    var noreturn: Bool
  }

  /// The lines of a table whose ABI matches one of `abis` (the scripts' `grep -E
  /// "^[0-9]+[[:space:]]+(a|b)"`, which matches a prefix of the ABI field).
  static func entries(_ text: String, abis: [String]) -> [Entry] {
    text.split(separator: "\n").compactMap { line in
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
      guard fields.count >= 3, let number = Int(fields[0]),
        abis.isEmpty || abis.contains(where: { fields[1].hasPrefix($0) })
      else { return nil }
      func field(_ index: Int) -> String? {
        index < fields.count && !fields[index].hasPrefix("#") ? fields[index] : nil
      }
      return Entry(
        number: number, abi: fields[1], name: fields[2], native: field(3),
        compat: field(4) == "-" ? nil : field(4), noreturn: field(5) == "noreturn")
    }
  }

  /// What `scripts/syscallhdr.sh [--emit-nr] [--offset O] [--prefix P] --abis ABIS` writes.
  static func header(
    _ entries: [Entry], fileName: String, prefix: String = "", offset: String? = nil,
    emitNumber: Bool = true, guardPrefix: String = "_UAPI_ASM_"
  ) -> String {
    let guardName = guardPrefix + guardMacro(fileName)
    var out = "#ifndef \(guardName)\n#define \(guardName)\n\n"
    for entry in entries {
      let number = offset.map { "(\($0) + \(entry.number))" } ?? "\(entry.number)"
      out += "#define __NR_\(prefix)\(entry.name) \(number)\n"
    }
    if emitNumber {
      let count = (entries.last?.number ?? -1) + 1
      out += "\n#ifdef __KERNEL__\n#define __NR_\(prefix)syscalls \(count)\n#endif\n"
    }
    return out + "\n#endif /* \(guardName) */\n"
  }

  /// The file name upper-cased, other characters as `_`, then sed's one pass of `s/__/_/g`.
  static func guardMacro(_ fileName: String) -> String {
    String(fileName.uppercased().map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
      .replacingOccurrences(of: "__", with: "_")
  }

  /// What `scripts/syscalltbl.sh --abis ABIS` writes: one `__SYSCALL` line per number, holes
  /// filled with `sys_ni_syscall`.
  static func table(_ entries: [Entry]) -> String {
    var out = ""
    var next = 0
    for entry in entries where entry.number >= next {
      while next < entry.number {
        out += "__SYSCALL(\(next), sys_ni_syscall)\n"
        next += 1
      }
      let n = entry.number
      if entry.noreturn, let native = entry.native {
        out +=
          entry.compat.map { "__SYSCALL_COMPAT_NORETURN(\(n), \(native), \($0))\n" }
          ?? "__SYSCALL_NORETURN(\(n), \(native))\n"
      } else if let compat = entry.compat, let native = entry.native {
        out += "__SYSCALL_WITH_COMPAT(\(n), \(native), \(compat))\n"
      } else {
        out += "__SYSCALL(\(n), \(entry.native ?? "sys_ni_syscall"))\n"
      }
      next = n + 1
    }
    return out
  }

  // MARK: The rules

  /// A `syscall-y` header of `scripts/Makefile.asm-headers`: `unistd_<abi>.h`,
  /// `unistd_compat_<abi>.h` or `syscall_table_<abi>.h`.
  private static func generic(_ name: String, root: String, sourceArch: String) -> String? {
    let settings = makeAssignments(
      root + "/arch/\(sourceArch)/kernel/Makefile.syscalls", sourceArch: sourceArch,
      directory: "arch/\(sourceArch)/kernel")
    func abis(_ stem: String) -> [String] {
      ["common", stem] + (settings["syscall_abis_\(stem)"] ?? [])
    }
    func tableText(_ stem: String) -> String? {
      let path =
        settings["syscalltbl"]?.first?.replacingOccurrences(of: "%", with: stem)
        ?? "scripts/syscall.tbl"
      return read(root + "/" + path)
    }
    let base = String(name.dropLast(2))
    for (prefix, kind) in [("unistd_compat_", 0), ("unistd_", 1), ("syscall_table_", 2)]
    where base.hasPrefix(prefix) {
      let stem = String(base.dropFirst(prefix.count))
      guard let text = tableText(stem) else { return nil }
      let rows = entries(text, abis: abis(stem))
      switch kind {
      case 0: return header(rows, fileName: name, prefix: "compat\(stem)_")
      case 1: return header(rows, fileName: name)
      default: return table(rows)
      }
    }
    return nil
  }

  /// The headers an architecture's own syscall Makefile makes with `syshdr` and `systbl`,
  /// keyed by their path under `arch/<arch>/include/generated`.
  private static func fromMakefile(_ makefile: String, root: String, sourceArch: String)
    -> [String: String]
  {
    guard let text = read(root + "/" + makefile) else { return [:] }
    let directory = (makefile as NSString).deletingLastPathComponent
    let variables = makeAssignments(
      root + "/" + makefile, sourceArch: sourceArch, directory: directory)
    let generated = "arch/\(sourceArch)/include/generated/"
    var targetSettings: [String: [String: String]] = [:]
    var rules: [(target: String, table: String, tool: String)] = []
    for line in text.split(separator: "\n").map(String.init) {
      // `$(uapi)/unistd_64.h: abis := common,64` or `$(uapi)/unistd_64.h: $(syscall64) …`.
      guard line.hasPrefix("$("), let colon = line.range(of: ": ") else { continue }
      let target = expand(String(line[..<colon.lowerBound]), variables)
      let rest = String(line[colon.upperBound...])
      if let assign = rest.range(of: ":=") {
        let name = rest[..<assign.lowerBound].trimmingCharacters(in: .whitespaces)
        let value = rest[assign.upperBound...].trimmingCharacters(in: .whitespaces)
        targetSettings[target, default: [:]][name] = value
        continue
      }
      let words = rest.split(separator: " ").map(String.init)
      guard let first = words.first,
        let tool = words.first(where: { $0.contains("sys") && $0 != first })
      else { continue }
      rules.append((target, expand(first, variables), tool))
    }
    var files: [String: String] = [:]
    // s390's own script: `syshdr_abi_unistd_64 := common,64` for `$(uapi)/unistd_64.h` (the
    // same `#define __NR_…` lines) and `sysnr_abi_unistd_nr := …` for `NR_syscalls`.
    if let table = variables["syscall"]?.first.flatMap({ read(root + "/" + $0) }) {
      for (variable, value) in variables {
        for (prefix, folder) in [("syshdr_abi_", "uapi/asm/"), ("sysnr_abi_", "asm/")]
        where variable.hasPrefix(prefix) {
          let base = String(variable.dropFirst(prefix.count))
          let abis = value.joined(separator: ",").split(separator: ",").map(String.init)
          let rows = entries(table, abis: abis).sorted { $0.number < $1.number }
          files[folder + base + ".h"] =
            prefix == "sysnr_abi_"
            ? "#define NR_syscalls \((rows.last?.number ?? -1) + 1)\n"
            : header(
              rows, fileName: base + ".h", emitNumber: false, guardPrefix: "_UAPI_ASM_S390_")
        }
      }
    }
    for rule in rules where rule.target.hasPrefix(generated) {
      let name = String(rule.target.dropFirst(generated.count))
      guard let tableText = read(root + "/" + rule.table) else { continue }
      let settings = targetSettings[rule.target] ?? [:]
      let abis = (settings["abis"] ?? "").split(separator: ",").map(String.init)
      let rows = entries(tableText, abis: abis)
      if rule.tool.contains("syshdr") {
        let prefix = settings["prefix"].flatMap { $0.isEmpty ? nil : $0 } ?? ""
        let offset = settings["offset"].flatMap { $0.isEmpty ? nil : $0 }
        files[name] = header(
          rows, fileName: (name as NSString).lastPathComponent, prefix: prefix, offset: offset)
      } else if rule.tool.contains("systbl") {
        files[name] = table(rows)
      }
    }
    return files
  }

  /// `name := words`, `name = words` and `name += words` lines of a makefile, with `$(src)`,
  /// `$(srctree)`, `$(SRCARCH)` and earlier variables expanded (paths tree-relative).
  private static func makeAssignments(_ path: String, sourceArch: String, directory: String)
    -> [String: [String]]
  {
    guard let text = read(path) else { return [:] }
    var variables: [String: [String]] = [
      "src": [directory], "srctree": ["."], "SRCARCH": [sourceArch], "ARCH": [sourceArch],
    ]
    for line in text.split(separator: "\n").map(String.init) where !line.hasPrefix("#") {
      guard !line.hasPrefix("$("), !line.hasPrefix("\t"),
        let equals = line.firstIndex(of: "=")
      else { continue }
      var name = String(line[..<equals])
      var append = false
      if name.hasSuffix("+") {
        append = true
        name.removeLast()
      } else if name.hasSuffix(":") || name.hasSuffix("?") {
        name.removeLast()
      }
      name = name.trimmingCharacters(in: .whitespaces)
      guard !name.isEmpty, !name.contains(" ") else { continue }
      let value = expand(String(line[line.index(after: equals)...]), variables)
      let words = value.split(separator: " ").map { normalizedPath(String($0)) }
      variables[name] = (append ? variables[name] ?? [] : []) + words
    }
    return variables
  }

  private static func expand(_ text: String, _ variables: [String: [String]]) -> String {
    var out = text
    for (name, value) in variables {
      out = out.replacingOccurrences(of: "$(\(name))", with: value.joined(separator: " "))
    }
    return normalizedPath(out.trimmingCharacters(in: .whitespaces))
  }

  /// `./a/b` → `a/b`: make runs in the tree root.
  private static func normalizedPath(_ word: String) -> String {
    word.hasPrefix("./") ? String(word.dropFirst(2)) : word
  }

  private static func read(_ path: String) -> String? {
    try? String(contentsOfFile: path, encoding: .utf8)
  }

  /// The words of `list += name` lines of a `Kbuild` file.
  static func listed(_ list: String, in kbuild: String) -> [String] {
    guard let text = read(kbuild) else { return [] }
    return text.split(separator: "\n").compactMap { line in
      let parts = line.split(separator: " ", omittingEmptySubsequences: true)
      guard parts.count >= 3, parts[0] == list, parts[1] == "+=" || parts[1] == ":=" else {
        return nil
      }
      return String(parts[2])
    }
  }
}
