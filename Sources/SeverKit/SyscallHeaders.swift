import Foundation

/// The syscall headers Kbuild generates from an architecture's `*.tbl` tables
/// (`arch/x86/entry/syscalls/syscall_64.tbl` → `asm/unistd_64.h`), and empty stand-ins for the
/// other `generated-y` headers the architecture's `Kbuild` files list.
enum SyscallHeaders {
  /// Paths relative to `arch/<arch>/include/generated` → contents.
  static func headers(root: String, sourceArch: String) -> [String: String] {
    var files: [String: String] = [:]
    // Every generated-y header at least exists, so its #include does not fail.
    for (kbuild, folder) in [
      ("arch/\(sourceArch)/include/asm/Kbuild", "asm"),
      ("arch/\(sourceArch)/include/uapi/asm/Kbuild", "uapi/asm"),
    ] {
      for name in generatedNames(root + "/" + kbuild) {
        files[folder + "/" + name] = "/* sever stub for a generated header */\n"
      }
    }
    guard sourceArch == "x86" else { return files }
    let tables = root + "/arch/x86/entry/syscalls/"
    let table64 = entries(tables + "syscall_64.tbl")
    let table32 = entries(tables + "syscall_32.tbl")
    func defines(_ rows: [Entry], prefix: String, offset: String = "") -> String {
      rows.map { "#define \(prefix)\($0.name) \(offset)\($0.number)\n" }.joined()
    }
    let native64 = table64.filter { $0.abi == "common" || $0.abi == "64" }
    let x32 = table64.filter { $0.abi == "common" || $0.abi == "x32" }
    files["uapi/asm/unistd_64.h"] = defines(native64, prefix: "__NR_")
    files["uapi/asm/unistd_32.h"] = defines(table32, prefix: "__NR_")
    files["uapi/asm/unistd_x32.h"] = defines(x32, prefix: "__NR_", offset: "__X32_SYSCALL_BIT + ")
    files["asm/unistd_64_x32.h"] = defines(x32, prefix: "__NR_x32_")
    files["asm/unistd_32_ia32.h"] = defines(table32, prefix: "__NR_ia32_")
    let count64 = (table64.map(\.number).max() ?? 0) + 1
    let count32 = (table32.map(\.number).max() ?? 0) + 1
    files["uapi/asm/unistd_64.h", default: ""] += "#define __NR_syscalls \(count64)\n"
    files["asm/unistd_64_x32.h", default: ""] += "#define __NR_x32_syscalls \(count64)\n"
    files["asm/unistd_32_ia32.h", default: ""] += "#define __NR_ia32_syscalls \(count32)\n"
    return files
  }

  private struct Entry {
    var number: Int
    var abi: String
    var name: String
  }

  private static func entries(_ path: String) -> [Entry] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").compactMap { line in
      guard !line.hasPrefix("#") else { return nil }
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard fields.count >= 3, let number = Int(fields[0]) else { return nil }
      return Entry(number: number, abi: String(fields[1]), name: String(fields[2]))
    }
  }

  private static func generatedNames(_ kbuild: String) -> [String] {
    guard let text = try? String(contentsOfFile: kbuild, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").compactMap { line in
      let parts = line.split(separator: " ", omittingEmptySubsequences: true)
      guard parts.count >= 3, parts[0] == "generated-y", parts[1] == "+=" else { return nil }
      return String(parts[2])
    }
  }
}
