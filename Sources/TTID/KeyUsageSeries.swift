/// One day's figures as the service reported them.
public struct UsageDatum: Hashable, Sendable {
    /// Calls counted against the usage plan.
    public var used: Int
    /// Quota left, when reported.
    public var remaining: Int?
    /// The day, when the body names it (`YYYY-MM-DD`); AWS's pairs do not, they run from `startDate` in order.
    public var date: String?

    public init(used: Int, remaining: Int?, date: String? = nil) {
        self.used = used
        self.remaining = remaining
        self.date = date
    }
}

/// The daily series of one key for one requested range.
public struct KeyUsageSeries: Hashable, Sendable {
    /// The days reported, in the order the body gave them; empty when the plan has no data for the range.
    public var days: [UsageDatum]
    /// Pages fetched to find the series (1 when the first answer held it).
    public var pages: Int
    /// A `position` that came with the series and was not followed, since the key's series was already whole.
    public var unfollowedPosition: String?
    /// The `startDate` the body itself states beside the series (AWS's wire format does), when it does; undated
    /// pairs run from this day, which need not be the day asked.
    public var statedStart: String?
    /// The `endDate` the body states, when it does.
    public var statedEnd: String?
    /// When `days` is empty because the last answer held series of other keys only (an answer for the whole usage
    /// plan, keyed by AWS's key ids), how many: those days are not known to be unused, and the caller should say so.
    public var otherKeysOnly = 0

    public init(
        days: [UsageDatum], pages: Int = 1, unfollowedPosition: String? = nil, statedStart: String? = nil,
        statedEnd: String? = nil
    ) {
        self.days = days
        self.pages = pages
        self.unfollowedPosition = unfollowedPosition
        self.statedStart = statedStart
        self.statedEnd = statedEnd
    }
}
