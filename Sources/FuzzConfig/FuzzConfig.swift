import FuzzSupport
import SeverConfiguration

/// `fuzz-config`: libFuzzer inputs (`make fuzz`) or replayed files to the .sever.yml reader.
@main enum FuzzConfig {
  static func main() { FuzzDriver.run(name: "fuzz-config", fuzzOneInput) }
}

private func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let text = FuzzDriver.text(data, size)
  if let configuration = try? Configuration.parse(text, file: "/fuzz/.sever.yml") {
    try? configuration.validate(knownRules: ["kernfs-poll-head-lifetime"])
    for path in ["drivers/demo/a.c", "fuzz/x/y_test.c", ""] {
      _ = configuration.isExcluded(path, root: "/")
    }
  }
  return 0
}
