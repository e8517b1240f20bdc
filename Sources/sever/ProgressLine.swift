import Foundation
import Synchronization

/// A progress line on stderr for long runs: units done/total, rate and time left. Drawn only on
/// a terminal, never in CI or pipes, and only once a run has taken two seconds.
final class ProgressLine: Sendable {
  private struct State {
    var lastDraw: TimeInterval = 0
    var drawn = false
  }

  private let start = Date()
  private let state = Mutex(State())

  /// A progress line when stderr is a terminal and `CI` is not set; nil otherwise.
  static func make() -> ProgressLine? {
    guard isatty(2) != 0, ProcessInfo.processInfo.environment["CI"] == nil else { return nil }
    return ProgressLine()
  }

  /// Reports that `done` of `total` units are finished.
  func update(_ done: Int, _ total: Int) {
    let elapsed = Date().timeIntervalSince(start)
    let line: String? = state.withLock { state in
      guard elapsed >= 2, elapsed - state.lastDraw >= 0.5 || done == total else { return nil }
      state.lastDraw = elapsed
      state.drawn = true
      let rate = Double(done) / max(elapsed, 0.001)
      let left = rate > 0 ? Int(Double(total - done) / rate) : 0
      return String(
        format: "\rsever: %d/%d units, %.1f/s, about %dm%02ds left ", done, total, rate,
        left / 60, left % 60)
    }
    if let line { FileHandle.standardError.write(Data(line.utf8)) }
  }

  /// Clears the line, if one was drawn.
  func finish() {
    if state.withLock({ $0.drawn }) {
      FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
  }
}
