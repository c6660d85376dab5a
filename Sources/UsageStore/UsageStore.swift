import Foundation
import GRDB
import UsageCore

/// The usage store: every fetched day, so that what is settled is never fetched twice, and a crash loses at most
/// the calls in flight.
///
/// SQLite through GRDB, in WAL mode. One writer (this actor) commits each fetched chunk in one transaction.
/// A row per service (its address and environment), app key, user id and day.
public actor UsageStore {
    /// `PRAGMA application_id` of a ttusage store ("TTUS").
    public static let applicationID: Int32 = 0x5454_5553

    public nonisolated let path: String
    let database: any DatabaseWriter

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

    /// Opens (or creates) the store at `path` and migrates it.
    ///
    /// Nothing is written to a file that is not a ttusage store, whose SQLite header is wrong or that fails SQLite's
    /// quick check: it is refused with its bytes unchanged. A store the process cannot write is refused for writing
    /// (`cantCreate`) and read fine with `readOnly`; a zero-byte file is an empty store to every command. Several
    /// runs may share a store (SQLite WAL: readers never wait, writers wait up to `busyTimeout` for each other); a
    /// store still locked after that is ``StoreError/busy(path:)``, never "damaged".
    ///
    /// Waits between tries on `clock` (a test's own, or the process's), never blocking a thread.
    public init<C: Clock<Duration>>(
        path: String, readOnly: Bool = false, busyTimeout: TimeInterval = defaultBusyTimeout,
        clock: C = ContinuousClock()
    ) async throws(StoreError) {
        let waiting = Waiting(clock: clock, timeout: .seconds(busyTimeout))
        self.path = path
        let size = Self.fileSize(path)
        if let size, size > 0 {
            try Self.checkIsOurs(path, busyTimeout: busyTimeout)
        } else if size == nil, readOnly {
            throw StoreError(path: path, message: "no such store", category: .noInput)
        }
        if !readOnly { try Self.checkWritable(path, exists: size != nil) }
        if readOnly, size == 0 {
            // Nothing in it yet: an empty store, whatever the command.
            do {
                database = try Self.emptyStore()
            } catch {
                throw StoreError(path: path, message: "cannot be read: \(Self.describe(error))", category: .dataError)
            }
            return
        }
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(busyTimeout)
        do {
            if readOnly {
                database = try await Self.openReadOnly(path, configuration: configuration, waiting: waiting)
            } else {
                database = try await Self.opening(waiting) {
                    let pool = try DatabasePool(path: path, configuration: configuration)
                    try Self.migrator.migrate(pool)
                    return pool
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            if Self.isBusy(error) { throw StoreError.busy(path: path) }
            throw StoreError(
                path: path, message: "cannot be opened: \(Self.describe(error)); it was left untouched",
                category: size != nil ? .dataError : .cantCreate)
        }
    }

    /// A read-only connection. A store of an earlier version is migrated first when the process may write it; one
    /// in a folder the process cannot write is opened as immutable (SQLite cannot make its shared-memory file).
    private static func openReadOnly<C: Clock<Duration>>(
        _ path: String, configuration: Configuration, waiting: Waiting<C>
    ) async throws -> any DatabaseWriter {
        let folder = (path as NSString).deletingLastPathComponent
        let folderWritable = access(folder.isEmpty ? "." : folder, W_OK) == 0
        let hasShm = FileManager.default.fileExists(atPath: path + "-shm")
        let hasWal = Self.fileSize(path + "-wal").map { $0 > 0 } ?? false
        let location = folderWritable || hasShm || hasWal ? path : "file:\(path)?immutable=1"
        var database: any DatabaseWriter = try await opening(waiting) {
            try DatabaseQueue(path: location, configuration: configuration)
        }
        // A store another run is creating right now has its migrations part done for a moment: it looks like an
        // old store only until that run has finished migrating it.
        var pending = try await database.read { try !migrator.hasCompletedMigrations($0) }
        let creation = waiting.within(min(waiting.timeout, creationWait))
        while pending, await creation.pause(.milliseconds(50)) {
            pending = try await database.read { try !migrator.hasCompletedMigrations($0) }
        }
        guard pending else { return database }
        guard folderWritable, access(path, W_OK) == 0 else {
            throw StoreError(
                path: path,
                message: "was written by an earlier version and cannot be brought up to date here (read-only)",
                category: .dataError)
        }
        try checkIsOurs(path, busyTimeout: waiting.timeout / .seconds(1))
        var writer = configuration
        writer.readonly = false
        try await opening(waiting) {
            let pool = try DatabasePool(path: path, configuration: writer)
            try migrator.migrate(pool)
            try pool.close()
        }
        database = try await opening(waiting) { try DatabaseQueue(path: path, configuration: configuration) }
        return database
    }

    /// A store with nothing in it, in memory.
    private static func emptyStore() throws -> any DatabaseWriter {
        let queue = try DatabaseQueue()
        try migrator.migrate(queue)
        return queue
    }

    /// Refuses, before anything is written, a store the process cannot write: a read-only file or folder.
    private static func checkWritable(_ path: String, exists: Bool) throws(StoreError) {
        let folder = (path as NSString).deletingLastPathComponent
        if !exists {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
            } catch {
                throw StoreError(
                    path: path, message: "cannot be made: its folder \(folder) cannot be created", category: .cantCreate
                )
            }
        }
        if exists, access(path, W_OK) != 0 {
            throw StoreError(
                path: path,
                message: "is read-only: this command writes the store (give --store elsewhere or --no-store)",
                category: .cantCreate)
        }
        if access(folder.isEmpty ? "." : folder, W_OK) != 0 {
            throw StoreError(
                path: path,
                message: "is in a read-only folder (\(folder)): SQLite writes its journal beside the store "
                    + "(give --store elsewhere or --no-store)",
                category: .cantCreate)
        }
    }

    /// The file's size, or `nil` when there is no such file.
    static func fileSize(_ path: String) -> UInt64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt64(max(0, info.st_size))
    }

    /// How long a read-only open waits for a store that another run is migrating.
    static let creationWait: Duration = .seconds(2)

    /// Runs `open` again while SQLite answers busy at once (switching a new file to WAL: a case where its busy
    /// handler is not called), for up to `timeout` seconds; and a few times when two runs created and migrated a
    /// new store together (the later one finds a table the earlier one just made, or records a migration the
    /// earlier one just recorded, then sees the migrations done).
    private static func opening<T, C: Clock<Duration>>(_ waiting: Waiting<C>, _ open: () throws -> T) async throws
        -> T
    {
        var pause: Duration = .milliseconds(20)
        var raced = 0
        while true {
            do {
                return try open()
            } catch  where isBusy(error) {
                guard await waiting.pause(pause) else { throw error }
                pause = min(pause * 2, .milliseconds(500))
            } catch let error as DatabaseError
                where [.SQLITE_ERROR, .SQLITE_CONSTRAINT].contains(error.resultCode.primaryResultCode) && raced < 8
            {
                raced += 1
                _ = await waiting.pause(pause)
            }
        }
    }

    /// Whether SQLite gave up waiting for another connection's lock.
    static func isBusy(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// Keeps the reported days of one fetched chunk, in one transaction. Missing days are not kept: they are
    /// absent, and fetched again next time.
    public func save(service: StoredService, key: KeyEntry, days: [DayUsage], fetchedAt: Date)
        async throws(StoreError)
    {
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
            try await database.write { db in
                let statement = try db.cachedStatement(
                    sql: """
                        INSERT INTO usage
                          (service, environment, app_key, user_id, day, used, remaining, fetched_at, settled)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (service, environment, app_key, user_id, day) DO UPDATE SET
                          used = excluded.used, remaining = excluded.remaining, fetched_at = excluded.fetched_at,
                          settled = excluded.settled
                        """)
                for row in rows {
                    try statement.execute(arguments: [
                        service.origin, service.environment, key.appKey, key.userId, row.day, row.used,
                        row.remaining, stamp, row.settled,
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
    public func held(service: StoredService, keys: [KeyEntry], range: DayRange) async throws(StoreError)
        -> [[Day: StoredUsage]]
    {
        do {
            return try await database.read { db in
                let statement = try db.cachedStatement(
                    sql: """
                        SELECT day, used, remaining, settled FROM usage
                        WHERE service = ? AND environment = ? AND app_key = ? AND user_id = ?
                          AND day BETWEEN ? AND ?
                        """)
                return try keys.map { key in
                    var days: [Day: StoredUsage] = [:]
                    let rows = try Row.fetchCursor(
                        statement,
                        arguments: [
                            service.origin, service.environment, key.appKey, key.userId, range.from.description,
                            range.to.description,
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

    /// The addresses of the services of `environment` the store holds rows of, sorted.
    public func origins(environment: String) async throws(StoreError) -> [String] {
        do {
            return try await database.read { db in
                try String.fetchAll(
                    db, sql: "SELECT DISTINCT service FROM usage WHERE environment = ? ORDER BY service",
                    arguments: [environment])
            }
        } catch {
            if Self.isBusy(error) { throw StoreError.busy(path: path) }
            throw StoreError(path: path, message: "cannot be read: \(Self.describe(error))", category: .dataError)
        }
    }

    /// Rows in the store (for tests and diagnostics).
    public func rowCount() async throws -> Int {
        try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM usage") ?? 0 }
    }

    /// Refuses a file that is not a SQLite database of ours, or one that SQLite's quick check finds damaged, reading
    /// it only.
    private static func checkIsOurs(_ path: String, busyTimeout: TimeInterval) throws(StoreError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError(path: path, message: "cannot be read (permission denied)", category: .noInput)
        }
        let header = (try? handle.read(upToCount: 16)) ?? nil
        try? handle.close()
        guard header == Data("SQLite format 3\u{0}".utf8) else {
            throw StoreError(
                path: path, message: "is not a ttusage store (not a SQLite database); it was left untouched",
                category: .dataError)
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let (id, tables, problems) = try queue.read { db in
                (
                    try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                    try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"),
                    try String.fetchAll(db, sql: "PRAGMA quick_check(3)")
                )
            }
            try queue.close()
            guard problems == ["ok"] else {
                throw StoreError(
                    path: path,
                    message: "is damaged (SQLite's quick check: \(problems.first ?? "no answer")); "
                        + "it was left untouched: move it aside and run again to fetch what it held",
                    category: .dataError)
            }
            if id == applicationID { return }
            // An empty file, or one another run is creating right now (the migrator's own table comes first).
            if id == 0
                && Set(tables).isSubset(of: [
                    "grdb_migrations", "usage", "usage_by_service", "store_info", "runs", "sqlite_sequence",
                ])
            {
                return
            }
            throw StoreError(
                path: path, message: "is not a ttusage store (another SQLite database); it was left untouched",
                category: .dataError)
        } catch let error as StoreError {
            throw error
        } catch {
            if isBusy(error) { throw StoreError.busy(path: path) }
            throw StoreError(
                path: path, message: "is not a ttusage store or is damaged (\(describe(error))); it was left untouched",
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
