import Foundation
import GRDB
import Testing
import UsageCore
import UsageStore

@testable import UsageStore

@Suite("Usage store")
struct UsageStoreTests {
    static func path() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)/usage.sqlite").path
    }

    let today = Day(containing: Date())

    @Test func provisionalAndRecentDaysAreFetchedAgain() async throws {
        let store = try await UsageStore(path: Self.path())
        let key = KeyEntry(appKey: "k", userId: "u", label: "")
        let range = DayRange(from: today.adding(days: -19), to: today)!
        let days = range.map { DayUsage(date: $0, used: 5, remaining: 5, status: $0 == today ? .provisional : .ok) }
        try await store.save(service: .tt("ext_uat_cert"), key: key, days: days, fetchedAt: Date())
        let held = try await store.held(service: .tt("ext_uat_cert"), keys: [key], range: range)
        #expect(held[0].count == 20)
        #expect(held[0][today]?.settled == false)
        #expect(held[0][today.adding(days: -2)]?.settled == true)
        let plan = try ExportPlan(keys: [key], range: range, chunkDays: 10)
        let incremental = IncrementalPlan(plan: plan, held: held, today: today)
        #expect(incremental.callsNeeded == 1)
        #expect(incremental.keyDaysFromStore == 10)
        #expect(IncrementalPlan(plan: plan, held: held, today: today, refresh: true).callsNeeded == 2)
        // Another environment holds nothing.
        #expect(try await store.held(service: .tt("ext_prod_live"), keys: [key], range: range)[0].isEmpty)
    }

    @Test func aStoreHeldByAnotherWriterIsBusyNotDamaged() async throws {
        let path = Self.path()
        let key = KeyEntry(appKey: "k", userId: "u", label: "")
        let day = today.adding(days: -5)
        let first = try await UsageStore(path: path)
        try await first.save(
            service: .tt("e"), key: key, days: [DayUsage(date: day, used: 1, remaining: 9, status: .ok)],
            fetchedAt: Date())
        // Another connection takes the write lock and keeps it.
        var unsafe = Configuration()
        unsafe.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: path, configuration: unsafe)
        try await other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        let second = try await UsageStore(path: path, busyTimeout: 0.2)
        // Reading goes on (WAL); writing waits, then says busy: exit 75, not 65 or 73.
        #expect(
            try await second.held(service: .tt("e"), keys: [key], range: DayRange(from: day, to: day)!)[0].count == 1)
        let error = await #expect(throws: StoreError.self) {
            try await second.save(
                service: .tt("e"), key: key, days: [DayUsage(date: day, used: 2, remaining: 8, status: .ok)],
                fetchedAt: Date())
        }
        #expect(error?.category == .tempFail)
        #expect(error?.description == "store busy: another ttusage run holds \(path); try again")
        // Once the other writer is done, the same store takes the write and nothing was lost.
        try await other.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        try await second.save(
            service: .tt("e"), key: key, days: [DayUsage(date: day, used: 2, remaining: 8, status: .ok)],
            fetchedAt: Date())
        #expect(
            try await first.held(service: .tt("e"), keys: [key], range: DayRange(from: day, to: day)!)[0][day]?.used
                == 2
        )
    }

    @Test func missingDaysAreNotKept() async throws {
        let store = try await UsageStore(path: Self.path())
        let key = KeyEntry(appKey: "k", userId: "u", label: "")
        let day = today.adding(days: -5)
        try await store.save(
            service: .tt("e"), key: key,
            days: [.missing(day), DayUsage(date: day.adding(days: 1), used: 0, remaining: 10, status: .ok)],
            fetchedAt: Date())
        #expect(try await store.rowCount() == 1)
    }

    @Test func concurrentFetchersLoseNoWrite() async throws {
        let store = try await UsageStore(path: Self.path())
        let range = DayRange(from: today.adding(days: -60), to: today.adding(days: -2))!
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let key = KeyEntry(appKey: "key-\(index)", userId: "u", label: "")
                    for chunk in range.chunks(of: 7) {
                        try await store.save(
                            service: .tt("e"), key: key,
                            days: chunk.map { DayUsage(date: $0, used: index, remaining: 1, status: .ok) },
                            fetchedAt: Date())
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.rowCount() == 64 * range.count)
    }

    @Test func aFileThatIsNotOurStoreIsRefusedAndKept() async throws {
        let path = Self.path()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let text = Data("date,used\n2026-10-01,5\n".utf8)
        try text.write(to: URL(fileURLWithPath: path))
        let error = await #expect(throws: StoreError.self) { try await UsageStore(path: path) }
        #expect(error?.category == .dataError)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)

        let other = Self.path()
        try FileManager.default.createDirectory(
            atPath: (other as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: other)
        try await queue.write { try $0.execute(sql: "CREATE TABLE invoices (id INTEGER PRIMARY KEY)") }
        try queue.close()
        await #expect(throws: StoreError.self) { try await UsageStore(path: other) }
    }

    @Test func damagedStoreIsRefused() async throws {
        let path = Self.path()
        let store = try await UsageStore(path: path)
        try await store.save(
            service: .tt("e"), key: KeyEntry(appKey: "k", userId: "u", label: ""),
            days: [DayUsage(date: today.adding(days: -3), used: 1, remaining: 1, status: .ok)], fetchedAt: Date())
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes.replaceSubrange(0..<16, with: Data(repeating: 0x42, count: 16))
        let damaged = Self.path()
        try FileManager.default.createDirectory(
            atPath: (damaged as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try bytes.write(to: URL(fileURLWithPath: damaged))
        await #expect(throws: StoreError.self) { try await UsageStore(path: damaged) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: damaged)) == bytes)
    }

    @Test func storeOfAnEarlierVersionIsMigrated() async throws {
        let path = Self.path()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: path)
        try UsageStore.migrator.migrate(pool, upTo: "v1-usage")
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO usage VALUES ('e','k','u','2026-10-01',3,7,0,1)")
        }
        try pool.close()
        let store = try await UsageStore(path: path)
        #expect(try await store.rowCount() == 1)
        let reopened = try DatabaseQueue(path: path)
        let createdBy = try await reopened.read {
            try String.fetchOne($0, sql: "SELECT value FROM store_info WHERE name = 'created_by'")
        }
        #expect(createdBy?.hasPrefix("ttusage") == true)
    }

    @Test func defaultPathFollowsXDG() {
        #expect(
            UsageStore.defaultPath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/a"])
                == "/data/ttusage/usage.sqlite")
        #expect(UsageStore.defaultPath(environment: ["HOME": "/home/a"]) == "/home/a/.local/share/ttusage/usage.sqlite")
    }
}

extension StoredService {
    /// TT's own host in `environment`.
    static func tt(_ environment: String) -> StoredService {
        StoredService(origin: StoredService.ttOrigin, environment: environment)
    }
}
