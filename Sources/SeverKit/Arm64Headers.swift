import Foundation

/// arm64's generated headers, computed in Swift from the inputs Kbuild feeds to
/// `arch/arm64/tools/gen-cpucaps.awk` and `gen-sysreg.awk` (sever never runs the tree's
/// scripts): the CPU capability numbers (`asm/cpucap-defs.h`, `asm/cpucaps.h` before 6.3) and
/// the system register encodings and fields (`asm/sysreg-defs.h`). The defines are the awk
/// scripts' own, padded the same way.
enum Arm64Headers {
  /// `asm/<name>` → contents, for the headers `arch/arm64/include/asm/Kbuild` lists.
  static func files(root: String, generatedNames: [String]) -> [String: String] {
    var files: [String: String] = [:]
    for name in generatedNames {
      if name.hasPrefix("cpucap"),
        let text = try? String(contentsOfFile: root + "/arch/arm64/tools/cpucaps", encoding: .utf8)
      {
        files["asm/" + name] = cpucaps(text, fileName: name)
      } else if name.hasPrefix("sysreg"),
        let text = try? String(contentsOfFile: root + "/arch/arm64/tools/sysreg", encoding: .utf8)
      {
        // `Unkn` fields (and their `_UNKN` masks) came in 6.2; before, the script has none.
        let script = try? String(
          contentsOfFile: root + "/arch/arm64/tools/gen-sysreg.awk", encoding: .utf8)
        files["asm/" + name] = sysreg(text, unknownBits: script?.contains("_UNKN") ?? true)
      }
    }
    return files
  }

  /// `__ASM_CPUCAP_DEFS_H` for `cpucap-defs.h`.
  static func guardMacro(_ fileName: String) -> String {
    "__ASM_"
      + String(fileName.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
  }

  /// gen-cpucaps.awk: one `ARM64_<CAP>` number per line of `cpucaps`, then `ARM64_NCAPS`.
  static func cpucaps(_ text: String, fileName: String) -> String {
    let guardName = guardMacro(fileName)
    var out = "#ifndef \(guardName)\n#define \(guardName)\n\n/* Generated file - do not edit */\n\n"
    var number = 0
    for line in text.split(separator: "\n", omittingEmptySubsequences: false)
    where !line.isEmpty && !line.hasPrefix("#") {
      out += "#define ARM64_" + padded(String(line), 40) + "\t\(number)\n"
      number += 1
    }
    out += "#define ARM64_NCAPS\t\t\t\t\t\(number)\n\n#endif /* \(guardName) */\n"
    return out
  }

  /// gen-sysreg.awk: for each `Sysreg`, its encoding; for each field, `GENMASK`, shift and
  /// width, and the enumeration values; reserved bits as `_RES0`, `_RES1`, `_UNKN`.
  static func sysreg(_ text: String, unknownBits: Bool = true) -> String {
    var reader = SysregReader()
    reader.unknownBits = unknownBits
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      reader.read(String(line))
    }
    return "#ifndef __ASM_SYSREG_DEFS_H\n#define __ASM_SYSREG_DEFS_H\n\n"
      + "/* Generated file - do not edit */\n\n" + reader.out + "#endif /* __ASM_SYSREG_DEFS_H */\n"
  }

  /// awk's `printf "%-Ns"`.
  static func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }
}

/// The state of gen-sysreg.awk while it reads the `sysreg` file line by line. Lines the awk
/// script would stop at (it calls `fatal`) are skipped here, so a malformed file still gives
/// the definitions around them.
private struct SysregReader {
  var out = ""
  private var blocks = ["Root"]
  private var register = ""
  private var field = ""
  private var res0: String?
  private var res1: String?
  private var unkn: String?
  /// Whether `_UNKN` masks are written (the tree's script knows them).
  var unknownBits = true

  private var block: String { blocks.last ?? "Root" }
  private var inRegister: Bool { block == "Sysreg" || block == "SysregFields" }

  private mutating func define(_ name: String, _ value: String) {
    out += Arm64Headers.padded("#define " + name, 56) + value + "\n"
  }

