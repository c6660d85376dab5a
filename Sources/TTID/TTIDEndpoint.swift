import Foundation

/// Where the ttid service lives: a scheme, host and port, and an environment.
///
/// Paths are always built lower-case as `/ttid/<environment>/<endpoint>`; TT answers 403 to any other case.
public struct TTIDEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// TT's own host.
    public static let defaultBaseURL = "https://ttrestapi.trade.tt"

    /// `scheme://host[:port]` plus any path prefix, without a trailing slash.
    public let origin: String
    public let environment: TTEnvironment

    /// Checks `baseURL` (default TT's host): `https://` anywhere, plain `http://` only to a loopback host.
    public init(environment: TTEnvironment = .uat, baseURL: String? = nil) throws {
        let text = (baseURL ?? Self.defaultBaseURL).trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw TTIDConfigurationError(
                option: "--base-url", message: "\"\(text)\" is not a URL (expected https://host[:port])")
        }
        guard components.user == nil, components.password == nil, components.query == nil, components.fragment == nil
        else {
            throw TTIDConfigurationError(
                option: "--base-url", message: "\"\(Self.redacted(text))\" may hold only a scheme, host, port and path")
        }
        switch scheme {
        case "https": break
        case "http":
            guard Self.isLoopback(host) else {
                throw TTIDConfigurationError(
                    option: "--base-url",
                    message: "plain http is refused for \(host): use https://, or http:// only to a loopback host")
            }
        default:
            throw TTIDConfigurationError(
                option: "--base-url", message: "scheme \(scheme) is not supported: use https://")
        }
        var origin = "\(scheme)://\(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host)"
        if let port = components.port { origin += ":\(port)" }
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        self.origin = origin + path
        self.environment = environment
    }

    /// The URL of `endpoint` (`token`, `keyusage`, `healthcheckstatus`) with `query` percent-encoded in order.
    public func url(_ endpoint: String, query: [(String, String)]) -> String {
        var url = origin + "/ttid/\(environment.rawValue)/\(endpoint)".lowercased()
        if !query.isEmpty {
            url += "?" + query.map { "\($0.0)=\(Self.percentEncode($0.1))" }.joined(separator: "&")
        }
        return url
    }

    public var description: String { "\(origin)/ttid/\(environment.rawValue)" }

    /// Whether the service is on this machine (the sandbox, or a tunnel).
    public var isLoopback: Bool {
        URLComponents(string: origin)?.host.map(Self.isLoopback) ?? false
    }

    /// Whether `host` names this machine: `localhost`, `::1` or an address of 127.0.0.0/8.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" || bare == "0:0:0:0:0:0:0:1" { return true }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else { return false }
        return parts[0] == "127"
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    static func percentEncode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return "(unparsable URL)" }
        if components.password != nil { components.password = "***" }
        components.query = nil
        return components.string ?? "(unparsable URL)"
    }
}
