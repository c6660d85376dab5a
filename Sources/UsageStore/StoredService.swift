/// The service a store's rows came from: the address of the ttid host and the environment.
///
/// Two services of one environment name (TT's own host and a sandbox, or UAT through a proxy) are kept apart:
/// a store never answers for a service it did not fetch from.
public struct StoredService: Hashable, Sendable, CustomStringConvertible {
    /// `scheme://host[:port][/path]` of the service, as `TTIDEndpoint.origin` writes it.
    public var origin: String
    /// `ext_uat_cert` or `ext_prod_live`.
    public var environment: String

    /// TT's own host: the rows of a store written before services were told apart came from it.
    public static let ttOrigin = "https://ttrestapi.trade.tt"

    public init(origin: String, environment: String) {
        self.origin = origin
        self.environment = environment
    }

    public var description: String { "\(origin)/ttid/\(environment)" }
}