  private mutating func defineField(_ field: String, _ msb: String, _ lsb: String) {
    let name = register + "_" + field
    define(name, "GENMASK(\(msb), \(lsb))")
    define(name + "_MASK", "GENMASK(\(msb), \(lsb))")
    define(name + "_SHIFT", lsb)
    define(name + "_WIDTH", String((Int(msb) ?? 0) - (Int(lsb) ?? 0) + 1))
  }

  /// `<msb>[:<lsb>]`.
  private func bits(_ text: String) -> (String, String) {
    let parts = text.split(separator: ":").map(String.init)
    return parts.count == 2 ? (parts[0], parts[1]) : (text, text)
  }

  mutating func read(_ line: String) {
    let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    guard let keyword = fields.first, !keyword.hasPrefix("#") else { return }
    switch keyword {
    case "SysregFields" where block == "Root" && fields.count == 2:
      blocks.append("SysregFields")
      register = fields[1]
      (res0, res1, unkn) = ("UL(0)", "UL(0)", "UL(0)")
    case "EndSysregFields" where block == "SysregFields":
      define(register + "_RES0", "(\(res0 ?? "UL(0)"))")
      define(register + "_RES1", "(\(res1 ?? "UL(0)"))")
      if unknownBits { define(register + "_UNKN", "(\(unkn ?? "UL(0)"))") }
      out += "\n"
      blocks.removeLast()
    case "Sysreg" where block == "Root" && fields.count == 7:
      blocks.append("Sysreg")
      register = fields[1]
      let (op0, op1, crn, crm, op2) = (fields[2], fields[3], fields[4], fields[5], fields[6])
      (res0, res1, unkn) = ("UL(0)", "UL(0)", unknownBits ? "UL(0)" : nil)
      define("REG_" + register, "S\(op0)_\(op1)_C\(crn)_C\(crm)_\(op2)")
      define("SYS_" + register, "sys_reg(\(op0), \(op1), \(crn), \(crm), \(op2))")
      define("SYS_\(register)_Op0", op0)
      define("SYS_\(register)_Op1", op1)
      define("SYS_\(register)_CRn", crn)
      define("SYS_\(register)_CRm", crm)
      define("SYS_\(register)_Op2", op2)
      out += "\n"
    case "EndSysreg" where block == "Sysreg":
      if let res0 { define(register + "_RES0", "(\(res0))") }
      if let res1 { define(register + "_RES1", "(\(res1))") }
      if let unkn, unknownBits { define(register + "_UNKN", "(\(unkn))") }
      if res0 != nil || res1 != nil || unkn != nil { out += "\n" }
      blocks.removeLast()
    case "Fields" where block == "Sysreg" && fields.count == 2:
      out += "/* For \(register) fields see \(fields[1]) */\n\n"
      (res0, res1, unkn) = (nil, nil, nil)
    case "Res0", "Res1", "Unkn":
      guard inRegister, fields.count == 2 else { return }
      let (msb, lsb) = bits(fields[1])
      let mask = " | GENMASK_ULL(\(msb), \(lsb))"
      switch keyword {
      case "Res0": res0 = (res0 ?? "") + mask
      case "Res1": res1 = (res1 ?? "") + mask
      default: unkn = (unkn ?? "") + mask
      }
    case "Field" where inRegister && fields.count == 3:
      let (msb, lsb) = bits(fields[1])
      defineField(fields[2], msb, lsb)
      out += "\n"
    case "SignedEnum", "UnsignedEnum", "Enum":
      guard inRegister, fields.count == 3 else { return }
      blocks.append("Enum")
      field = fields[2]
      let (msb, lsb) = bits(fields[1])
      defineField(field, msb, lsb)
      if keyword != "Enum" {
        define("\(register)_\(field)_SIGNED", keyword == "SignedEnum" ? "true" : "false")
      }
    case "EndEnum" where block == "Enum":
      out += "\n"
      blocks.removeLast()
    default:
      if block == "Enum", fields.count == 2, keyword.hasPrefix("0b") {
        define("\(register)_\(field)_\(fields[1])", "UL(\(keyword))")
      }
    }
  }
}
