import Foundation
import Synchronization

/// Counters of a running export, updated by the fetchers and read by a progress display.
public final class FetchProgress: Sendable {
    /// A consistent reading of the counters.
    public struct Snapshot: Sendable, Hashable {
        public var planned: Int
        public var done: Int
        public var retries: Int
        public var failures: Int
        public var elapsed: Double

        /// Calls a second so far.
        public var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }

        /// Seconds left at the rate so far, when known.
        public var remaining: Double? {
            guard done > 0, rate > 0 else { return nil }
            return Double(max(0, planned - done)) / rate
        }

        /// `calls 120/400 · 2.9/s · retries 3 · failures 1 · 1m 36s left`
        public var line: String {
            var parts = ["calls \(done)/\(planned)", String(format: "%.1f/s", rate), "retries \(retries)",
                         "failures \(failures)"]
            if let remaining { parts.append("\(ExportPlan.formatDuration(remaining)) left") }
            return parts.joined(separator: " · ")
        }
    }

    private struct State {
        var planned = 0
        var done = 0
        var retries = 0
        var failures = 0
    }

    private let state = Mutex(State())
    private let started = ContinuousClock.now

    public init(planned: Int = 0) { state.withLock { $0.planned = planned } }

    public func setPlanned(_ count: Int) { state.withLock { $0.planned = count } }
    public func callDone() { state.withLock { $0.done += 1 } }
    /// A call that will not be made (its key already failed).
    public func callSkipped() { state.withLock { $0.planned -= 1 } }
    public func retried() { state.withLock { $0.retries += 1 } }
    public func keyFailed() { state.withLock { $0.failures += 1 } }

    public var snapshot: Snapshot {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return state.withLock { Snapshot(planned: $0.planned, done: $0.done, retries: $0.retries,
                                          failures: $0.failures, elapsed: seconds) }
    }
}
