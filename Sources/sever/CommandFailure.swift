import ArgumentParser

/// How a command ends when it does not succeed. Commands throw it; `Sever.main` alone prints its
/// message on standard error and turns it into sever's exit status, so no command exits the
/// process itself.
struct CommandFailure: Error, Sendable {
  /// sever's exit statuses other than 0.
  enum Status: Int32, Sendable {
    /// Findings at warning level or above (`check`), or introduced (`review`).
    case findings = 1
    /// Bad usage or bad input: a message says what to change.
    case usage = 2
    /// sever itself failed; the message says what to report.
    case internalError = 3
    /// A unit asked for could not be parsed at all (`check`, unless `--allow-unparsed`).
    case unparsed = 4
  }

  /// The exit status.
  var status: Status
  /// What to print on standard error (as `sever: error: …`); nil prints nothing.
  var message: String?

  /// Findings were reported; the output already says which.
  static let findings = CommandFailure(status: .findings, message: nil)

  /// A usage or input error with a sentence the user can act on.
  static func usage(_ message: String) -> CommandFailure {
    CommandFailure(status: .usage, message: message)
  }

  /// A requested unit could not be parsed; the report (already printed) may miss findings.
  static func unparsed(_ message: String) -> CommandFailure {
    CommandFailure(status: .unparsed, message: message)
  }

  /// sever failed; the report (already printed) is incomplete.
  static func internalError(_ message: String) -> CommandFailure {
    CommandFailure(status: .internalError, message: message)
  }
}
