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
    /// No known call before the key's first, which comes at least 14 days after the first known day (the range,
    /// the month before it, the store's earlier days): see ``KeyAudit/newQuietDays``.
    case new
    /// The daily limit (used + remaining) changed inside the range.
    case planChange = "plan-change"
    /// No reported day: every day missing, or the key was refused.
    case noData = "no-data"
}
