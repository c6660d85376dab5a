/// A kind of key the sandbox can be told to play, for tests of the quota audit: each tells a different story in
/// its daily figures. Days are `YYYY-MM-DD`; a key's figures still depend only on the seed, the key and the day.
public enum SandboxKeyProfile: Sendable, Hashable {
    /// The default model, chosen by the key's hash (``SandboxUsageModel``).
    case model
    /// Random daily usage within the plan: a level of 20–60% of the limit (by the key's hash) with quiet weekends
    /// and noise, zero calls on about one day in twelve, the whole limit on about one day in forty.
    case ordinary
    /// About `share` of the limit every day, ±15% (a key on a plan far larger than it needs, at 0.1).
    case steady(share: Double)
    /// At quota on about `share` of the days, 85–99% of the limit on the others.
    case atQuota(share: Double)
    /// Between `before.lowerBound` and `before.upperBound` calls a day before `day`, the whole limit from `day`
    /// on (a leaked key, a runaway program).
    case jump(day: String, before: ClosedRange<Int>)
    /// No call at all.
    case silent
    /// The daily limit becomes `limit` from `day` on (a plan change); `share` of the day's limit is used.
    case limitChange(day: String, limit: Int, share: Double)
    /// No call before `day`, then `share` of the limit (a key that is new in the range).
    case startsOn(day: String, share: Double)
    /// Idle on about half the days (no call, or a handful), busy on the rest with anywhere from a tenth of
    /// `share` of the limit to all of it: a key whose median is near zero and whose busy days are its usual.
    case idleHalf(share: Double)
    /// The ordinary pattern at about `share` of the limit (quiet weekends, noise, the odd day without a call),
    /// `factor` times that from `day` on, never above the limit (a leak that stays under the quota).
    case leak(day: String, share: Double, factor: Double)
}
