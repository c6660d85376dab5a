import GRDB
import UsageCore

extension UsageStore {
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
        migrator.registerMigration("v3-service") { db in
            // Rows are the service's: the address joins the environment name in the key. Rows kept before came
            // from TT's own host, the only one a store was meant for.
            try db.create(table: "usage_by_service") { table in
                table.column("service", .text).notNull()
                table.column("environment", .text).notNull()
                table.column("app_key", .text).notNull()
                table.column("user_id", .text).notNull()
                table.column("day", .text).notNull()
                table.column("used", .integer).notNull()
                table.column("remaining", .integer)
                table.column("fetched_at", .double).notNull()
                table.column("settled", .boolean).notNull()
                table.primaryKey(["service", "environment", "app_key", "user_id", "day"])
            }
            try db.execute(
                sql: """
                    INSERT INTO usage_by_service
                    SELECT ?, environment, app_key, user_id, day, used, remaining, fetched_at, settled FROM usage
                    """, arguments: [StoredService.ttOrigin])
            try db.drop(table: "usage")
            try db.rename(table: "usage_by_service", to: "usage")
        }
        migrator.registerMigration("v4-runs") { db in
            try db.create(table: "runs") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("started", .double).notNull()
                table.column("finished", .double).notNull()
                table.column("command", .text).notNull()
                table.column("environment", .text).notNull()
                table.column("range_from", .text).notNull()
                table.column("range_to", .text).notNull()
                table.column("keys", .integer).notNull()
                table.column("calls", .integer).notNull()
                table.column("throttled", .integer).notNull()
                table.column("exit_code", .integer).notNull()
                table.column("out", .text).notNull()
                table.column("wrote_report", .boolean).notNull()
            }
        }
        return migrator
    }
}
