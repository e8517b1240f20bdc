import FuzzSupport
import Review

/// `fuzz-patch`: libFuzzer inputs (`make fuzz`) or replayed files to the patch and mbox reader.
@main enum FuzzPatch {
  static func main() { FuzzDriver.run(name: "fuzz-patch", fuzzOneInput) }
}

private func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let text = FuzzDriver.text(data, size)
  _ = try? PatchParser.parse(text, name: "fuzz")
  return 0
}
