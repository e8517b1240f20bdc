import Foundation
import SeverSupport
import Testing

/// Writes `value` to the cache file `file` and expects it read back, equal values written as
/// equal bytes, and the file refused when cut short anywhere (the binary caches' codecs).
func expectWholeRoundTrip<T: Equatable>(
  _ value: T, in file: String, encode: (T) -> Data, read: (String) -> T?
) {
  #expect(CacheFile.write(encode(value), to: file))
  #expect(read(file) == value)
  #expect(encode(value) == encode(value), "equal values are equal bytes")
  let bytes = encode(value)
  for length in stride(from: 0, to: bytes.count, by: 5) {
    #expect(CacheFile.write(bytes.prefix(length), to: file))
    #expect(read(file) == nil, "cut to \(length) bytes")
  }
}
