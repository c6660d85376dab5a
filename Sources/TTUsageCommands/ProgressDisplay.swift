import Foundation
import UsageCore
import UsageExport

/// Shows an export's progress on standard error: a live line on a terminal, one summary line otherwise,
/// nothing when quiet.
final class ProgressDisplay: Sendable {
    let progress: FetchProgress
    let quiet: Bool
    let live: Bool
    private let ticker: Task<Void, Never>?

    init(progress: FetchProgress, quiet: Bool) {
        self.progress = progress
        self.quiet = quiet
        self.live = !quiet && StandardError.isTerminal
        if live {
            ticker = Task {
                while !Task.isCancelled {
                    // One column short of the width: a line that fills the last column wraps on some terminals.
                    let width = StandardError.columns.map { $0 - 1 }
                    StandardError.write("\r\u{1B}[K" + progress.snapshot.line(width: width))
                    try? await Task.sleep(for: .milliseconds(250))
                }
            }
        } else {
            ticker = nil
        }
    }

    /// Stops the live line and says that no connection to `service` could be made: no call was answered.
    func finishUnreached(_ service: String) {
        ticker?.cancel()
        guard !quiet else { return }
        let snapshot = progress.snapshot
        StandardError.write(
            (live ? "\r\u{1B}[K" : "") + "stopped: the service at \(service) was not reached "
                + "(no call answered, \((snapshot.done + snapshot.faults).counted("attempt")) in "
                + "\(ExportPlan.formatDuration(snapshot.elapsed)))\n")
    }

    /// Stops the live line and prints the summary.
    func finish(_ outcome: String) {
        ticker?.cancel()
        guard !quiet else { return }
        let snapshot = progress.snapshot
        func count(_ value: Int, _ one: String, _ many: String) -> String { "\(value) \(value == 1 ? one : many)" }
        let pacing = snapshot.pacingRate.map { String(format: " (pacing %.1f/s at the end)", $0) } ?? ""
        let summary =
            "\(outcome): \(count(snapshot.done, "call", "calls")), \(count(snapshot.faults, "retry", "retries")) after faults, "
            + "\(count(snapshot.throttles, "throttle", "throttles"))\(pacing), "
            + "\(count(snapshot.failures, "key", "keys")) failed in \(ExportPlan.formatDuration(snapshot.elapsed))"
        StandardError.write((live ? "\r\u{1B}[K" : "") + summary + "\n")
    }
}
