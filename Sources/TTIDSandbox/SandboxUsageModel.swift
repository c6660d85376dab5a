/// The sandbox's deterministic daily usage numbers.
///
/// A key's figures for a day depend only on the seed, the key and the day, so they are the same however a range
/// is cut into chunks, and tests can compute what the service must answer without any HTTP.
///
/// Keys fall into three profiles by their hash: about 15% are mostly dormant (0 on most days), about 15% run near
/// their limit (some weekdays with nothing remaining), the rest use a share of the limit with a weekly pattern
/// (quiet weekends) and day-to-day noise.
public enum SandboxUsageModel {
    /// The calls counted and the quota remaining for a key on a whole UTC day.
    ///
    /// - Parameters:
    ///   - appKey: The application key, exactly as asked (case matters).
    ///   - day: The UTC day, `YYYY-MM-DD`. Another string still gives stable numbers, without the weekly pattern.
    ///   - seed: The sandbox's ``SandboxConfiguration/seed``.
    ///   - dailyLimit: The key's usage-plan limit per day.
    /// - Returns: `used` in `0...dailyLimit` and `remaining == dailyLimit - used` (both 0 when the limit is not
    ///   positive).
    public static func usage(
        appKey: String,
        day: String,
        seed: UInt64,
        dailyLimit: Int = 10_000
    ) -> (used: Int, remaining: Int) {
        guard dailyLimit > 0 else { return (0, 0) }
        let keyBits = SandboxHash.of(seed: seed, "key", appKey)
        let dayBits = SandboxHash.of(seed: seed, "day", appKey, day)
        let noise = SandboxRandom.unit(dayBits)
        let weekday = SandboxDay(day)?.weekday
        let weekend = weekday.map { $0 >= 5 } ?? false
        let limit = Double(dailyLimit)
        let used: Int
        switch keyBits % 100 {
        case 0..<15:
            // Dormant: a handful of calls on about one day in ten.
            used = dayBits % 10 == 0 ? 1 + Int((dayBits >> 8) % 40) : 0
        case 15..<30:
            // Near the limit: a third of the weekdays spend it all.
            if weekend {
                used = Int(limit * (0.25 + 0.2 * noise))
            } else if (dayBits >> 5) % 3 == 0 {
                used = dailyLimit
            } else {
                used = Int(limit * (0.8 + 0.19 * noise))
            }
        default:
            let level = 0.05 + 0.55 * SandboxRandom.unit(SandboxRandom.mix(keyBits))
            let weekly: [Double] = [1.0, 1.05, 1.1, 1.0, 0.85, 0.25, 0.15]
            let factor = weekday.map { weekly[$0] } ?? 1
            used = Int(limit * level * factor * (0.7 + 0.6 * noise))
        }
        let clamped = min(max(used, 0), dailyLimit)
        return (clamped, dailyLimit - clamped)
    }
}
