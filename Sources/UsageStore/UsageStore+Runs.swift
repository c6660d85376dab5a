import Foundation
import GRDB

extension UsageStore {
    /// Keeps one run in the history.
    public func record(_ run: RunRecord) async throws(StoreError) {
        do {
            try await database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO runs (started, finished, command, environment, range_from, range_to, keys, calls,
                          throttled, exit_code, out, wrote_report)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        run.started.timeIntervalSince1970, run.finished.timeIntervalSince1970, run.command,
                        run.environment, run.from, run.to, run.keys, run.calls, run.throttled, Int(run.exitCode),
                        run.out, run.wroteReport,
                    ])
            }
        } catch {
            if Self.isBusy(error) { throw StoreError.busy(path: path) }
            throw StoreError(
                path: path, message: "the run could not be recorded: \(Self.describe(error))", category: .cantCreate)
        }
    }

    /// The last `limit` runs, newest first.
    public func runs(last limit: Int) async throws(StoreError) -> [RunRecord] {
        do {
            return try await database.read { db in
                let rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM runs ORDER BY started DESC, id DESC LIMIT ?", arguments: [max(0, limit)])
                return rows.map { row in
                    RunRecord(
                        started: Date(timeIntervalSince1970: row["started"]),
                        finished: Date(timeIntervalSince1970: row["finished"]), command: row["command"],
                        environment: row["environment"], from: row["range_from"], to: row["range_to"],
                        keys: row["keys"], calls: row["calls"], throttled: row["throttled"],
                        exitCode: Int32(truncatingIfNeeded: row["exit_code"] as Int), out: row["out"])
                }
            }
        } catch {
            if Self.isBusy(error) { throw StoreError.busy(path: path) }
            throw StoreError(path: path, message: "cannot be read: \(Self.describe(error))", category: .dataError)
        }
    }
}
