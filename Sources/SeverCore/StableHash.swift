/// A small, stable, dependency-free hash for fingerprints and cache keys (Swift's `Hasher` is
/// seeded per process): two FNV-1a 64-bit passes over the UTF-8 bytes with different offset bases, each finished with MurmurHash3's `fmix64` (FNV-1a
/// alone barely changes the high bits when only the last byte differs, so `…#0` and `…#1` would
/// look alike), printed as 32 lowercase hex digits (the length of an MD5, which GitLab and
/// SARIF consumers expect). Not cryptographic: it names findings, it defends against no one.
public enum StableHash {
  /// The 128-bit hash of `text` as 32 hex digits.
  public static func hex(_ text: String) -> String {
    let bytes = Array(text.utf8)
    return hex64(fmix64(fnv1a(bytes, basis: 0xcbf2_9ce4_8422_2325)))
      + hex64(fmix64(fnv1a(bytes, basis: 0x6c62_272e_07bb_0142)))
  }

  /// The hash of several strings, each ended by a NUL so that ("ab", "c") and ("a", "bc") differ.
  public static func hex(_ parts: [String]) -> String {
    hex(parts.map { $0 + "\u{0}" }.joined())
  }

  /// The identity of a finding across line shifts: its path and its symbol fingerprint. The
  /// path is part of it because rules name static symbols, and two files may define the same
  /// static table name.
  public static func identityKey(path: String, fingerprint: String) -> String {
    "\(path)\n\(fingerprint)"
  }

  /// One fingerprint per finding, in order: the hash of the path, the stable identity and the
  /// occurrence index among earlier findings with the same path and identity, so fingerprints
  /// are unique within a report yet survive line shifts. SARIF and GitLab share it.
  public static func fingerprints(_ findings: [Finding]) -> [String] {
    var occurrences: [String: Int] = [:]
    return findings.map { finding in
      let key = identityKey(path: finding.location.path, fingerprint: finding.fingerprint)
      let occurrence = occurrences[key, default: 0]
      occurrences[key] = occurrence + 1
      return hex("\(key)\n#\(occurrence)")
    }
  }

  /// FNV-1a 64 over bytes from an offset basis.
  public static func fnv1a(_ bytes: [UInt8], basis: UInt64) -> UInt64 {
    var hash = basis
    for byte in bytes {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
  }

  /// MurmurHash3's 64-bit finaliser: spreads every input bit over the whole word.
  public static func fmix64(_ value: UInt64) -> UInt64 {
    var k = value
    k ^= k >> 33
    k = k &* 0xff51_afd7_ed55_8ccd
    k ^= k >> 33
    k = k &* 0xc4ce_b9fe_1a85_ec53
    k ^= k >> 33
    return k
  }

  private static func hex64(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
