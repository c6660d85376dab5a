import ArgumentParser
import TTID

/// The options every networked command shares: where the service is and how requests are named.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "ttid environment: ext_uat_cert (UAT, the default) or ext_prod_live.")
    var environment: TTEnvironment?

    @Option(
        help:
            "Another host for the service, e.g. http://127.0.0.1:8080 (the sandbox): https:// anywhere, plain http:// only to a loopback host; /ttid/<environment>/ is still added."
    )
    var baseURL: String?

    @Option(help: "Application name in each request ID (letters, digits, _ and .; default ttusage).")
    var appName: String?

    @Option(help: "Company name in each request ID (letters, digits, _ and .; default company).")
    var company: String?

    @Option(
        help:
            "A file holding TT_APP_KEY=… and TT_APP_SECRET=…, readable by its owner only (instead of the environment).")
    var credentials: String?

    @Option(help: "The deadline of one HTTP request, in seconds.")
    var timeout: Double = 30

    /// The endpoint and request-ID names, checked; throws a usage error before any connection.
    func clientConfiguration(maxConnections: Int, profile: Profile?) throws -> TTIDClientConfiguration {
        let environment = try TTEnvironment.resolve(environment, profile: profile?.environment)
        guard timeout > 0, timeout <= 600 else {
            throw TTIDConfigurationError(option: "--timeout", message: "must be between 0 and 600 seconds")
        }
        return TTIDClientConfiguration(
            endpoint: try TTIDEndpoint(environment: environment, baseURL: baseURL ?? profile?.baseURL),
            requestIDs: try RequestIDFactory(
                appName: appName ?? profile?.appName ?? RequestIDFactory.defaultAppName,
                company: company ?? profile?.company ?? RequestIDFactory.defaultCompany),
            requestTimeout: .milliseconds(Int64(timeout * 1000)), maxConnections: maxConnections)
    }

    func loadCredentials() throws -> TTCredentials { try CredentialSource.load(file: credentials) }
}
