import Kbuild
import SeverCore

/// The configuration used for a kernel tree when no `--config` is given.
///
/// The aim is to make as much code visible as possible, as `allmodconfig` does, without running
/// the tree's own build (sever never executes what it reads): the Kbuild oracle estimates
/// allmodconfig from the tree's Kconfig (`estimate(from:sourceArch:)`). The symbols listed here
/// pick the member of each `choice` the estimate cannot choose, and fill in values; alone they
/// are the fallback when the Kconfig cannot be read.
public enum DefaultConfig {
  /// Symbols set to `y` for every architecture.
  static let common: [String] = [
    "64BIT", "MMU", "SMP", "MODULES", "MODULE_UNLOAD", "SYSFS", "PROC_FS", "DEBUG_FS",
    "DEBUG_FS_ALLOW_ALL", "KERNFS", "CGROUPS", "CGROUP_SCHED", "FAIR_GROUP_SCHED", "PSI",
    "CGROUP_CPUACCT", "CGROUP_FREEZER", "CGROUP_PIDS", "CGROUP_RDMA", "CGROUP_DEVICE",
    "CGROUP_MISC", "CGROUP_PERF", "CGROUP_HUGETLB", "CPUSETS", "MEMCG", "BLK_CGROUP", "BLOCK",
    "BLK_DEV_THROTTLING", "IOSCHED_BFQ", "BFQ_GROUP_IOSCHED", "NET", "INET", "IPV6", "PCI",
    "PRINTK", "BUG", "GENERIC_BUG", "HIGH_RES_TIMERS", "NO_HZ_COMMON", "POSIX_TIMERS", "FUTEX",
    "EPOLL", "SIGNALFD", "TIMERFD", "EVENTFD", "AIO", "IO_URING", "SHMEM", "TMPFS", "HUGETLBFS",
    "HUGETLB_PAGE", "TRANSPARENT_HUGEPAGE", "NUMA", "SYSCTL", "MULTIUSER", "FILE_LOCKING",
    "TTY", "VT", "INPUT", "HID", "USB", "USB_SUPPORT", "SCSI", "ACPI", "EFI", "DMI", "KVM",
    "VIRTUALIZATION", "DRM", "SOUND", "SND", "NETDEVICES", "WIRELESS", "CFG80211", "BPF",
    "BPF_SYSCALL", "PERF_EVENTS", "TRACEPOINTS", "FTRACE", "KPROBES", "SECURITY", "SECURITYFS",
    "AUDIT", "NAMESPACES", "USER_NS", "PID_NS", "NET_NS", "UTS_NS", "IPC_NS", "CGROUP_BPF",
    "SCHED_AUTOGROUP", "RT_GROUP_SCHED", "UCLAMP_TASK", "UCLAMP_TASK_GROUP", "CPU_FREQ",
    "CPU_IDLE", "PM", "PM_SLEEP", "SUSPEND", "HOTPLUG_CPU", "MEMORY_HOTPLUG", "SWAP",
    "ZSWAP", "COMPACTION", "MIGRATION", "KSM", "DEVTMPFS", "FW_LOADER", "ANDROID_BINDER_IPC",
    "ANDROID_BINDERFS", "MISC_FILESYSTEMS", "CONFIGFS_FS", "FUSE_FS", "WATCHDOG",
    "GENERIC_IRQ_PROBE", "IRQ_DOMAIN", "GPIOLIB", "I2C", "SPI", "REGMAP", "OF", "THERMAL",
    "HWMON", "POWER_SUPPLY", "RTC_CLASS", "NVME_CORE", "BLK_DEV_NVME", "DMA_ENGINE",
    "DMADEVICES", "MD", "BLK_DEV_MD", "DM_UEVENT", "FB", "BACKLIGHT_CLASS_DEVICE",
    "LEDS_CLASS", "NEW_LEDS", "RAS", "EDAC", "IOMMU_SUPPORT", "VFIO", "VHOST", "VIRTIO",
    "CRYPTO", "KEYS", "LOCKDEP_SUPPORT", "STACKTRACE_SUPPORT", "TRACE_IRQFLAGS_SUPPORT",
    "GENERIC_CALIBRATE_DELAY", "RCU_STALL_COMMON", "TREE_RCU", "PREEMPT_NONE", "HZ_250", "SLUB",
    "FLATMEM_MANUAL", "SPARSEMEM", "SPARSEMEM_VMEMMAP", "SPARSEMEM_EXTREME", "ZONE_DMA",
    "ZONE_DMA32", "MMU_NOTIFIER", "STACKPROTECTOR",
  ]

