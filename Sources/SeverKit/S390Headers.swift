import Foundation

/// s390's `asm/facility-defs.h`, computed in Swift from the facility lists Kbuild compiles into
/// `arch/s390/tools/gen_facilities` (sever never builds or runs the tree's programs): for each
/// `.name = "FACILITIES_…"`, the listed bit numbers (most significant bit first, as the
/// Principles of Operation number them) as 64-bit words, with the `#ifdef CONFIG_…` blocks
/// around them decided by the configuration.
enum S390Headers {
  /// `asm/facility-defs.h` → contents; empty when the tree has no facility lists.
  static func files(root: String, autoconf: String) -> [String: String] {
    guard
      let text = try? String(
        contentsOfFile: root + "/arch/s390/tools/gen_facilities.c", encoding: .utf8)
    else { return [:] }
    var defined = Set<String>()
    for line in autoconf.split(separator: "\n") where line.hasPrefix("#define CONFIG_") {
      if let name = line.split(separator: " ").dropFirst().first { defined.insert(String(name)) }
    }
    var out = "#ifndef __ASM_S390_FACILITY_DEFS__\n#define __ASM_S390_FACILITY_DEFS__\n"
    out += "#include <linux/const.h>\n\n"
    for (name, bits) in facilityLists(text, defined: defined) {
      var words = [UInt64](repeating: 0, count: (bits.max() ?? 0) / 64 + 1)
      for bit in bits { words[bit / 64] |= 1 << UInt64(63 - bit % 64) }
      let hex = words.map { word -> String in
        let digits = String(word, radix: 16)
        return "_AC(0x" + String(repeating: "0", count: 16 - digits.count) + digits + ",UL)"
      }
      out += "#define \(name) " + hex.joined(separator: ",") + "\n"
    }
    return ["asm/facility-defs.h": out + "\n#endif\n"]
  }

  /// `(name, bit numbers)` of each entry of `facility_defs[]`, in order.
  static func facilityLists(_ text: String, defined: Set<String>) -> [(String, [Int])] {
    var lists: [(String, [Int])] = []
    var active: [Bool] = []
    for rawLine in text.split(separator: "\n") {
      let line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("#ifdef ") || line.hasPrefix("#ifndef ") {
        let symbol = line.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        active.append(defined.contains(symbol) == line.hasPrefix("#ifdef "))
        continue
      }
      if line.hasPrefix("#else"), let last = active.popLast() {
        active.append(!last)
        continue
      }
      if line.hasPrefix("#endif") {
        _ = active.popLast()
        continue
      }
      guard active.allSatisfy({ $0 }) else { continue }
      if line.hasPrefix(".name"), let open = line.firstIndex(of: "\""),
        let close = line[line.index(after: open)...].firstIndex(of: "\"")
      {
        lists.append((String(line[line.index(after: open)..<close]), []))
        continue
      }
      guard !lists.isEmpty else { continue }
      // The end of facility_defs[]: what follows is the program.
      if line == "};" { break }
      // Bit lists: `0, 1, 2, /* comment */` lines; `-1` ends a list.
      let code = line.components(separatedBy: "/*")[0]
      for item in code.split(separator: ",") {
        if let bit = Int(item.trimmingCharacters(in: .whitespaces)), bit >= 0 {
          lists[lists.count - 1].1.append(bit)
        }
      }
    }
    return lists
  }
}
