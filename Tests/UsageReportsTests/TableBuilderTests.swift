import Foundation
import Testing
import UsageCore

@testable import UsageAnalysis
@testable import UsageReports

@Suite struct TableBuilderTests {
    let dataset = TestData.dataset()

    private func table(_ id: String, in template: String) throws -> ReportTable {
        let template = try ReportTemplate.resolve(template)
        let tables = TableBuilder(dataset: dataset).tables(for: template)
        return try #require(tables.first { $0.id == id })
    }

    private func column(_ table: ReportTable, _ id: String) throws -> Int {
        try #require(table.columns.firstIndex { $0.id == id || $0.header == id })
    }

    @Test func summaryHasARowPerKeyInManifestOrderWithTheContractColumns() throws {
        let summary = try table("summary", in: "spreadsheet-handoff")
        #expect(summary.title == "Summary")
        #expect(
            summary.columns.map(\.header) == [
                "label", "app_key", "user_id", "status", "days_ok", "days_missing", "total_used", "mean_per_day",
                "peak_date", "peak_used", "days_at_quota", "mean_utilisation", "peak_utilisation",
            ])
        #expect(summary.rows.map { $0.cells[1] } == dataset.keys.map { .text($0.key.appKey) })
        #expect(summary.footer.count == 1)
        #expect(summary.footer.first?.kind == .total)
        #expect(summary.footer.first?.cells.first == .text("Total"))
    }

    @Test func summaryAgreesWithKeyTotals() throws {
        let summary = try table("summary", in: "spreadsheet-handoff")
        for (row, usage) in zip(summary.rows, dataset.keys) {
            let totals = usage.totals
            let failed = usage.status == .failed
            #expect(row.cells[3] == .text(usage.status.rawValue))
            #expect(row.cells[4] == .integer(totals.daysOk))
            #expect(row.cells[5] == .integer(totals.daysMissing))
            #expect(row.cells[6] == (failed ? .empty : .integer(totals.used)))
            // The means and shares in decimal, from the days (never a double's text).
            let reported = usage.days.filter { $0.status != .missing }
            let shares = reported.compactMap { day -> Decimal? in
                guard let used = day.used, let remaining = day.remaining, used + remaining > 0 else { return nil }
                return Decimal(used) / Decimal(used + remaining)
            }
            func rounded(_ value: Decimal, _ places: Int) -> ReportCell {
                var input = value
                var result = Decimal()
                NSDecimalRound(&result, &input, places, .plain)
                return .decimal(result, places: places)
            }
            #expect(
                row.cells[7]
                    == (reported.isEmpty
                        ? .empty : rounded(Decimal(totals.used) / Decimal(reported.count), 2)))
            #expect(row.cells[8] == (totals.peakDate.map(ReportCell.date) ?? .empty))
            #expect(row.cells[9] == (totals.peakUsed.map(ReportCell.integer) ?? .empty))
            #expect(row.cells[10] == .integer(totals.daysAtQuota))
            #expect(
                row.cells[11]
                    == (shares.isEmpty ? .empty : rounded(shares.reduce(0, +) / Decimal(shares.count), 4)))
            #expect(row.cells[12] == (shares.max().map { rounded($0, 4) } ?? .empty))
        }
    }

    @Test func summaryHighlightsKeysAtOrNearTheirQuota() throws {
        let summary = try table("summary", in: "spreadsheet-handoff")
        // Acme reached its quota; the unlabelled key uses 13% of it; the dormant key none.
        #expect(summary.rows.map(\.flagged) == [true, false, false, false, false])
    }

    @Test func totalsAreComputedFromDaysNotFromRoundedRows() throws {
        let summary = try table("summary", in: "spreadsheet-handoff")
        let footer = try #require(summary.footer.first)
        let used = dataset.keys.reduce(0) { $0 + $1.totals.used }
        let reported = dataset.keys.reduce(0) { $0 + $1.totals.daysOk + $1.totals.daysProvisional }
        #expect(footer.cells[6] == .integer(used))
        let mean = ExactFigures.ratio(Decimal(used), Decimal(reported), places: 2)
        #expect(footer.cells[7] == .decimal(mean, places: 2))
        #expect(footer.cells[10] == .integer(1))
    }

    @Test func monthlyBillingHasARowPerKeyPerMonthAndASubtotalPerLabel() throws {
        let billing = try table("billing-by-key", in: "monthly-billing")
        #expect(
            billing.columns.map(\.header) == [
                "label", "app_key", "user_id", "month", "calls_used", "days_reported", "days_missing",
            ])
        let rows = billing.rows.map { row in
            row.cells.map { cell -> String in
                switch cell {
                case let .text(text): text
                case let .integer(value): "\(value)"
                default: ""
                }
            }
        }
        // Sorted by label (empty first); a failed key has no row in a table cut by month.
        let big = 1_234_567
        let september: String = "\(big * 3 + 3)"
        let october: String = "\(big * 5 + 25)"
        let both: String = "\(big * 8 + 28)"
        let unlabelled: String = TestData.unlabelled.appKey
        let formula: String = TestData.formula.appKey
        let acme: String = TestData.acme.appKey
        let dormant: String = TestData.dormant.appKey
        let expected: [[String]] = [
            ["", unlabelled, "-5", "2026-09", september, "3", "0"],
            ["", unlabelled, "-5", "2026-10", october, "5", "0"],
            ["", "Subtotal", "", "", both, "8", "0"],
            ["=1+1", formula, "u2", "2026-09", "30", "2", "1"],
            ["=1+1", formula, "u2", "2026-10", "190", "3", "2"],
            ["=1+1", "Subtotal", "", "", "220", "5", "3"],
            ["Acme", acme, "u1", "2026-09", "1350", "3", "0"],
            ["Acme", acme, "u1", "2026-10", "1650", "5", "0"],
            ["Acme", dormant, "u3", "2026-09", "0", "3", "0"],
            ["Acme", dormant, "u3", "2026-10", "0", "5", "0"],
            ["Acme", "Subtotal", "", "", "3000", "16", "0"],
        ]
        #expect(rows == expected)
        #expect(
            billing.rows.map(\.kind) == [
                .data, .data, .subtotal, .data, .data, .subtotal, .data, .data, .data, .data, .subtotal,
            ])
        let total = try #require(billing.footer.first)
        #expect(total.cells[0] == .text("Total"))
        let grandTotal: Int = big * 8 + 28 + 220 + 3000
        #expect(total.cells[4] == .integer(grandTotal))
    }

    @Test func billingByLabelCountsKeysOnce() throws {
        let byLabel = try table("billing-by-label", in: "monthly-billing")
        let acme = byLabel.rows.filter { $0.cells[0] == .text("Acme") }
        #expect(acme.map { $0.cells[1] } == [.text("2026-09"), .text("2026-10")])
        #expect(acme.map { $0.cells[2] } == [.integer(2), .integer(2)])
        let footer = try #require(byLabel.footer.first)
        #expect(footer.cells[2] == .integer(4))
    }

    @Test func quotaAuditPutsTheRiskiestFirstAndFlagsDormantAndFailedKeys() throws {
        let audit = try table("quota-audit", in: "quota-audit")
        let appKey = try column(audit, "app_key")
        #expect(audit.rows.first?.cells[appKey] == .text(TestData.acme.appKey))
        #expect(audit.rows.count == dataset.keys.count)
        let flags = try column(audit, "flags")
        let byKey = Dictionary(uniqueKeysWithValues: audit.rows.map { ($0.cells[appKey], $0.cells[flags]) })
        #expect(byKey[.text(TestData.acme.appKey)] == .text("at-quota;above-threshold"))
        #expect(byKey[.text(TestData.dormant.appKey)] == .text("dormant"))
        #expect(byKey[.text(TestData.failed.appKey)] == .text("failed"))
        #expect(byKey[.text(TestData.formula.appKey)] == .text("missing-days"))
        let aboveThreshold = try column(audit, "days_above_threshold")
        // 1000/1000 and 900/1000 reach 80%.
        #expect(audit.rows.first?.cells[aboveThreshold] == .integer(2))

        let dormant = try table("dormant-keys", in: "quota-audit")
        #expect(dormant.rows.map { $0.cells[1] } == [.text(TestData.dormant.appKey)])
        let failed = try table("failed-keys", in: "quota-audit")
        #expect(
            failed.rows.map { $0.cells } == [
                [
                    .text(TestData.failed.label), .text(TestData.failed.appKey), .text("u4"),
                    .text("E1001: Invalid application key"),
                ]
            ])
    }

    @Test func theHandoffMatrixHasAColumnPerDayAndEmptyCellsForMissingDays() throws {
        let matrix = try table("calls-by-day", in: "spreadsheet-handoff")
        #expect(matrix.columns.count == 4 + TestData.range.count)
        #expect(matrix.columns[4].header == "2026-09-28")
        #expect(matrix.columns.last?.header == "2026-10-05")
        #expect(matrix.rows.count == dataset.keys.count)
        let formula = matrix.rows[1].cells
        #expect(formula[0] == .text("=1+1"))
        #expect(formula[3] == .integer(220))
        #expect(
            Array(formula[4...]) == [
                .integer(10), .integer(20), .empty, .empty, .integer(50), .integer(60), .empty, .integer(80),
            ])
        #expect(matrix.rows[3].cells[4...].allSatisfy { $0 == .empty })
        let footer = try #require(matrix.footer.first)
        #expect(footer.cells[4] == .integer(100 + 10 + 0 + 1_234_567))
    }

    @Test func isoWeekGroupingCutsAtMonday() throws {
        let template = try ReportTemplate.parse(
            yaml: """
                tables:
                  - id: weekly
                    group-by: iso-week
                    columns: [iso_week, period_start, period_end, keys, keys_failed, days_reported]
                """, source: "weekly.yaml")
        let weekly = try #require(TableBuilder(dataset: dataset).tables(for: template).last)
        #expect(
            weekly.rows.map(\.cells) == [
                [
                    .text("2026-W40"), .date(TestData.day("2026-09-28")), .date(TestData.day("2026-10-04")),
                    .integer(4),
                    .integer(0), .integer(4 * 7 - 3),
                ],
                [
                    .text("2026-W41"), .date(TestData.day("2026-10-05")), .date(TestData.day("2026-10-05")),
                    .integer(4),
                    .integer(0), .integer(4),
                ],
            ])
    }

    @Test func sortingPutsEmptyValuesLastInEitherDirection() throws {
        let template = try ReportTemplate.parse(
            yaml: """
                tables:
                  - id: by-mean
                    group-by: key
                    columns: [app_key, mean_per_day]
                    sort: [mean_per_day desc]
                  - id: by-mean-up
                    group-by: key
                    columns: [app_key, mean_per_day]
                    sort: [mean_per_day]
                """, source: "sorted.yaml")
        let tables = TableBuilder(dataset: dataset).tables(for: template)
        #expect(tables[1].rows.last?.cells[0] == .text(TestData.failed.appKey))
        #expect(tables[2].rows.last?.cells[0] == .text(TestData.failed.appKey))
        #expect(tables[1].rows.first?.cells[0] == .text(TestData.unlabelled.appKey))
        #expect(tables[2].rows.first?.cells[0] == .text(TestData.dormant.appKey))
    }
}
