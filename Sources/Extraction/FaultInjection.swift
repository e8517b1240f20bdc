#if canImport(Glibc)
  import Glibc
#endif

/// A test hook, not a feature: `SEVER_FAULT_INJECTION=crash:<basename.c>,hang:<basename.c>`
/// makes the parse of a unit whose file has that basename crash (SIGSEGV, as a libclang crash
/// would) or hang forever, so the tests of `--unit-timeout` and of the worker processes can
/// provoke what a real libclang bug does. It is read only here, on the parse path, and does nothing when unset.
enum FaultInjection {
  /// A fault to provoke.
  enum Fault: String {
    case crash, hang
  }

  /// The faults by file basename, read once from the environment.
  static let faults: [String: Fault] = {
    guard let raw = getenv("SEVER_FAULT_INJECTION") else { return [:] }
    var faults: [String: Fault] = [:]
    for item in String(cString: raw).split(separator: ",") {
      let parts = item.split(separator: ":", maxSplits: 1)
      guard parts.count == 2, let fault = Fault(rawValue: String(parts[0])) else { continue }
      faults[String(parts[1])] = fault
    }
    return faults
  }()

  /// Crashes or hangs when a fault is set for `path`'s basename; returns otherwise.
  static func apply(path: String) {
    guard !faults.isEmpty else { return }
    let basename = path.split(separator: "/").last.map(String.init) ?? path
    switch faults[basename] {
    case .crash:
      raise(SIGSEGV)
      // Someone handled SIGSEGV and returned: still die as a crash would.
      abort()
    case .hang:
      while true { sleep(3600) }
    case nil:
      return
    }
  }
}
