import CClang

extension CXString {
  /// Copies the string out and disposes of the CXString, which libclang requires of every
  /// CXString it hands out (SourceKitten leaks here; we must not).
  func consume() -> String {
    defer { clang_disposeString(self) }
    guard let cString = clang_getCString(self) else { return "" }
    return String(cString: cString)
  }
}
