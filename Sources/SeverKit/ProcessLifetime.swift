/// Values a process that is about to exit keeps instead of freeing (`CheckOptions.endsProcess`).
public enum ProcessLifetime {
  private final class Box<Value> {
    let value: Value
    init(_ value: Value) { self.value = value }
  }

  /// Keeps `value` alive until the process exits: one reference is taken and never given back.
  public static func keep<Value>(_ value: Value) {
    _ = Unmanaged.passRetained(Box(value))
  }
}
