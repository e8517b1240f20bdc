import FuzzSupport
import Kbuild

/// `fuzz-makefile`: libFuzzer inputs (`make fuzz`) or replayed files to the kbuild Makefile reader.
@main enum FuzzMakefile {
  static func main() { FuzzDriver.run(name: "fuzz-makefile", fuzzOneInput) }
}

private func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let text = FuzzDriver.text(data, size)
  _ = KbuildTextReaders.readMakefile(text)
  return 0
}
