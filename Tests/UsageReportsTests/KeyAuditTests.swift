import Foundation
import Testing
import UsageCore

@testable import UsageAnalysis
@testable import UsageReports

/// The quota audit's pure parts, on hand-made days: no network.
@Suite("quota audit: plans, recommendations, anomalies, dormant and new keys, forecast, alerts")
struct KeyAuditTests {
    static let start = TestData.day("2026-08-01")

    /// One day per count from `start`, with `limit` (or the limit of `limits`) as used + remaining.
    static func days(_ counts: [Int?], limit: Int = 10_000, limits: [Int]? = nil) -> [DayUsage] {
        counts.enumerated().map { index, used in
            let date = start.adding(days: index)
            guard let used else { return .missing(date) }
            let dayLimit = limits?[index] ?? limit
            return DayUsage(date: date, used: used, remaining: max(0, dayLimit - used), status: .ok)
        }
    }

    static func dataset(_ series: [[DayUsage]], generatedAt: Date? = nil) -> UsageDataset {
        let count = series.map(\.count).max() ?? 1
        let range = DayRange(from: start, to: start.adding(days: count - 1))!
        let keys = series.enumerated().map { index, days in
            KeyUsage(
                key: KeyEntry(
                    appKey: String(format: "%08X-0000-4000-8000-000000000000", index), userId: "u\(index)",
                    label: "K\(index)"),
                days: days)
        }
        return UsageDataset(
            generatedAt: generatedAt ?? range.to.adding(days: 40).start, environment: "ext_uat_cert", range: range,
            keys: keys)
    }

    /// A deterministic wander: `level` ± 30%, quiet weekends.
    static func wander(_ count: Int, level: Int, seed: UInt64) -> [Int] {
        var state = seed
        return (0..<count).map { index in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let noise = Double(state >> 11) / Double(UInt64(1) << 53)
            let weekend = index % 7 >= 5
            return Int(Double(level) * (weekend ? 0.3 : 1) * (0.7 + 0.6 * noise))
        }
    }

    @Test(arguments: [
        (10_000, "free"), (15_000, "low"), (30_000, "medium"), (75_000, "high"), (20_000, "custom"), (9_999, "custom"),
    ])
    func limitsNameTheirPlan(limit: Int, plan: String) {
        #expect(UsagePlanTier.name(forLimit: limit) == plan)
    }

    @Test func theMostCommonLimitIsTheKeysAndAChangeIsNoted() {
        let limits = Array(repeating: 10_000, count: 20) + Array(repeating: 30_000, count: 10)
        let inference = PlanInference(days: Self.days(Array(repeating: 500, count: 30), limits: limits))
        #expect(inference.dailyLimit == 10_000)
        #expect(inference.planName == "free")
        #expect(inference.currentLimit == 30_000)
        #expect(inference.changes == [.init(date: Self.start.adding(days: 20), from: 10_000, to: 30_000)])
        #expect(PlanInference(days: Self.days([nil, nil])).dailyLimit == nil)
    }

    @Test func theRecommendationKeepsThePeakUnder80PercentAndSaysWhy() {
        let down = PlanRecommendation(
            currentLimit: 75_000, peak: 9_000, peakLimit: 75_000, daysAtQuota: 0, headroom: 0.8)
        #expect(down.plan == .low)
        #expect(down.direction == .down)
        #expect(down.reason == "down to low: peak 9,000 of 75,000 (12%)")
        let exact = PlanRecommendation(
            currentLimit: 10_000, peak: 8_000, peakLimit: 10_000, daysAtQuota: 0, headroom: 0.8)
        #expect(exact.plan == .free && exact.direction == .same)
        let near = PlanRecommendation(
            currentLimit: 10_000, peak: 9_412, peakLimit: 10_000, daysAtQuota: 0, headroom: 0.8)
        #expect(near.plan == .low)
        #expect(near.reason == "up to low: peak 9,412 of 10,000 (94%)")
    }

