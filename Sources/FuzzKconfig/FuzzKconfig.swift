import FuzzSupport
import Kbuild

/// `fuzz-kconfig`: libFuzzer inputs (`make fuzz`) or replayed files to the Kconfig reader.
@main enum FuzzKconfig {
  static func main() { FuzzDriver.run(name: "fuzz-kconfig", fuzzOneInput) }
}

private func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let text = FuzzDriver.text(data, size)
  _ = KbuildTextReaders.readKconfig(text)
  return 0
}
