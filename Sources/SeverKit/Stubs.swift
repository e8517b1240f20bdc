import Foundation

/// Plausible stand-ins for headers Kbuild computes at build time. Their values only have to let
/// the code parse: sever reads declarations and calls, not sizes or constants.
enum Stubs {
  static let bounds = """
    /* sever stub for generated/bounds.h; SPINLOCK_SIZE is large so that page-table locks are
       allocated separately (ALLOC_SPLIT_PTLOCKS), which fits every configuration. */
    #define NR_PAGEFLAGS 24
    #define MAX_NR_ZONES 5
    #define NR_CPUS_BITS 6
    #define SPINLOCK_SIZE 64
    #define LRU_GEN_WIDTH 3
    #define __LRU_REFS_WIDTH 2
    #define LRU_REFS_WIDTH 2

    """

  static let timeconst = """
    /* sever stub for generated/timeconst.h (HZ=250) */
    #define HZ_TO_MSEC_MUL32 0x80000000
    #define HZ_TO_MSEC_ADJ32 0x0
    #define HZ_TO_MSEC_SHR32 29
    #define MSEC_TO_HZ_MUL32 0x80000000
    #define MSEC_TO_HZ_ADJ32 0x180000000
    #define MSEC_TO_HZ_SHR32 33
    #define HZ_TO_MSEC_NUM 4
    #define HZ_TO_MSEC_DEN 1
    #define MSEC_TO_HZ_NUM 1
    #define MSEC_TO_HZ_DEN 4
    #define HZ_TO_USEC_MUL32 0xFA000000
    #define HZ_TO_USEC_ADJ32 0x0
    #define HZ_TO_USEC_SHR32 20
    #define USEC_TO_HZ_MUL32 0x83126E98
    #define USEC_TO_HZ_ADJ32 0x7FF7CED9168
    #define USEC_TO_HZ_SHR32 43
    #define HZ_TO_USEC_NUM 4000
    #define HZ_TO_USEC_DEN 1
    #define USEC_TO_HZ_NUM 1
    #define USEC_TO_HZ_DEN 4000
    #define HZ_TO_NSEC_NUM 4000000
    #define HZ_TO_NSEC_DEN 1
    #define NSEC_TO_HZ_NUM 1
    #define NSEC_TO_HZ_DEN 4000000

    """

  static let compile = """
    /* sever stub for generated/compile.h */
    #define UTS_MACHINE "sever"
    #define LINUX_COMPILE_BY "sever"
    #define LINUX_COMPILE_HOST "sever"
    #define LINUX_COMPILER "clang"

    """

  /// `generated/uapi/linux/version.h` from the top Makefile's VERSION, PATCHLEVEL, SUBLEVEL.
  static func version(root: String) -> String {
    var numbers: [String: Int] = [:]
    if let text = try? String(contentsOfFile: root + "/Makefile", encoding: .utf8) {
      for line in text.split(separator: "\n").prefix(10) {
        let parts = line.split(separator: "=", maxSplits: 1).map {
          $0.trimmingCharacters(in: .whitespaces)
        }
        if parts.count == 2, let value = Int(parts[1]) { numbers[parts[0]] = value }
      }
    }
    let (a, b, c) = (numbers["VERSION"] ?? 6, numbers["PATCHLEVEL"] ?? 0, numbers["SUBLEVEL"] ?? 0)
    return """
      #define LINUX_VERSION_CODE \((a << 16) + (b << 8) + min(c, 255))
      #define KERNEL_VERSION(a,b,c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
      #define LINUX_VERSION_MAJOR \(a)
      #define LINUX_VERSION_PATCHLEVEL \(b)
      #define LINUX_VERSION_SUBLEVEL \(c)

      """
  }
}