    @Test func aKeyAtQuotaGoesAtLeastOnePlanUpAndTheDemandIsUnknown() {
        // At quota on the low plan: the peak (15,000) fits medium at 50%, but would also fit… medium is the floor.
        let atQuota = PlanRecommendation(
            currentLimit: 15_000, peak: 15_000, peakLimit: 15_000, daysAtQuota: 3, headroom: 0.8)
        #expect(atQuota.plan == .medium)
        #expect(atQuota.reason.contains("at quota on 3 days (demand on those days unknown)"))
        // On a generous headroom the peak alone would keep the plan; the day at quota still moves it up.
        let generous = PlanRecommendation(
            currentLimit: 10_000, peak: 10_000, peakLimit: 10_000, daysAtQuota: 1, headroom: 1)
        #expect(generous.plan == .low && generous.direction == .up)
        let top = PlanRecommendation(
            currentLimit: 75_000, peak: 75_000, peakLimit: 75_000, daysAtQuota: 2, headroom: 0.8)
        #expect(top.plan == .high && top.direction == .same)
        #expect(top.reason.contains("above 80% of the high plan"))
    }

    @Test func aJumpFromHundredsToTheLimitIsAnAnomalyFromItsFirstDay() throws {
        let counts = Self.wander(40, level: 400, seed: 7) + Array(repeating: 10_000, count: 20)
        let finding = AnomalyDetector().detect(Self.days(counts))
        #expect(finding.first == Self.start.adding(days: 40))
        #expect(finding.firstUsed == 10_000)
        let median = try #require(finding.baselineMedian)
        #expect(median > 100 && median < 600)
        #expect((finding.jump ?? 0) > 15)
        // The whole run of 20 days is judged against the window before its first day.
        #expect(finding.days == (40..<60).map { Self.start.adding(days: $0) })
    }

    @Test func aOneDaySpikeSmallVolumesAndAWanderAreNotAnomalies() {
        var spike = Self.wander(60, level: 2_000, seed: 3)
        spike[45] = 10_000
        #expect(AnomalyDetector().detect(Self.days(spike)).days.isEmpty, "one day at quota is not a run")
        var single = AnomalyThresholds()
        single.run = 1
        #expect(AnomalyDetector(thresholds: single).detect(Self.days(spike)).first == Self.start.adding(days: 45))
        let tiny = Array(repeating: 3, count: 30) + Array(repeating: 40, count: 10)
        #expect(AnomalyDetector().detect(Self.days(tiny)).days.isEmpty, "3 → 40 calls is under the minimum volume")
        for seed in UInt64(1)...20 {
            let counts = Self.wander(90, level: 1_000 + Int(seed) * 300, seed: seed)
            #expect(AnomalyDetector().detect(Self.days(counts)).days.isEmpty, "seed \(seed)")
        }
    }

    @Test func aKeyIdleForAMonthThatWakesUpIsAnAnomaly() {
        let counts = Self.wander(20, level: 300, seed: 9) + Array(repeating: 0, count: 30) + [6_000, 6_000, 6_000]
        let finding = AnomalyDetector().detect(Self.days(counts))
        #expect(finding.first == Self.start.adding(days: 50))
        #expect(finding.jump == nil, "no ratio over a zero baseline")
    }

    @Test func missingDaysNeitherBreakARunNorCountInTheBaseline() {
        var counts: [Int?] = Self.wander(30, level: 300, seed: 11)
        counts += [10_000, nil, 10_000, nil, nil, 10_000]
        let finding = AnomalyDetector().detect(Self.days(counts))
        #expect(finding.first == Self.start.adding(days: 30))
        #expect(finding.days.count == 3)
    }

    @Test func thresholdsAreReadFromTheOptionAndBadOnesRefused() throws {
        let thresholds = try AnomalyThresholds.parse("z=4, ratio=2.5,min-calls=100,run=3,window=14,min-days=5")
        #expect(thresholds.z == 4 && thresholds.ratio == 2.5 && thresholds.minCalls == 100)
        #expect(thresholds.run == 3 && thresholds.window == 14 && thresholds.minDays == 5)
        #expect(try AnomalyThresholds.parse(thresholds.text) == thresholds)
        for bad in ["z", "sigma=3", "ratio=0.5", "run=0", "window=10,min-days=20", "min-calls=-1"] {
            #expect(throws: AuditError.self, "\(bad)") { try AnomalyThresholds.parse(bad) }
        }
    }

