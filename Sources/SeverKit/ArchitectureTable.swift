/// Kernel architecture names, their source directories under `arch/` and clang targets.
public enum ArchitectureTable {
  /// `--arch` value → (`arch/` directory, clang `--target`).
  static let known: [String: (source: String, target: String)] = [
    "x86_64": ("x86", "x86_64-linux-gnu"), "x86": ("x86", "x86_64-linux-gnu"),
    "i386": ("x86", "i386-linux-gnu"), "arm64": ("arm64", "aarch64-linux-gnu"),
    "arm": ("arm", "arm-linux-gnueabi"), "riscv": ("riscv", "riscv64-linux-gnu"),
    "powerpc": ("powerpc", "powerpc64le-linux-gnu"), "s390": ("s390", "s390x-linux-gnu"),
    "loongarch": ("loongarch", "loongarch64-linux-gnu"), "mips": ("mips", "mips-linux-gnu"),
  ]

  /// The directory under `arch/` for an `--arch` value (`x86_64` → `x86`).
  public static func sourceArch(for arch: String) -> String { known[arch]?.source ?? arch }

  /// The clang target triple for an `--arch` value.
  static func target(for arch: String) -> String? { known[arch]?.target }
}
