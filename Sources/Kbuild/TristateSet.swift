import SeverCore

/// A set of tristate values: the values a symbol or an expression can take across all
/// configurations of one architecture (over-approximated, each symbol taken independently).
public struct TristateSet: Hashable, Sendable, CustomStringConvertible {
  /// Bit 0 = n, bit 1 = m, bit 2 = y.
  public private(set) var bits: UInt8

  /// Creates a set from its bit pattern.
  public init(bits: UInt8) { self.bits = bits & 7 }

  /// Creates a set from values.
  public init(_ values: [Tristate]) {
    var bits: UInt8 = 0
    for value in values { bits |= Self.bit(value) }
    self.bits = bits
  }

  /// The empty set (not yet computed, or infeasible).
  public static let none = TristateSet(bits: 0)
  /// Every value.
  public static let all = TristateSet(bits: 7)
  /// `{n, y}`: what a boolean or an undecidable comparison can be.
  public static let boolean = TristateSet(bits: 5)

  private static func bit(_ value: Tristate) -> UInt8 {
    switch value {
    case .n: 1
    case .m: 2
    case .y: 4
    }
  }

  /// Whether the set holds `value`.
  public func contains(_ value: Tristate) -> Bool { bits & Self.bit(value) != 0 }
  /// Whether the set is empty.
  public var isEmpty: Bool { bits == 0 }
  /// The members, from n to y.
  public var values: [Tristate] { Tristate.allCases.filter(contains) }

  /// Set union.
  public func union(_ other: TristateSet) -> TristateSet { TristateSet(bits: bits | other.bits) }
  /// Set intersection.
  public func intersection(_ other: TristateSet) -> TristateSet {
    TristateSet(bits: bits & other.bits)
  }

  /// Applies a binary tristate operation to every pair of members.
  public func combine(_ other: TristateSet, _ op: (Tristate, Tristate) -> Tristate) -> TristateSet {
    var out: [Tristate] = []
    for a in values { for b in other.values { out.append(op(a, b)) } }
    return TristateSet(out)
  }

  /// Applies a unary operation to every member.
  public func map(_ op: (Tristate) -> Tristate) -> TristateSet { TristateSet(values.map(op)) }

  /// `{n, m, y}` as a compact string, e.g. `{m,y}`.
  public var description: String {
    "{" + values.map(\.rawValue).joined(separator: ",") + "}"
  }
}