  /// Architecture symbols set to `y`.
  static let perArch: [String: [String]] = [
    "x86": [
      "X86", "X86_64", "X86_LOCAL_APIC", "X86_IO_APIC", "X86_TSC", "X86_CMPXCHG64",
      "X86_MCE", "X86_MCE_INTEL", "X86_MCE_AMD", "PARAVIRT", "KVM_INTEL", "KVM_AMD",
      "HAVE_KVM", "X86_CPU_RESCTRL", "X86_MSR", "X86_CPUID", "PHYS_ADDR_T_64BIT",
      "X86_PAT", "ARCH_HAS_CPU_FINALIZE_INIT", "GENERIC_CPU", "MICROCODE", "X86_VSYSCALL_EMULATION",
    ],
    "arm64": [
      "ARM64", "ARM64_4K_PAGES", "ARM64_VA_BITS_48", "ARM_GIC", "ARM_GIC_V3", "ARM64_PAGE_SHIFT_12",
    ],
    "riscv": ["RISCV", "ARCH_RV64I"],
    // allmodconfig's endianness (the choice's default), which also brings the PowerMac and
    // Cell platforms.
    "powerpc": ["PPC", "PPC64", "PPC_BOOK3S_64", "CPU_BIG_ENDIAN"],
    "s390": ["S390"],
  ]

  /// Integer and string symbols the headers need a value for.
  static let values: [String: String] = [
    "HZ": "250", "NR_CPUS": "64", "NODES_SHIFT": "6", "PAGE_SHIFT": "12",
    "ILLEGAL_POINTER_VALUE":
      "0xdead000000000000", "LOG_BUF_SHIFT": "18", "PGTABLE_LEVELS": "4",
    "ARCH_MMAP_RND_BITS": "28",
    "PHYSICAL_START": "0x1000000", "PHYSICAL_ALIGN": "0x200000", "DEFAULT_MMAP_MIN_ADDR": "4096",
    "FRAME_WARN": "2048", "X86_L1_CACHE_SHIFT": "6", "X86_INTERNODE_CACHE_SHIFT": "6",
    "ARM64_VA_BITS": "48", "ARM64_PA_BITS": "48",
    "LOCALVERSION": "\"\"", "DEFAULT_HOSTNAME": "\"(none)\"", "BASE_SMALL": "0",
    "RCU_FANOUT": "64", "RCU_FANOUT_LEAF": "16", "MAX_SKB_FRAGS": "17", "NR_IRQS": "4352",
    "LD_VERSION": "0", "SECTION_SIZE_BITS": "27",
    "ARCH_FORCE_MAX_ORDER": "10", "MAX_PAGE_ORDER": "10",
  ]

  /// The compiler the code is parsed with, as Kconfig would find it by running it (which sever
  /// does not do): libclang 14. Headers choose clang's spelling of inline assembly and builtins
  /// from these (powerpc's `DS_FORM_CONSTRAINT`).
  static let compiler: [String: String] = [
    "CC_IS_CLANG": "y", "CC_IS_GCC": "n", "CLANG_VERSION": "140006", "GCC_VERSION": "0",
    "CC_VERSION_TEXT": "\"Debian clang version 14.0.6\"", "AS_IS_LLVM": "y", "AS_IS_GNU": "n",
    "AS_VERSION": "140006",
  ]

  /// The configuration for a tree given no `--config`: the oracle's allmodconfig estimate, with
  /// the symbols above picking the members of `choice` blocks and filling values the estimate
  /// could not compute (numbers behind `$(…)` macros).
  static func estimate(from oracle: KbuildOracle, sourceArch: String) -> KernelConfig {
    let fallback = configuration(sourceArch: sourceArch)
    let picked = Set(common + perArch[sourceArch, default: []])
    var values = oracle.allmodconfigEstimate(choices: picked, fixed: compiler).values
    // Only numbers and strings are filled in: a bool or tristate the estimate left unset has a
    // dependency that does not hold on this architecture.
    for (symbol, value) in fallback.values where values[symbol] == nil && value != "y" {
      values[symbol] = value
    }
    return KernelConfig(values: values)
  }

  /// The default configuration for an architecture's source directory (`x86`, `arm64`).
  public static func configuration(sourceArch: String) -> KernelConfig {
    var values: [String: String] = [:]
    for symbol in common + perArch[sourceArch, default: []] { values[symbol] = "y" }
    for (symbol, value) in Self.values { values[symbol] = value }
    for (symbol, value) in compiler where value != "n" { values[symbol] = value }
    return KernelConfig(values: values)
  }
}
