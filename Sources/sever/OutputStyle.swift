import ArgumentParser
import Foundation

/// `--color=auto|always|never`: whether the text output is coloured.
enum ColorChoice: String, CaseIterable, ExpressibleByArgument, Sendable {
  /// When the output is a terminal and `NO_COLOR` is unset.
  case auto
  /// Always, even into a pipe (`less -R`, CI logs that render ANSI).
  case always
  /// Never.
  case never

  /// Whether to colour what is written to `fileDescriptor`.
  func enabled(for fileDescriptor: Int32) -> Bool {
    switch self {
    case .always: true
    case .never: false
    case .auto:
      isatty(fileDescriptor) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
  }
}
