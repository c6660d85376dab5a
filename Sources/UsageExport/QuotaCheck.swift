import Foundation
import TTID
import UsageCore

/// Whether today's remaining daily quota of the calling app key covers a run (`plan --check-quota`, and
/// `export` before a run that needs more than a tenth of the quota).
///
/// TT has no quota endpoint: the check is one `GET /keyusage` for the caller's own app key (TT_APP_KEY) and
/// its user (`--user-id`) for today, whose pair is the quota used so far and the quota left. That call counts
/// against the quota too.
public struct QuotaCheck: Sendable {
    /// Today's figures of the calling key, as the service reported them.
    public struct Reading: Equatable, Sendable {
        public var used: Int
        /// `nil` when the service reports no remaining figure.
        public var remaining: Int?

        public init(used: Int, remaining: Int?) {
            self.used = used
            self.remaining = remaining
        }
    }

    public var today: Day
    /// The key's daily quota by its usage plan (`--plan`), used when the answer gives no remaining figure.
    public var dailyQuota: Int

    /// The note when the check cannot be made because no user is named.
    public static let skipped =
        "quota check skipped: give --user-id (the TT user of TT_APP_KEY) to read today's remaining quota"

    public init(today: Day, dailyQuota: Int) {
        self.today = today
        self.dailyQuota = dailyQuota
    }

    /// Reads today's usage of the caller's own key: one keyusage call. `nil` when the answer holds no day.
    public func read(_ client: TTIDClient, appKey: String, userId: String) async throws -> Reading? {
        let series = try await client.keyUsage(
            appKey: appKey, userId: userId, startDate: today.description, endDate: today.description)
        let day = series.days.last { $0.date == today.description } ?? series.days.last { $0.date == nil }
        return day.map { Reading(used: $0.used, remaining: $0.remaining) }
    }

    /// Lines that say whether `calls` (the run's keyusage calls and its token call) fit in what is left today,
    /// and if not, how many days the run needs.
    public func verdict(_ reading: Reading?, calls: Int) -> [String] {
        guard let reading else {
            return ["quota check: the service reports no usage for the calling key today (\(today) UTC)"]
        }
        let remaining = reading.remaining ?? max(0, dailyQuota - reading.used)
        let limit = reading.remaining.map { reading.used + $0 } ?? dailyQuota
        let source = reading.remaining == nil ? " (by the plan's quota of \(dailyQuota))" : ""
        var lines = [
            "quota today (\(today) UTC): the calling key has used \(reading.used), "
                + "\(remaining) remain\(source)"
        ]
        if calls <= remaining {
            lines.append(
                "quota check: the \(calls) calls fit in today's remaining quota "
                    + "(\(remaining - calls) left after them)")
        } else {
            let perDay = max(1, limit)
            let days = 1 + (calls - remaining + perDay - 1) / perDay
            lines.append(
                "quota check: the \(calls) calls do not fit in today's remaining "
                    + "\(remaining); the run needs \(days) days (\(remaining) today, then "
                    + "\(perDay) a day from 00:00 UTC): run it with --store to go on each day, or "
                    + "--wait-for-quota")
        }
        return lines
    }

    /// Whether `export` checks on its own: the run needs more than a tenth of the daily quota.
    public static func worthChecking(calls: Int, dailyQuota: Int) -> Bool { calls * 10 > dailyQuota }
}
