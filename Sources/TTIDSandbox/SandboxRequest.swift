import Hummingbird

/// The parts of an HTTP request that the sandbox's rules look at.
struct SandboxRequest: Sendable {
    var method: HTTPRequest.Method
    /// The raw path, without the query; compared case-sensitively.
    var path: String
    /// Query values (percent-decoded), the first one of each name.
    var query: [String: String]
    var apiKey: String?
    var authorization: String?
    var contentType: String?
    /// The body as UTF-8 text; `nil` when it could not be read or was too large.
    var body: String?
}

/// A ttid endpoint and the environment its path names.
struct SandboxRoute: Sendable {
    enum Endpoint: Sendable {
        case token
        case keyUsage
        case health
    }

    static let environments: Set<String> = ["ext_uat_cert", "ext_prod_live"]

    var endpoint: Endpoint
    var environment: String

    /// The endpoint a path names, whatever the method; `nil` for any other path. Paths are case sensitive.
    init?(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].isEmpty, parts[1] == "ttid", Self.environments.contains(String(parts[2]))
        else { return nil }
        switch parts[3] {
        case "token": self.endpoint = .token
        case "keyusage": self.endpoint = .keyUsage
        case "healthcheckstatus": self.endpoint = .health
        default: return nil
        }
        self.environment = String(parts[2])
    }

    /// The method the endpoint answers.
    var method: HTTPRequest.Method {
        self.endpoint == .token ? .post : .get
    }
}
