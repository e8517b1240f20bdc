/// The tool's version, printed by `sever --version` and written into SARIF and JSON reports.
public enum SeverVersion {
  /// The current version.
  public static let current = "0.1.0"
}
