import Foundation
import UsageAnalysis
import UsageCore

/// The typed members of report.json the audit adds: `keyAudit` (with the quota-audit template) and `alerts`
/// (with `--alert`). Counts are integers, shares fractions of 1, days `YYYY-MM-DD`.
struct KeyAuditJSON: Encodable {
    struct Method: Encodable {
        var anomaly: String
        var window: Int
        var minDays: Int
        var z: Decimal
        var ratio: Decimal
        var quantile: Decimal
        var highFactor: Decimal
        var minCalls: Int
        var run: Int
        var headroom: Decimal
        var nearQuota: Decimal
        var dormantDays: Int
        var new: String
        var newQuietDays: Int
        var forecast: String
    }

    struct LimitChange: Encodable {
        var date: String
        var from: Int
        var to: Int
    }

    struct Anomaly: Encodable {
        var days: Int
        var first: String?
        var baselineMedian: Decimal?
        var baselineMAD: Decimal?
        var baselineHigh: Decimal?
        var baselineMax: Int?
        var firstUsed: Int?
        var jump: Decimal?
    }

    struct Forecast: Encodable {
        var month: String
        var daysInMonth: Int
        var daysSettled: Int
        var callsSoFar: Int
        var daysAtQuotaSoFar: Int
        var projectedCalls: Int?
        var projectedLow: Int?
        var projectedHigh: Int?
        var projectedDaysAtQuota: Int?

        init(_ forecast: UsageForecast) {
            month = forecast.month
            daysInMonth = forecast.daysInMonth
            daysSettled = forecast.daysSettled
            callsSoFar = forecast.callsSoFar
            daysAtQuotaSoFar = forecast.daysAtQuotaSoFar
            projectedCalls = forecast.projectedCalls
            projectedLow = forecast.projectedLow
            projectedHigh = forecast.projectedHigh
            projectedDaysAtQuota = forecast.projectedDaysAtQuota
        }
    }

    struct Key: Encodable {
        var appKey: String
        var userId: String
        var label: String
        var dailyLimit: Int?
        var plan: String?
        var currentLimit: Int?
        var limitChanges: [LimitChange]
        var recommendedPlan: String?
        var recommendation: String?
        var daysReported: Int
        var daysAtQuota: Int
        var peakUsed: Int?
        var peakDate: String?
        var peakUtilisation: Decimal?
        var anomaly: Anomaly
        var dormant: Bool
        var new: Bool
        var firstCall: String?
        var flags: [String]
        var reason: String
        var forecast: Forecast?
    }

    var method: Method
    var keys: [Key]
    var forecastTotal: Forecast?

    init(_ audit: KeyAudit) {
        let thresholds = audit.options.anomaly
        func decimal(_ value: Double) -> Decimal { ExactFigures.decimal(value, places: 4) }
        method = Method(
            anomaly: "median, MAD, \(ExactFigures.trimmed(thresholds.quantile)) quantile and maximum of the previous "
                + "\(thresholds.window) reported days",
            window: thresholds.window, minDays: thresholds.minDays, z: decimal(thresholds.z),
            ratio: decimal(thresholds.ratio), quantile: decimal(thresholds.quantile),
            highFactor: decimal(thresholds.highFactor), minCalls: thresholds.minCalls, run: thresholds.run,
            headroom: decimal(audit.options.headroom), nearQuota: decimal(audit.options.nearQuota),
            dormantDays: audit.options.dormantDays,
            new: "every known day before the first call without a call, and the first call at least "
                + "\(KeyAudit.newQuietDays) days after the first known day (the range, the month before it and the "
                + "store's earlier days)",
            newQuietDays: KeyAudit.newQuietDays,
            forecast: "settled days plus the mean of the last \(UsageForecast.sampleDays) settled days for each "
                + "other day; low and high from their 10th and 90th percentiles")
        keys = audit.entries.map { entry in
            Key(
                appKey: entry.key.appKey, userId: entry.key.userId, label: entry.key.label,
                dailyLimit: entry.plan.dailyLimit, plan: entry.plan.planName, currentLimit: entry.plan.currentLimit,
                limitChanges: entry.plan.changes.map {
                    LimitChange(date: $0.date.description, from: $0.from, to: $0.to)
                },
                recommendedPlan: entry.recommendation?.plan.rawValue,
                recommendation: entry.recommendation?.direction.rawValue,
                daysReported: entry.daysReported, daysAtQuota: entry.daysAtQuota, peakUsed: entry.peakUsed,
                peakDate: entry.peakDate?.description,
                peakUtilisation: entry.peakShare?.rounded(places: ExactFigures.fractionPlaces),
                anomaly: Anomaly(
                    days: entry.anomaly.days.count, first: entry.anomaly.first?.description,
                    baselineMedian: entry.anomaly.baselineMedian.map { decimal($0) },
                    baselineMAD: entry.anomaly.baselineMAD.map { decimal($0) },
                    baselineHigh: entry.anomaly.baselineHigh.map { decimal($0) },
                    baselineMax: entry.anomaly.baselineMax, firstUsed: entry.anomaly.firstUsed,
                    jump: entry.anomaly.jump.map { ExactFigures.decimal($0, places: 2) }),
                dormant: entry.dormant, new: entry.new, firstCall: entry.firstCall?.description,
                flags: entry.flags.map(\.rawValue), reason: entry.reason, forecast: entry.forecast.map(Forecast.init))
        }
        forecastTotal = audit.forecastTotal.map(Forecast.init)
    }
}

/// One alert in report.json's `alerts`.
struct AlertJSON: Encodable {
    var appKey: String
    var userId: String
    var label: String
    var rule: String
    var date: String?
    var detail: String

    init(_ alert: KeyAlert) {
        appKey = alert.key.appKey
        userId = alert.key.userId
        label = alert.key.label
        rule = alert.rule
        date = alert.date?.description
        detail = alert.detail
    }
}
