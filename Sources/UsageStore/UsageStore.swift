import Foundation
import GRDB
import UsageCore

/// The usage store: every fetched day, so that what is settled is never fetched twice, and a crash loses at most
/// the calls in flight.
///
/// SQLite through GRDB, in WAL mode. One writer (this actor) commits each fetched chunk in one transaction.
/// A row per environment name, app key, user id and day.
public actor UsageStore {
    /// `PRAGMA application_id` of a ttusage store ("TTUS").
    public static let applicationID: Int32 = 0x5454_5553

    public nonisolated let path: String
    private let pool: DatabasePool

    /// `$XDG_DATA_HOME/ttusage/usage.sqlite`, or `~/.local/share/ttusage/usage.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base: String
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            base = data
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            base = (home as NSString).appendingPathComponent(".local/share")
        }
        return ((base as NSString).appendingPathComponent("ttusage") as NSString).appendingPathComponent("usage.sqlite")
    }

    /// How long a run waits for another run's write to the same store before it says "store busy": every run
    /// writes one chunk per transaction, so a healthy neighbour holds the lock for milliseconds.
    public static let defaultBusyTimeout: TimeInterval = 30

    /// Opens (or creates) the store at `path` and migrates it. A file that is not a ttusage store, or is damaged,
    /// is refused and left as it is. Several runs may share a store (SQLite WAL: readers never wait, writers wait up
    /// to `busyTimeout` for each other); a store still locked after that is ``StoreError/busy(path:)``, never
    /// "damaged".
    public init(path: String, readOnly: Bool = false, busyTimeout: TimeInterval = defaultBusyTimeout)
        throws(StoreError)
    {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        if exists {
            try Self.checkIsOurs(path, busyTimeout: busyTimeout)
        } else if readOnly {
            throw StoreError(path: path, message: "no such store", category: .noInput)
        } else {
            let folder = (path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(
                    atPath: folder.isEmpty ? "." : folder,
                    withIntermediateDirectories: true)
            } catch {
                throw StoreError(
                    path: path, message: "its folder cannot be created: \(error.localizedDescription)",
                    category: .cantCreate)
            }
        }
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(busyTimeout)
        do {
            pool = try Self.opening(within: busyTimeout) {
                let pool = try DatabasePool(path: path, configuration: configuration)
                if !readOnly { try Self.migrator.migrate(pool) }
                return pool
            }
            if readOnly {
                // A store another run is creating right now has its migrations part done for a moment: it
                // looks like an old store only until that run has finished migrating it.
                var pending = try pool.read { try !Self.migrator.hasCompletedMigrations($0) }
                let deadline = Date().addingTimeInterval(min(busyTimeout, Self.creationWait))
                while pending && Date() < deadline {
                    Thread.sleep(forTimeInterval: 0.05)
                    pending = try pool.read { try !Self.migrator.hasCompletedMigrations($0) }
                }
                if pending {
                    throw StoreError(
                        path: path, message: "was written by another version; open it once for writing to migrate it",
                        category: .dataError)
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            if Self.isBusy(error) { throw StoreError.busy(path: path) }
            throw StoreError(
                path: path, message: "cannot be opened: \(Self.describe(error))",
                category: exists ? .dataError : .cantCreate)
        }
    }

    /// How long a read-only open waits for a store that another run is migrating.
    static let creationWait: TimeInterval = 2

    /// Runs `open` again while SQLite answers busy at once (switching a new file to WAL: a case where its busy
    /// handler is not called), for up to `timeout` seconds; and a few times when two runs created and migrated a
    /// new store together (the later one finds a table the earlier one just made, then sees the migration done).
    private static func opening<T>(within timeout: TimeInterval, _ open: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        var pause: TimeInterval = 0.02
        var raced = 0
        while true {
            do {
                return try open()
            } catch  where isBusy(error) && Date() < deadline {
                Thread.sleep(forTimeInterval: pause)
                pause = min(pause * 2, 0.5)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR && raced < 3 {
                raced += 1
                Thread.sleep(forTimeInterval: pause)
            }
        }
    }

    /// Whether SQLite gave up waiting for another connection's lock.
    static func isBusy(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// The versions of the schema. A store of an earlier version is brought up to date on open.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-usage") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.create(table: "usage") { table in
                table.column("environment", .text).notNull()
                table.column("app_key", .text).notNull()
                table.column("user_id", .text).notNull()
                table.column("day", .text).notNull()
                table.column("used", .integer).notNull()
                table.column("remaining", .integer)
                table.column("fetched_at", .double).notNull()
                table.column("settled", .boolean).notNull()
                table.primaryKey(["environment", "app_key", "user_id", "day"])
            }
        }
        migrator.registerMigration("v2-store-info") { db in
            try db.create(table: "store_info") { table in
                table.column("name", .text).primaryKey()
                table.column("value", .text).notNull()
            }
            try db.execute(
                sql: "INSERT INTO store_info (name, value) VALUES ('created_by', ?)",
                arguments: ["ttusage \(TTUsageVersion.current)"])
        }
        return migrator
    }

    /// Keeps the reported days of one fetched chunk, in one transaction. Missing days are not kept: they are
    /// absent, and fetched again next time.
    public func save(environment: String, key: KeyEntry, days: [DayUsage], fetchedAt: Date) async throws(StoreError) {
        /// One row of `usage` for this chunk.
        struct Row {
            var day: String
            var used: Int
            var remaining: Int?
            var settled: Bool
        }
        let rows = days.compactMap { day -> Row? in
            guard day.status != .missing, let used = day.used else { return nil }
            return Row(
                day: day.date.description, used: used, remaining: day.remaining,
                settled: StoredUsage.isSettled(day.date, fetchedAt: fetchedAt))
        }
        guard !rows.isEmpty else { return }
        let stamp = fetchedAt.timeIntervalSince1970
        do {
            try await pool.write { db in
                let statement = try db.cachedStatement(
                    sql: """
                        INSERT INTO usage (environment, app_key, user_id, day, used, remaining, fetched_at, settled)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (environment, app_key, user_id, day) DO UPDATE SET
                          used = excluded.used, remaining = excluded.remaining, fetched_at = excluded.fetched_at,
                          settled = excluded.settled
                        """)
                for row in rows {
                    try statement.execute(arguments: [
                        environment, key.appKey, key.userId, row.day, row.used, row.remaining, stamp, row.settled,
                    ])
                }
            }
        } catch {
            if Self.isBusy(error) { throw StoreError.busy(path: path) }
            throw StoreError(
                path: path, message: "a fetched chunk could not be kept: \(Self.describe(error))",
                category: .cantCreate)
        }
    }

    /// What the store holds for each key over `range`, in the order of `keys`.
    public func held(environment: String, keys: [KeyEntry], range: DayRange) async throws(StoreError)
        -> [[Day: StoredUsage]]
    {
        do {
            return try await pool.read { db in
                let statement = try db.cachedStatement(
                    sql: """
                        SELECT day, used, remaining, settled FROM usage
                        WHERE environment = ? AND app_key = ? AND user_id = ? AND day BETWEEN ? AND ?
                        """)
                return try keys.map { key in
                    var days: [Day: StoredUsage] = [:]
                    let rows = try Row.fetchCursor(
                        statement,
                        arguments: [
                            environment, key.appKey, key.userId, range.from.description, range.to.description,
                        ])
                    while let row = try rows.next() {
                        guard let day = Day(iso: row["day"] as String) else { continue }
                        days[day] = StoredUsage(used: row["used"], remaining: row["remaining"], settled: row["settled"])
                    }
                    return days
                }
            }
        } catch {
            if Self.isBusy(error) { throw StoreError.busy(path: path) }
            throw StoreError(path: path, message: "cannot be read: \(Self.describe(error))", category: .dataError)
        }
    }

    /// Rows in the store (for tests and diagnostics).
    public func rowCount() async throws -> Int {
        try await pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM usage") ?? 0 }
    }

    /// Refuses a file that is not a SQLite database of ours, reading it only.
    private static func checkIsOurs(_ path: String, busyTimeout: TimeInterval) throws(StoreError) {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let (id, tables) = try queue.read { db in
                (
                    try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                    try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                )
            }
            try queue.close()
            if id == applicationID { return }
            // An empty file, or one another run is creating right now (the migrator's own table comes first).
            if id == 0 && Set(tables).isSubset(of: ["grdb_migrations", "usage", "store_info"]) { return }
            throw StoreError(
                path: path, message: "is not a ttusage store (another SQLite database); it was left as it is",
                category: .dataError)
        } catch let error as StoreError {
            throw error
        } catch {
            if isBusy(error) { throw StoreError.busy(path: path) }
            throw StoreError(
                path: path, message: "is not a ttusage store or is damaged (\(describe(error))); it was left as it is",
                category: .dataError)
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}

/// The store cannot be used.
public struct StoreError: CategorizedError, Hashable {
    public var path: String
    public var message: String
    public var category: ExitCategory

    public init(path: String, message: String, category: ExitCategory) {
        self.path = path
        self.message = message
        self.category = category
    }

    public var description: String {
        category == .tempFail ? message : "store \(path) \(message)"
    }

    /// Another run held the store past the busy timeout: exit 75, and nothing about the store is wrong.
    public static func busy(path: String) -> StoreError {
        StoreError(
            path: path, message: "store busy: another ttusage run holds \(path); try again", category: .tempFail)
    }
}
