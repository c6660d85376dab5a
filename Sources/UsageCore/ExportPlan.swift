import Foundation

/// What an export will fetch: every key's range cut into chunks, known before a single call.
public struct ExportPlan: Sendable, Hashable {
    /// The most days one keyusage call may cover (AWS GetUsage's limit).
    public static let maxChunkDays = 90

    public let keys: [KeyEntry]
    public let range: DayRange
    public let chunkDays: Int
    /// The chunks of the range, in date order; the last takes what is left.
    public let chunks: [DayRange]

    public init(keys: [KeyEntry], range: DayRange, chunkDays: Int = maxChunkDays) throws(PlanError) {
        guard (1...Self.maxChunkDays).contains(chunkDays) else {
            throw PlanError("--chunk-days \(chunkDays) is outside 1…\(Self.maxChunkDays)")
        }
        self.keys = keys
        self.range = range
        self.chunkDays = chunkDays
        self.chunks = range.chunks(of: chunkDays)
    }

    /// The range a billing export fetches for `asked`: widened by the calendar month before it when
    /// `previousMonth` and `asked` starts on a 1st (month over month), else `asked` itself.
    public static func fetchRange(for asked: DayRange, previousMonth: Bool) -> DayRange {
        guard previousMonth, let before = PreviousMonth.range(before: asked) else { return asked }
        return DayRange(uncheckedFrom: before.from, to: asked.to)
    }

    /// keyusage calls: keys × ⌈days / chunk-days⌉ (token calls apart).
    public var calls: Int { keys.count * chunks.count }

    /// The time the calls take at `rate` calls a second, or `nil` when unpaced.
    public func duration(atRate rate: Double) -> Double? {
        guard rate > 0 else { return nil }
        return Double(calls) / rate
    }

    /// The share of one day's quota the calls use.
    public func quotaShare(dailyQuota: Int) -> Double {
        dailyQuota > 0 ? Double(calls) / Double(dailyQuota) : 0
    }

    /// The plan as a few lines for people.
    public func summary(rate: Double, dailyQuota: Int, callsNeeded: Int? = nil) -> String {
        let calls = callsNeeded ?? self.calls
        var lines = [
            "keys: \(keys.count), range: \(range.from) to \(range.to) (\(range.count.counted("day"))), "
                + "chunks of \(chunkDays.counted("day")): \(chunks.count) per key",
            "keyusage calls: \(calls) (token calls apart)",
        ]
        if rate > 0 {
            lines.append("time at \(Self.format(rate)) calls/s: \(Self.formatDuration(Double(calls) / rate))")
        } else {
            lines.append("time: unpaced (--rate 0)")
        }
        let share = dailyQuota > 0 ? Double(calls) / Double(dailyQuota) * 100 : 0
        lines.append("share of the daily quota (\(dailyQuota)): \(String(format: "%.1f", share))%")
        if calls > dailyQuota {
            lines.append("warning: the plan needs more calls than one day's quota; it will stop with exit 75")
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ rate: Double) -> String {
        rate == rate.rounded() ? String(Int(rate)) : String(format: "%.2f", rate)
    }

    /// `1h 02m 03s`, `2m 05s`, `4.2s`.
    public static func formatDuration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "unknown" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds.rounded())
        let (h, m, s) = (whole / 3600, whole % 3600 / 60, whole % 60)
        return h > 0 ? String(format: "%dh %02dm %02ds", h, m, s) : String(format: "%dm %02ds", m, s)
    }
}

/// A plan option with a bad value (exit 64).
public struct PlanError: CategorizedError, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var category: ExitCategory { .usage }
    public var description: String { message }
}
