import Foundation
import Testing

@testable import UsageCore

@Suite("Days, ranges and plans")
struct ModelTests {
    @Test func daysRoundTripThroughText() throws {
        for text in ["1970-01-01", "2000-02-29", "2026-10-31", "2026-12-31", "1999-12-31"] {
            let day = try #require(Day(iso: text))
            #expect(day.description == text)
        }
        #expect(Day(iso: "2026-10-01")?.ordinal == 20_727)
    }

    @Test(arguments: [
        "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-10-01", "2026/10/01", "2026-10-1",
        "", "abcd-ef-gh",
    ])
    func impossibleDaysAreRefused(_ text: String) {
        #expect(Day(iso: text) == nil)
    }

    @Test func datesOfUTCTimestampsAreDays() throws {
        let day = try #require(Day(iso: "2026-10-01"))
        for text in [
            "2026-10-01", "2026-10-01T00:00:00Z", "2026-10-01T00:00:00.000+00:00", "2026-10-01 00:00:00",
            "2026-10-01T12:30:00",
        ] {
            #expect(Day(dateOrUTCTimestamp: text) == day, "\(text)")
        }
        for text in [
            "2026-10-01T00:00:00-05:00", "2026-10-01T23:00:00+02:00", "2026-10-01x", "2026-10-32T00:00:00Z",
            "2026-10-0", "",
        ] {
            #expect(Day(dateOrUTCTimestamp: text) == nil, "\(text)")
        }
    }

    @Test func isoWeeksAndWeekdays() throws {
        #expect(try #require(Day(iso: "2026-01-01")).isoWeekday == 4)
        #expect(try #require(Day(iso: "2024-12-30")).isoWeek == (2025, 1) as (Int, Int))
        #expect(try #require(Day(iso: "2021-01-03")).isoWeek == (2020, 53) as (Int, Int))
    }

    @Test func chunksCoverTheRangeInOrder() throws {
        let first = try #require(Day(iso: "2026-01-01"))
        let last = try #require(Day(iso: "2026-12-31"))
        let range = try #require(DayRange(from: first, to: last))
        let chunks = range.chunks(of: 90)
        #expect(chunks.count == 5)
        #expect(chunks.map(\.count) == [90, 90, 90, 90, 5])
        #expect(chunks.first?.from == range.from && chunks.last?.to == range.to)
        for (a, b) in zip(chunks, chunks.dropFirst()) { #expect(a.to.adding(days: 1) == b.from) }
        #expect(range.chunks(of: 1).count == 365)
    }

    @Test func planCountsCallsTimeAndQuota() throws {
        let range = try #require(DayRange(year: 2026, month: 10))
        let keys = (0..<10).map { KeyEntry(appKey: "k\($0)", userId: "u", label: "") }
        let plan = try ExportPlan(keys: keys, range: range, chunkDays: 7)
        #expect(plan.calls == 50)
        #expect(plan.duration(atRate: 5) == 10)
        #expect(plan.duration(atRate: 0) == nil)
        #expect(plan.quotaShare(dailyQuota: 10_000) == 0.005)
        #expect(throws: PlanError.self) { try ExportPlan(keys: keys, range: range, chunkDays: 91) }
        #expect(throws: PlanError.self) { try ExportPlan(keys: keys, range: range, chunkDays: 0) }
    }

    @Test func rangeOptions() throws {
        let today = try #require(Day(iso: "2026-11-25"))
        let month = try RangeRequest(from: nil, to: nil, month: "2026-02", today: today)
        #expect(month.range.count == 28 && !month.includesToday)
        let reaching = try RangeRequest(from: "2026-11-01", to: "2026-11-30", month: nil, today: today)
        #expect(reaching.range.to == today && reaching.requestedTo == Day(iso: "2026-11-30") && reaching.includesToday)
        for (from, to, month) in [
            ("2026-02-30", "2026-03-01", nil), ("2026-10-31", "2026-10-01", nil),
            ("2026-12-01", "2026-12-02", nil), (nil, nil, "2026-13"), ("2026-10-01", nil, nil),
            ("2026-10-01", "2026-10-02", "2026-10"), (nil, nil, nil),
        ] as [(String?, String?, String?)] {
            #expect(throws: RangeError.self) { try RangeRequest(from: from, to: to, month: month, today: today) }
        }
    }

    @Test func totalsCountReportedDaysOnly() throws {
        let d = try #require(Day(iso: "2026-10-01"))
        let days = [
            DayUsage(date: d, used: 10, remaining: 90, status: .ok),
            DayUsage(date: d.adding(days: 1), used: 100, remaining: 0, status: .ok),
            .missing(d.adding(days: 2)),
            DayUsage(date: d.adding(days: 3), used: 4, remaining: 96, status: .provisional),
        ]
        let usage = KeyUsage(key: KeyEntry(appKey: "k", userId: "u", label: "l"), days: days)
        #expect(usage.status == .incomplete)
        #expect(usage.totals.used == 114)
        #expect(usage.totals.daysOk == 2 && usage.totals.daysProvisional == 1 && usage.totals.daysMissing == 1)
        #expect(usage.totals.daysAtQuota == 1)
        #expect(usage.totals.peakUsed == 100 && usage.totals.peakDate == d.adding(days: 1))
        #expect(usage.totals.peakUtilisation == 1.0)
        #expect(usage.totals.meanPerDay == 38)
        let failed = KeyUsage(key: usage.key, days: days, failureReason: "refused")
        #expect(failed.status == .failed && failed.days.isEmpty)
    }
}

@Suite("Normalizing chunks")
struct NormalizerTests {
    let chunk = DayRange(from: Day(iso: "2026-10-01")!, to: Day(iso: "2026-10-05")!)!
    let today = Day(iso: "2026-11-25")!

