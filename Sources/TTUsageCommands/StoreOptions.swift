import ArgumentParser
import Foundation
import UsageCore
import UsageStore

/// Where fetched days are kept, so that settled days are never fetched twice.
struct StoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The usage store (SQLite).",
            discussion: "Default: $XDG_DATA_HOME/ttusage/usage.sqlite, or ~/.local/share/ttusage/usage.sqlite."))
    var store: String?

    @Flag(help: "Run without a store: fetch everything, keep nothing.")
    var noStore = false

    @Flag(help: "Fetch every chunk again, even the settled days the store holds.")
    var refresh = false

    func validateValues() throws {
        if noStore, store != nil { throw CommandError.usage("--store and --no-store cannot be combined") }
    }

    /// The store path, or `nil` with `--no-store`.
    func path(_ profile: Profile?) -> String? {
        noStore
            ? nil : (store ?? profile?.store.map { ($0 as NSString).expandingTildeInPath } ?? UsageStore.defaultPath())
    }

    /// Opens the store for writing (an export), or `nil` with `--no-store`.
    func open(_ profile: Profile?) throws -> UsageStore? {
        try validateValues()
        guard let path = path(profile) else { return nil }
        return try UsageStore(path: path)
    }

    /// The incremental plan: what the store holds settled is not fetched again.
    static func incremental(
        plan: ExportPlan, store: UsageStore?, environment: String, today: Day, refresh: Bool
    ) async throws -> IncrementalPlan {
        guard let store else { return IncrementalPlan(plan: plan) }
        let held = try await store.held(environment: environment, keys: plan.keys, range: plan.range)
        return IncrementalPlan(plan: plan, held: held, today: today, refresh: refresh)
    }
}
