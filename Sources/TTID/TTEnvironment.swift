/// A ttid environment: the last path segment of `https://ttrestapi.trade.tt/ttid/<environment>`.
public enum TTEnvironment: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Development and testing (UAT). The default.
    case uat = "ext_uat_cert"
    /// Production.
    case production = "ext_prod_live"

    public var description: String { rawValue }
}