    @Test func wholeSeriesIsPlacedInOrder() {
        let figures = (1...5).map { UsageFigure(used: $0, remaining: 100 - $0) }
        let (days, discrepancy) = Normalizer.days(of: chunk, from: figures, today: today)
        #expect(discrepancy == nil)
        #expect(days.map(\.used) == [1, 2, 3, 4, 5])
        #expect(days.allSatisfy { $0.status == .ok })
    }

    @Test func shortSeriesLeavesLaterDaysMissingNeverZero() {
        let figures = (1...3).map { UsageFigure(used: $0, remaining: 0) }
        let (days, discrepancy) = Normalizer.days(of: chunk, from: figures, today: today)
        #expect(discrepancy?.returned == 3)
        #expect(days.map(\.status) == [.ok, .ok, .ok, .missing, .missing])
        #expect(days[3].used == nil && days[4].remaining == nil)
    }

    @Test func longSeriesCannotBePlaced() {
        let figures = (1...7).map { UsageFigure(used: $0, remaining: 0) }
        let (days, _) = Normalizer.days(of: chunk, from: figures, today: today)
        #expect(days.allSatisfy { $0.status == .missing && $0.used == nil })
    }

    @Test func datedEntriesArePlacedByDate() {
        let figures = [
            UsageFigure(used: 9, remaining: 1, date: Day(iso: "2026-10-04")),
            UsageFigure(used: 7, remaining: 3, date: Day(iso: "2026-10-02")),
            UsageFigure(used: 1, remaining: 1, date: Day(iso: "2026-12-01")),
        ]
        let (days, _) = Normalizer.days(of: chunk, from: figures, today: today)
        #expect(days.map(\.used) == [nil, 7, nil, 9, nil])
    }

    @Test func undatedPairsRunFromTheStartTheBodyStates() {
        let figures = (1...3).map { UsageFigure(used: $0, remaining: 0) }
        let stated = DayRange(from: Day(iso: "2026-10-03")!, to: Day(iso: "2026-10-05")!)
        let (days, _) = Normalizer.days(of: chunk, from: figures, stated: stated, today: today)
        #expect(days.map(\.used) == [nil, nil, 1, 2, 3])
        #expect(days.map(\.status) == [.missing, .missing, .ok, .ok, .ok])
    }

    @Test func pairsBeyondTheStatedRangeCannotBePlaced() {
        let figures = (1...7).map { UsageFigure(used: $0, remaining: 0) }
        let stated = DayRange(from: Day(iso: "2026-10-01")!, to: Day(iso: "2026-10-05")!)
        let (days, _) = Normalizer.days(of: chunk, from: figures, stated: stated, today: today)
        #expect(days.allSatisfy { $0.status == .missing && $0.used == nil })
        // A stated range that runs past the chunk: only the chunk's days are taken, by their stated dates.
        let wider = DayRange(from: Day(iso: "2026-09-29")!, to: Day(iso: "2026-10-05")!)
        #expect(
            Normalizer.days(of: chunk, from: figures, stated: wider, today: today).days.map(\.used) == [3, 4, 5, 6, 7])
    }

    @Test func datedDaysAfterTodayAreNotTaken() {
        let recent = DayRange(from: today.adding(days: -1), to: today.adding(days: 1))!
        let figures = (0..<3).map { UsageFigure(used: $0 + 1, remaining: 0, date: today.adding(days: $0 - 1)) }
        let (days, _) = Normalizer.days(of: recent, from: figures, today: today)
        #expect(days.map(\.status) == [.ok, .provisional, .missing])
    }

    @Test func todayIsProvisional() {
        let recent = DayRange(from: today.adding(days: -1), to: today)!
        let (days, _) = Normalizer.days(
            of: recent, from: [UsageFigure(used: 1, remaining: 9), UsageFigure(used: 2, remaining: 8)], today: today)
        #expect(days.map(\.status) == [.ok, .provisional])
    }
}
