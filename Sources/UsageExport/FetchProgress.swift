import Foundation
import Synchronization
import TTID
import UsageCore

/// Counters of a running export, updated by the fetchers and read by a progress display.
public final class FetchProgress: Sendable {
    /// A consistent reading of the counters.
    public struct Snapshot: Sendable, Hashable {
        public var planned: Int
        public var done: Int
        /// Every retry: after a fault and after a throttle.
        public var retries: Int
        public var failures: Int
        public var elapsed: Double
        /// The retries that followed a throttle (429 Too Many Requests), a part of `retries`.
        public var throttles = 0
        /// The calls a second the client paces at now; `nil` while unpaced.
        public var pacingRate: Double?
        /// While the run waits for the daily quota: when it goes on.
        public var waitingUntil: Date?

        /// The retries that followed a fault (5xx, a dropped connection, a malformed answer).
        public var faults: Int { max(0, retries - throttles) }

        /// Calls a second so far.
        public var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }

        /// Seconds left at the rate so far, when known.
        public var remaining: Double? {
            guard done > 0, rate > 0 else { return nil }
            return Double(max(0, planned - done)) / rate
        }

        /// `calls 120/400 · 2.9/s · retries 3 · throttled 5 · pacing 7.0/s · failures 1 · 1m 36s left`
        public var line: String { line(width: nil) }

        /// The line in at most `width` characters: the parts that say least go first (pacing, throttles,
        /// retries, failures), then the line is cut. A line wider than its terminal wraps, and each redraw then
        /// leaves a line behind.
        public func line(width: Int?) -> String {
            var parts: [(text: String, keep: Int)] = [
                ("calls \(done)/\(planned)", 0), (String(format: "%.1f/s", rate), 2), ("retries \(faults)", 3),
                ("throttled \(throttles)", 4),
            ]
            if let pacingRate { parts.append((String(format: "pacing %.1f/s", pacingRate), 5)) }
            parts.append(("failures \(failures)", 1))
            if let waitingUntil {
                parts.append(("quota spent: waiting until \(Self.utc.string(from: waitingUntil)) UTC", 0))
            } else if let remaining {
                parts.append(("\(ExportPlan.formatDuration(remaining)) left", 0))
            }
            func joined() -> String { parts.map(\.text).joined(separator: " · ") }
            guard let width, width > 0 else { return joined() }
            while joined().count > width,
                let drop = parts.indices.filter({ parts[$0].keep > 0 }).max(by: {
                    parts[$0].keep < parts[$1].keep
                })
            {
                parts.remove(at: drop)
            }
            let text = joined()
            return text.count > width ? String(text.prefix(max(0, width - 1))) + "…" : text
        }

        /// `2026-12-04 00:01`.
        public static let utc: DateFormatter = {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd HH:mm"
            return formatter
        }()
    }

    private struct State {
        var planned = 0
        var done = 0
        var retries = 0
        var failures = 0
        var throttles = 0
        var pacingRate: Double?
        var waitingUntil: Date?
    }

    private let state = Mutex(State())
    /// Time since the run began (a test's own clock, or the process's).
    private let clock: PacingClock

    public init(planned: Int = 0, clock: PacingClock = .continuous) {
        self.clock = clock
        state.withLock { $0.planned = planned }
    }

    public func setPlanned(_ count: Int) { state.withLock { $0.planned = count } }
    public func callDone() { state.withLock { $0.done += 1 } }
    /// A call that will not be made (its key already failed).
    public func callSkipped() { state.withLock { $0.planned -= 1 } }
    /// `count` calls more than planned (a chunk cut into pieces after the service refused its range).
    public func callsAdded(_ count: Int) { state.withLock { $0.planned += count } }
    /// A call that ended in a spent quota and will be made again after the wait.
    public func callRequeued() { state.withLock { $0.done -= 1 } }
    public func retried() { state.withLock { $0.retries += 1 } }
    /// A retry after a throttle (counted in `retries` too).
    public func throttled() {
        state.withLock {
            $0.retries += 1
            $0.throttles += 1
        }
    }
    public func keyFailed() { state.withLock { $0.failures += 1 } }
    /// The rate the pacer uses now.
    public func setPacingRate(_ rate: Double?) { state.withLock { $0.pacingRate = rate } }
    /// The run waits for the quota until `date`; `nil` when it goes on.
    public func setWaiting(until date: Date?) { state.withLock { $0.waitingUntil = date } }

    public var snapshot: Snapshot {
        let seconds = clock.elapsed() / .seconds(1)
        return state.withLock {
            Snapshot(
                planned: $0.planned, done: $0.done, retries: $0.retries, failures: $0.failures, elapsed: seconds,
                throttles: $0.throttles, pacingRate: $0.pacingRate, waitingUntil: $0.waitingUntil)
        }
    }
}
