import Foundation
import UsageCore

/// The projected calls of a month in progress, for one key or the total.
///
/// The method: of the days of the month, those the service reported as settled (`ok`) are known. Every other
/// day of the month (today, whose figure still grows, the days to come, and days not reported) is expected to
/// take the mean of the key's last (up to) 28 settled days of the range. The range given beside it takes, for
/// those days, the 10th and the 90th percentile of the same days. Days at quota to come are the same share of
/// them as of those 28 days. The total is the sum of the keys.
public struct UsageForecast: Sendable, Hashable {
    /// Settled days the daily rate is taken from.
    public static let sampleDays = 28

    /// The month, `YYYY-MM`.
    public var month: String
    public var daysInMonth: Int
    /// Settled days of the month so far.
    public var daysSettled: Int
    /// Calls of the month's reported days so far (today's provisional figure included).
    public var callsSoFar: Int
    /// Calls of the month's settled days.
    public var settledCalls: Int
    public var daysAtQuotaSoFar: Int
    /// Projected calls of the whole month; `nil` when the key has no settled day to take a rate from.
    public var projectedCalls: Int?
    public var projectedLow: Int?
    public var projectedHigh: Int?
    public var projectedDaysAtQuota: Int?

    /// The forecast of one key's days when `range` ends in the month of `today`; `nil` otherwise.
    public static func make(days: [DayUsage], range: DayRange, today: Day) -> UsageForecast? {
        let (year, month, _) = today.components
        guard let whole = DayRange(year: year, month: month), whole.contains(range.to) else { return nil }
        var settled: [Int] = []
        var settledAtQuota: [Bool] = []
        var settledAtQuotaInMonth = 0
        var forecast = UsageForecast(
            month: String(format: "%04d-%02d", year, month), daysInMonth: whole.count, daysSettled: 0,
            callsSoFar: 0, settledCalls: 0, daysAtQuotaSoFar: 0)
        for day in days where day.status != .missing {
            guard let used = day.used else { continue }
            let atQuota = day.remaining == 0
            if whole.contains(day.date) {
                forecast.callsSoFar += used
                if atQuota { forecast.daysAtQuotaSoFar += 1 }
            }
            guard day.status == .ok, day.date < today else { continue }
            settled.append(used)
            settledAtQuota.append(atQuota)
            if whole.contains(day.date) {
                forecast.daysSettled += 1
                forecast.settledCalls += used
                if atQuota { settledAtQuotaInMonth += 1 }
            }
        }
        let sample = Array(settled.suffix(sampleDays))
        guard !sample.isEmpty else { return forecast }
        // In decimal, rounded once per figure: the same projection whatever the platform's doubles do.
        let open = Decimal(whole.count - forecast.daysSettled)
        let count = Decimal(sample.count)
        let mean = Decimal(sample.reduce(0, +)) / count
        let sorted = sample.sorted()
        func percentile(_ p: Decimal) -> Decimal {
            // Linear interpolation between the closest ranks.
            let position = p * Decimal(sorted.count - 1)
            let lower = integer(position, .down)
            let upper = min(lower + 1, sorted.count - 1)
            let weight = position - Decimal(lower)
            return Decimal(sorted[lower]) * (1 - weight) + Decimal(sorted[upper]) * weight
        }
        let quotaDays = Decimal(settledAtQuota.suffix(sampleDays).filter { $0 }.count)
        forecast.projectedCalls = forecast.settledCalls + integer(mean * open, .plain)
        forecast.projectedLow = forecast.settledCalls + integer(percentile(Decimal(1) / 10) * open, .down)
        forecast.projectedHigh = forecast.settledCalls + integer(percentile(Decimal(9) / 10) * open, .up)
        forecast.projectedDaysAtQuota = settledAtQuotaInMonth + integer(quotaDays * open / count, .plain)
        return forecast
    }

    /// `value` rounded to a whole number in `mode`.
    static func integer(_ value: Decimal, _ mode: NSDecimalNumber.RoundingMode) -> Int {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, 0, mode)
        return NSDecimalNumber(decimal: result).intValue
    }

    /// The sum of several keys' forecasts of one month (projections summed over the keys that have one).
    public static func total(_ forecasts: [UsageForecast]) -> UsageForecast? {
        guard var total = forecasts.first else { return nil }
        func sum(_ path: KeyPath<UsageForecast, Int?>) -> Int? {
            let values = forecasts.compactMap { $0[keyPath: path] }
            return values.isEmpty ? nil : values.reduce(0, +)
        }
        total.daysSettled = forecasts.map(\.daysSettled).max() ?? 0
        total.callsSoFar = forecasts.map(\.callsSoFar).reduce(0, +)
        total.settledCalls = forecasts.map(\.settledCalls).reduce(0, +)
        total.daysAtQuotaSoFar = forecasts.map(\.daysAtQuotaSoFar).reduce(0, +)
        total.projectedCalls = sum(\.projectedCalls)
        total.projectedLow = sum(\.projectedLow)
        total.projectedHigh = sum(\.projectedHigh)
        total.projectedDaysAtQuota = sum(\.projectedDaysAtQuota)
        return total
    }
}
