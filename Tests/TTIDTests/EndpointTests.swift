import Testing

@testable import TTID

@Suite("Endpoint and request IDs")
struct EndpointTests {
    @Test func defaultHostAndLowerCasePaths() throws {
        let endpoint = try TTIDEndpoint()
        #expect(endpoint.url("token", query: []) == "https://ttrestapi.trade.tt/ttid/ext_uat_cert/token")
        let live = try TTIDEndpoint(environment: .production)
        #expect(
            live.url("KeyUsage", query: [("appKey", "AbC")])
                == "https://ttrestapi.trade.tt/ttid/ext_prod_live/keyusage?appKey=AbC")
    }

    @Test func baseURLReplacesSchemeHostAndPort() throws {
        let endpoint = try TTIDEndpoint(baseURL: "http://127.0.0.1:8080")
        #expect(endpoint.url("token", query: []) == "http://127.0.0.1:8080/ttid/ext_uat_cert/token")
        let trailing = try TTIDEndpoint(environment: .production, baseURL: "https://tt.example.com/")
        #expect(
            trailing.url("healthcheckstatus", query: [])
                == "https://tt.example.com/ttid/ext_prod_live/healthcheckstatus")
    }

    @Test(arguments: [
        "http://127.0.0.1:9", "http://localhost:8080", "http://[::1]:8080", "http://127.9.9.9",
        "https://example.com", "https://10.0.0.1:8443",
    ])
    func acceptedBaseURLs(_ url: String) throws {
        _ = try TTIDEndpoint(baseURL: url)
    }

    @Test(arguments: [
        "http://example.com", "http://10.0.0.1:8080", "http://128.0.0.1", "ftp://127.0.0.1",
        "not a url", "https://user:pw@example.com", "http://localhost.example.com",
    ])
    func refusedBaseURLs(_ url: String) {
        #expect(throws: TTIDConfigurationError.self) { try TTIDEndpoint(baseURL: url) }
    }

    @Test func queryValuesArePercentEncoded() throws {
        let endpoint = try TTIDEndpoint(baseURL: "http://127.0.0.1:1")
        #expect(endpoint.url("keyusage", query: [("userId", "a b&c=d")]).hasSuffix("keyusage?userId=a%20b%26c%3Dd"))
    }

    @Test func requestIDsFollowTTsForm() throws {
        let factory = try RequestIDFactory(appName: "my_app.v2", company: "Acme")
        let ids = (0..<1000).map { _ in factory.make() }
        #expect(Set(ids).count == 1000)
        for id in ids {
            #expect(
                id.wholeMatch(of: /my_app\.v2-Acme--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/)
                    != nil)
        }
    }

    @Test(arguments: ["", "my app", "a-b", "x/y", "ü", "a$", String(repeating: "a", count: 65)])
    func badNamesAreRefused(_ name: String) {
        #expect(throws: TTIDConfigurationError.self) { try RequestIDFactory(appName: name, company: "ok") }
        #expect(throws: TTIDConfigurationError.self) { try RequestIDFactory(appName: "ok", company: name) }
    }

    @Test func secretBareOrAsKeyColonSecret() {
        let key = "00000000-0000-0000-0000-0000000000AA"
        #expect(TTCredentials(appKey: key, secret: "s3cr3t").keyAndSecret == "\(key):s3cr3t")
        #expect(TTCredentials(appKey: key, secret: "\(key):s3cr3t").keyAndSecret == "\(key):s3cr3t")
        #expect(
            TTCredentials(appKey: key, secret: "\(key.lowercased()):s3cr3t").keyAndSecret
                == "\(key.lowercased()):s3cr3t")
        #expect(!String(describing: TTCredentials(appKey: key, secret: "s3cr3t")).contains("s3cr3t"))
    }
}