    @Test func dormantNewAndNoDataKeys() throws {
        let quiet = Self.days(Self.wander(20, level: 800, seed: 5) + Array(repeating: 0, count: 40))
        // New takes 14 quiet known days before the first call; 13 are an idle stretch.
        let late = Self.days(Array(repeating: 0, count: 14) + Self.wander(46, level: 800, seed: 6))
        let gone = Self.days(Array(repeating: nil, count: 60))
        let busy = Self.days(Self.wander(60, level: 800, seed: 8))
        let idle = Self.days(Array(repeating: 0, count: 13) + Self.wander(47, level: 800, seed: 9))
        let audit = KeyAudit(dataset: Self.dataset([quiet, late, gone, busy, idle]))
        #expect(audit.entries[0].flags == [.dormant])
        #expect(audit.entries[0].reason.contains("last call 2026-08-20"))
        #expect(audit.entries[1].new && audit.entries[1].firstCall == Self.start.adding(days: 14))
        #expect(!audit.entries[4].new && audit.entries[4].flags.isEmpty)
        #expect(audit.entries[1].flags == [.new])
        #expect(audit.entries[2].flags == [.noData])
        #expect(audit.entries[2].recommendation == nil)
        #expect(audit.entries[3].flags.isEmpty)
        #expect(audit.entries[3].recommendation?.plan == .free)
    }

    @Test func theKeyAuditTableHasExactlyTheContractsColumns() {
        let counts = Self.wander(30, level: 9_000, seed: 2).map { min($0, 10_000) }
        let table = KeyAudit(dataset: Self.dataset([Self.days(counts)])).keyAuditTable()
        #expect(
            table.columns.map(\.header).joined(separator: ",")
                == "app_key,user_id,label,daily_limit,plan,recommended_plan,days_reported,days_at_quota,peak_used,"
                + "peak_utilisation,anomaly_days,first_anomaly,dormant,new,flags,reason")
        #expect(table.rows.count == 1)
        #expect(table.rows[0].flagged)
        #expect(table.rows[0].cells[4] == .text("free"))
        #expect(table.rows[0].cells[14] == .text("at-quota"))
    }

    @Test func theForecastProjectsTheMonthFromItsSettledDays() throws {
        // 2026-08-01 to 2026-09-12, "today" 2026-09-12 (provisional): September has 11 settled days.
        var days = Self.days(Array(repeating: 1_000, count: 42) + [300])
        days[42].status = .provisional
        let dataset = Self.dataset([days])
        var options = AuditOptions()
        options.today = TestData.day("2026-09-12")
        let forecast = try #require(KeyAudit(dataset: dataset, options: options).entries[0].forecast)
        #expect(forecast.month == "2026-09")
        #expect(forecast.daysSettled == 11)
        #expect(forecast.callsSoFar == 11_300)
        #expect(forecast.projectedCalls == 30_000)
        #expect(forecast.projectedLow == 30_000 && forecast.projectedHigh == 30_000)
        options.today = TestData.day("2026-10-02")
        #expect(KeyAudit(dataset: dataset, options: options).entries[0].forecast == nil, "the month is over")
    }

    @Test func alertRulesAreReadAndRaisedPerKey() throws {
        let rules = try AlertRule.parseList("at-quota,anomaly, dormant,utilisation>=0.9,at-quota")
        #expect(rules.map(\.description) == ["at-quota", "anomaly", "dormant", "utilisation>=0.9"])
        for bad in ["", "quota", "utilisation>=2", "utilisation>=x"] {
            #expect(throws: AuditError.self, "\(bad)") { try AlertRule.parseList(bad) }
        }
        let busy = Self.days(Array(repeating: 9_500, count: 29) + [10_000])
        let calm = Self.days(Self.wander(30, level: 500, seed: 4))
        let audit = KeyAudit(dataset: Self.dataset([busy, calm]))
        let alerts = audit.alerts(rules)
        #expect(alerts.map(\.rule) == ["at-quota", "utilisation>=0.9"])
        #expect(alerts.allSatisfy { $0.key.label == "K0" })
        #expect(alerts[0].date == Self.start.adding(days: 29))
        #expect(alerts[0].line.hasPrefix("alert: at-quota: 00000000-0000-4000-8000-000000000000 (K0) 2026-08-30: "))
    }
}
