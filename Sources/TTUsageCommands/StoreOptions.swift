import ArgumentParser
import Foundation
import TTID
import UsageCore
import UsageStore

/// Where fetched days are kept, so that settled days are never fetched twice.
struct StoreOptions: ParsableArguments {
    @Option(
        help:
            "The usage store (SQLite; default: $XDG_DATA_HOME/ttusage/usage.sqlite, or ~/.local/share/ttusage/usage.sqlite)."
    )
    var store: String?

    @Flag(help: "Run without a store: fetch everything, keep nothing.")
    var noStore = false

    @Flag(help: "Fetch every chunk again, even the settled days the store holds.")
    var refresh = false

    func validateValues() throws {
        if noStore, store != nil { throw CommandError.usage("--store and --no-store cannot be combined") }
    }

    /// The store path, or `nil` with `--no-store`. A loopback service (the sandbox) is kept only in a store named
    /// by `--store` or the profile, never in the default store that holds TT's figures.
    func path(_ profile: Profile?, endpoint: TTIDEndpoint) -> String? {
        if noStore { return nil }
        if let named = store ?? profile?.store { return named }
        return endpoint.isLoopback ? nil : UsageStore.defaultPath()
    }

    /// Opens the store for writing (an export), or `nil` with `--no-store`.
    func open(_ profile: Profile?, endpoint: TTIDEndpoint) async throws -> UsageStore? {
        try validateValues()
        guard let path = path(profile, endpoint: endpoint) else { return nil }
        return try await UsageStore(path: path)
    }

    /// The service a reading command (`plan`, `render --store`) reads from the store: the one `--base-url` (or the
    /// profile) names; without one, the only service of the environment the store holds (TT's own host when it
    /// holds none). A store holding several is bad usage, with a line listing them.
    static func service(
        in store: UsageStore, environment: TTEnvironment, baseURL: String?
    ) async throws -> StoredService {
        if let baseURL {
            let endpoint = try TTIDEndpoint(environment: environment, baseURL: baseURL)
            return StoredService(origin: endpoint.origin, environment: environment.rawValue)
        }
        let origins = try await store.origins(environment: environment.rawValue)
        guard origins.count <= 1 else {
            throw CommandError.usage(
                "store \(store.path) holds \(environment.rawValue) figures of \(origins.count) services "
                    + "(\(origins.joined(separator: ", "))): give --base-url to pick one")
        }
        return StoredService(origin: origins.first ?? StoredService.ttOrigin, environment: environment.rawValue)
    }
}
