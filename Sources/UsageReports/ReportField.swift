/// A value a template table can show as a column, sort by or subtotal on.
///
/// Dimensions name a row's group (its key, label or period); measures aggregate the days of the group.
enum ReportField: String, CaseIterable, Sendable, Hashable {
    // Dimensions.
    case label
    case appKey = "app_key"
    case userId = "user_id"
    case status
    case failureReason = "failure_reason"
    case date
    case isoWeek = "iso_week"
    case month
    case periodStart = "period_start"
    case periodEnd = "period_end"
    // Measures.
    case keys
    case keysFailed = "keys_failed"
    case used
    case daysReported = "days_reported"
    case daysOk = "days_ok"
    case daysProvisional = "days_provisional"
    case daysMissing = "days_missing"
    case meanPerDay = "mean_per_day"
    case peakUsed = "peak_used"
    case peakDate = "peak_date"
    case daysAtQuota = "days_at_quota"
    case daysAboveThreshold = "days_above_threshold"
    case meanUtilisation = "mean_utilisation"
    case peakUtilisation = "peak_utilisation"
    case minRemaining = "min_remaining"
    case dormant
    case flags

    /// What grouping a field needs to have a value.
    enum Requirement: Equatable {
        /// Rows grouped by key.
        case key
        /// Rows grouped by key or by label.
        case keyOrLabel
        /// Rows grouped by this period.
        case period(TableSpec.Period)
        /// Rows grouped by any period.
        case anyPeriod
    }

    /// The type of the field's cells.
    var type: CellType {
        switch self {
        case .label, .appKey, .userId, .status, .failureReason, .isoWeek, .month, .dormant, .flags: .text
        case .date, .periodStart, .periodEnd, .peakDate: .date
        case .meanPerDay: .decimal
        case .meanUtilisation, .peakUtilisation: .percent
        case .keys, .keysFailed, .used, .daysReported, .daysOk, .daysProvisional, .daysMissing, .peakUsed,
            .daysAtQuota, .daysAboveThreshold, .minRemaining:
            .integer
        }
    }

    /// Whether the field names a row's group rather than aggregating its days.
    var isDimension: Bool { requirement != nil }

    /// The grouping the field needs, or `nil` for a measure that any group has.
    var requirement: Requirement? {
        switch self {
        case .appKey, .userId, .status, .failureReason: .key
        case .label: .keyOrLabel
        case .date: .period(.day)
        case .isoWeek: .period(.isoWeek)
        case .month: .period(.month)
        case .periodStart, .periodEnd: .anyPeriod
        default: nil
        }
    }
}
