import Foundation

/// One export or render as the store's run history keeps it: what ran, against what, how long and how it ended.
public struct RunRecord: Sendable, Hashable {
    public var started: Date
    public var finished: Date
    /// `export` or `render`.
    public var command: String
    public var environment: String
    /// The range asked, `YYYY-MM-DD`; empty when the run stopped before it was known.
    public var from: String
    public var to: String
    public var keys: Int
    /// keyusage calls answered.
    public var calls: Int
    /// Throttled answers (429 Too Many Requests).
    public var throttled: Int
    public var exitCode: Int32
    /// The output folder.
    public var out: String

    public init(
        started: Date, finished: Date, command: String, environment: String, from: String, to: String, keys: Int,
        calls: Int, throttled: Int, exitCode: Int32, out: String
    ) {
        self.started = started
        self.finished = finished
        self.command = command
        self.environment = environment
        self.from = from
        self.to = to
        self.keys = keys
        self.calls = calls
        self.throttled = throttled
        self.exitCode = exitCode
        self.out = out
    }

    /// Whether the run wrote its report: exit 0, or 2 or 3 (a report with refused keys or alerts).
    public var wroteReport: Bool { [0, 2, 3].contains(exitCode) }
}
