/// A small, stable, dependency-free hash for fingerprints: two FNV-1a 64-bit passes over the
/// UTF-8 bytes with different offset bases, printed as 32 lowercase hex digits (the length of
/// an MD5, which GitLab and SARIF consumers expect). Not cryptographic: it names findings, it
/// does not defend against anyone.
public enum StableHash {
  /// The 128-bit hash of `text` as 32 hex digits.
  public static func hex(_ text: String) -> String {
    let bytes = Array(text.utf8)
    return hex64(fnv1a(bytes, basis: 0xcbf2_9ce4_8422_2325))
      + hex64(fnv1a(bytes, basis: 0x6c62_272e_07bb_0142))
  }

  /// The identity of a finding across line shifts: its path and its symbol fingerprint. The
  /// path is part of it because rules name static symbols, and two files may define the same
  /// static table name.
  public static func identityKey(path: String, fingerprint: String) -> String {
    "\(path)\n\(fingerprint)"
  }

  private static func fnv1a(_ bytes: [UInt8], basis: UInt64) -> UInt64 {
    var hash = basis
    for byte in bytes {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
  }

  private static func hex64(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
