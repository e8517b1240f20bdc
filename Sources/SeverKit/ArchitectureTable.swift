import SeverCore

/// Kernel architecture names, their source directories under `arch/` and clang targets.
public enum ArchitectureTable {
  /// `--arch` value → (`arch/` directory, clang `--target`).
  static let known: [String: (source: String, target: String)] = [
    "x86_64": ("x86", "x86_64-linux-gnu"), "x86": ("x86", "x86_64-linux-gnu"),
    "i386": ("x86", "i386-linux-gnu"), "arm64": ("arm64", "aarch64-linux-gnu"),
    "arm": ("arm", "arm-linux-gnueabi"), "riscv": ("riscv", "riscv64-linux-gnu"),
    "powerpc": ("powerpc", "powerpc64-linux-gnu"), "s390": ("s390", "s390x-linux-gnu"),
    "loongarch": ("loongarch", "loongarch64-linux-gnu"), "mips": ("mips", "mips-linux-gnu"),
  ]

  /// The architectures `--arch auto` reads, in the order a file is given to the first that
  /// builds it: x86_64 first, then arm64, then the others whose headers and generated files
  /// sever prepares.
  public static let automatic = ["x86_64", "arm64", "riscv", "powerpc", "s390"]

  /// The `--arch` value of a `.config`, from the symbols each architecture's Kconfig sets
  /// unconditionally; nil when none is set.
  public static func arch(of config: KernelConfig) -> String? {
    let symbols: [(String, String)] = [
      ("X86_64", "x86_64"), ("X86_32", "i386"), ("ARM64", "arm64"), ("RISCV", "riscv"),
      ("PPC", "powerpc"), ("S390", "s390"), ("LOONGARCH", "loongarch"), ("MIPS", "mips"),
      ("ARM", "arm"),
    ]
    return symbols.first { config.tristate($0.0) == .y }?.1
  }

  /// The directory under `arch/` for an `--arch` value (`x86_64` → `x86`).
  public static func sourceArch(for arch: String) -> String { known[arch]?.source ?? arch }

  /// The clang target triple for an `--arch` value.
  static func target(for arch: String) -> String? { known[arch]?.target }
}
