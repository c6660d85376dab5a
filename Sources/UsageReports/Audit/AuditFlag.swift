/// A flag of a key in the quota audit, as `key-audit.csv` writes it in `flags`.
public enum AuditFlag: String, Sendable, Hashable, CaseIterable, Codable {
    /// A reported day with nothing remaining.
    case atQuota = "at-quota"
    /// No day at quota, but a peak day at or above the near-quota share of the limit (the template's `near-quota`).
    case nearQuota = "near-quota"
    /// A run of days far above the key's own trailing baseline (``AnomalyDetector``).
    case anomaly
    /// Zero calls on every reported day of the last 30 days of the range (or the whole range when shorter).
    case dormant
    /// The key's first call comes after the start of the range, on a day after a reported day with none.
    case new
    /// The daily limit (used + remaining) changed inside the range.
    case planChange = "plan-change"
    /// No reported day: every day missing, or the key was refused.
    case noData = "no-data"
}
