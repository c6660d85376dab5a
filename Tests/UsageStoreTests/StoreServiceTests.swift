import Foundation
import GRDB
import Testing
import UsageCore

@testable import UsageStore

/// Rows belong to the service they came from; a damaged store is never written; an empty file is an empty store.
@Suite("Usage store: services and damage")
struct StoreServiceTests {
    let key = KeyEntry(appKey: "k", userId: "u", label: "")
    let day = Day(containing: Date()).adding(days: -5)

    @Test func twoServicesOfOneEnvironmentAreKeptApart() async throws {
        let store = try await UsageStore(path: UsageStoreTests.path())
        let tt = StoredService.tt("ext_uat_cert")
        let sandbox = StoredService(origin: "http://127.0.0.1:8080", environment: "ext_uat_cert")
        let range = DayRange(from: day, to: day)!
        try await store.save(
            service: sandbox, key: key, days: [DayUsage(date: day, used: 7, remaining: 3, status: .ok)],
            fetchedAt: Date())
        #expect(try await store.held(service: tt, keys: [key], range: range)[0].isEmpty)
        #expect(try await store.held(service: sandbox, keys: [key], range: range)[0][day]?.used == 7)
        try await store.save(
            service: tt, key: key, days: [DayUsage(date: day, used: 9, remaining: 1, status: .ok)], fetchedAt: Date())
        #expect(try await store.held(service: sandbox, keys: [key], range: range)[0][day]?.used == 7)
        #expect(try await store.held(service: tt, keys: [key], range: range)[0][day]?.used == 9)
        #expect(
            try await store.origins(environment: "ext_uat_cert") == ["http://127.0.0.1:8080", StoredService.ttOrigin])
        #expect(try await store.origins(environment: "ext_prod_live") == [])
    }

    /// Rows kept before services were told apart came from TT's own host.
    @Test func rowsOfAnEarlierVersionBelongToTTsHost() async throws {
        let path = UsageStoreTests.path()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: path)
        try UsageStore.migrator.migrate(pool, upTo: "v2-store-info")
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO usage VALUES ('ext_prod_live','k','u',?,3,7,0,1)", arguments: [day.description])
        }
        try pool.close()
        // A reading command brings it up to date too.
        let reader = try await UsageStore(path: path, readOnly: true)
        let range = DayRange(from: day, to: day)!
        #expect(try await reader.held(service: .tt("ext_prod_live"), keys: [key], range: range)[0][day]?.used == 3)
        #expect(try await reader.origins(environment: "ext_prod_live") == [StoredService.ttOrigin])
    }

    /// Pages in the middle overwritten with random bytes: every open refuses it, and not one byte changes.
    @Test func aStoreWithOverwrittenPagesIsLeftByteForByte() async throws {
        let path = UsageStoreTests.path()
        try await Self.fill(path)
        // The last connection closed: the WAL is checkpointed into the file, as a finished run leaves it.
        let url = URL(fileURLWithPath: path)
        var bytes = try Data(contentsOf: url)
        let pageSize = 4096
        #expect(bytes.count > 40 * pageSize)
        var generator = SystemRandomNumberGenerator()
        for offset in (29 * pageSize)..<(37 * pageSize) { bytes[offset] = UInt8.random(in: 0...255, using: &generator) }
        let damaged = UsageStoreTests.path()
        try FileManager.default.createDirectory(
            atPath: (damaged as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let error = await #expect(throws: StoreError.self) { try await UsageStore(path: damaged) }
        #expect(error?.category == .dataError)
        #expect(error?.description.contains("left untouched") == true, "\(String(describing: error))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: damaged)) == bytes)
    }

    static func fill(_ path: String) async throws {
        let store = try await UsageStore(path: path)
        let first = Day(iso: "2025-01-01")!
        for index in 0..<40 {
            let entry = KeyEntry(appKey: "key-\(index)-" + String(repeating: "x", count: 40), userId: "u", label: "")
            let days = (0..<200).map { DayUsage(date: first.adding(days: $0), used: $0, remaining: 1, status: .ok) }
            try await store.save(service: .tt("e"), key: entry, days: days, fetchedAt: Date())
        }
    }

    @Test func aZeroByteFileIsAnEmptyStoreToEveryCommand() async throws {
        let path = UsageStoreTests.path()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: path))
        let reader = try await UsageStore(path: path, readOnly: true)
        let range = DayRange(from: day, to: day)!
        #expect(try await reader.held(service: .tt("e"), keys: [key], range: range)[0].isEmpty)
        let writer = try await UsageStore(path: path)
        try await writer.save(
            service: .tt("e"), key: key, days: [DayUsage(date: day, used: 1, remaining: 1, status: .ok)],
            fetchedAt: Date())
        #expect(try await writer.rowCount() == 1)
    }

    /// A store the process cannot write is refused for writing and read fine (as root every file is writable, so
    /// the check runs for other users only).
    @Test(.enabled(if: getuid() != 0)) func aReadOnlyFolderIsReadOnlyNotDamaged() async throws {
        let path = UsageStoreTests.path()
        let folder = (path as NSString).deletingLastPathComponent
        let store = try await UsageStore(path: path)
        try await store.save(
            service: .tt("e"), key: key, days: [DayUsage(date: day, used: 1, remaining: 1, status: .ok)],
            fetchedAt: Date())
        _ = try await UsageStore(path: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder) }
        let error = await #expect(throws: StoreError.self) { try await UsageStore(path: path) }
        #expect(error?.category == .cantCreate)
        let reader = try await UsageStore(path: path, readOnly: true)
        #expect(try await reader.rowCount() == 1)
    }
}
