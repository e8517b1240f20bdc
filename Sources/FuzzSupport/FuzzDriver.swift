import Foundation

#if FUZZING
  import CFuzzDriver
#endif

/// The `main` of every fuzz target. SwiftPM links an executable's entry point under its own
/// name, so libFuzzer's `main` cannot be used; `main` starts libFuzzer's driver instead.
public enum FuzzDriver {
  /// One input to the reader under test; a crash or a hang is a bug in the reader.
  public typealias Entry = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

  /// Built by `make fuzz` (`-DFUZZING -sanitize=fuzzer`): runs libFuzzer with the command-line
  /// flags. In a plain build: feeds each file named on the command line to `entry` once, which
  /// replays a crash the fuzzer saved (`.build/debug/fuzz-patch crash-…`).
  public static func run(name: String, _ entry: Entry) -> Never {
    #if FUZZING
      var argc = CommandLine.argc
      var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
      exit(LLVMFuzzerRunDriver(&argc, &argv, entry))
    #else
      for path in CommandLine.arguments.dropFirst() {
        guard let data = FileManager.default.contents(atPath: path) else {
          FileHandle.standardError.write(Data("\(name): cannot read '\(path)'\n".utf8))
          exit(2)
        }
        _ = [UInt8](data).withUnsafeBufferPointer { entry($0.baseAddress, $0.count) }
      }
      exit(0)
    #endif
  }

  /// The input as text, decoded leniently as the readers decode files.
  public static func text(_ data: UnsafePointer<UInt8>?, _ size: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  }
}
