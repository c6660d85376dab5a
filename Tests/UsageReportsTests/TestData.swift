import Foundation
import UsageCore

@testable import UsageReports

/// Datasets and folders the tests share: built from UsageCore types, no network.
enum TestData {
    static let acme = KeyEntry(appKey: "6F0C3C1A-1111-4A2B-9C3D-000000000001", userId: "u1", label: "Acme")
    static let formula = KeyEntry(appKey: "6f0c3c1a-2222-4a2b-9c3d-000000000002", userId: "u2", label: "=1+1")
    static let dormant = KeyEntry(appKey: "6F0C3C1A-3333-4A2B-9C3D-000000000003", userId: "u3", label: "Acme")
    static let failed = KeyEntry(
        appKey: "6F0C3C1A-4444-4A2B-9C3D-000000000004", userId: "u4", label: "Beta \"B\", Inc.")
    static let unlabelled = KeyEntry(appKey: "6F0C3C1A-5555-4A2B-9C3D-000000000005", userId: "-5", label: "")

    /// 2026-09-28 (a Monday) to 2026-10-05: two months, two ISO weeks.
    static let range = DayRange(from: day("2026-09-28"), to: day("2026-10-05"))!

    static func day(_ text: String) -> Day { Day(iso: text)! }

    /// Five keys: a busy one with a day at quota and a provisional last day, one labelled `=1+1` with missing days,
    /// a dormant one, a failed one, one with no label.
    static func dataset() -> UsageDataset {
        let days = Array(range)
        let acmeDays = days.enumerated().map { index, date -> DayUsage in
            let used = [100, 250, 1_000, 400, 900, 50, 0, 300][index]
            return DayUsage(date: date, used: used, remaining: 1_000 - used, status: index == 7 ? .provisional : .ok)
        }
        let formulaDays = days.enumerated().map { index, date -> DayUsage in
            index == 2 || index == 3 || index == 6
                ? .missing(date)
                : DayUsage(date: date, used: 10 * (index + 1), remaining: 490 - 10 * index, status: .ok)
        }
        let dormantDays = days.map { DayUsage(date: $0, used: 0, remaining: 5_000, status: .ok) }
        let unlabelledDays = days.enumerated().map { index, date in
            DayUsage(date: date, used: 1_234_567 + index, remaining: 8_000_000, status: .ok)
        }
        return UsageDataset(
            generatedAt: day("2026-10-06").start.addingTimeInterval(8 * 3600 + 30),
            environment: "ext_prod_live", range: range,
            keys: [
                KeyUsage(key: acme, days: acmeDays),
                KeyUsage(key: formula, days: formulaDays),
                KeyUsage(key: dormant, days: dormantDays),
                KeyUsage(key: failed, days: [], failureReason: "E1001: Invalid application key"),
                KeyUsage(key: unlabelled, days: unlabelledDays),
            ],
            options: [("template", "spreadsheet-handoff"), ("concurrency", "4"), ("note", "=cmd|' /C calc'!A0")])
    }

    /// `keys` keys over `days` days from 2026-01-01 with simple counts.
    static func large(keys: Int, days: Int) -> UsageDataset {
        let first = day("2026-01-01")
        let range = DayRange(from: first, to: first.adding(days: days - 1))!
        let usages = (0..<keys).map { key in
            KeyUsage(
                key: KeyEntry(
                    appKey: String(format: "%08X-0000-4000-8000-000000000000", key), userId: "u\(key)",
                    label: "L\(key % 3)"),
                days: (0..<days).map {
                    DayUsage(date: first.adding(days: $0), used: key * 100 + $0, remaining: 10_000, status: .ok)
                })
        }
        return UsageDataset(generatedAt: first.start, environment: "ext_uat_cert", range: range, keys: usages)
    }

    /// A fresh empty folder, removed by the caller with `remove`.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ttusage-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func remove(_ url: URL) { try? FileManager.default.removeItem(at: url) }

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    /// The repository root, from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
