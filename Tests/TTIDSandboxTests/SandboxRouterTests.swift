import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TTIDSandbox
import Testing

/// The sandbox's rules that need no socket, through HummingbirdTesting's router framework on the same
/// application `start()` and `ttusage sandbox` run.
@Suite("Sandbox rules without a socket")
struct SandboxRouterTests {
    static let credential = SandboxConfiguration.demoCredential

    @Test func gatewayRefusalsHaveTheGatewaysShape() async throws {
        let server = TTIDSandboxServer(configuration: SandboxConfiguration())
        try await server.application().test(.router) { client in
            // A path in the wrong case is not a route: 403 "Missing Authentication Token", whatever the key.
            try await client.execute(
                uri: "/ttid/ext_uat_cert/HealthCheckStatus?requestId=a--1", method: .get,
                headers: [HTTPField.Name("x-api-key")!: Self.credential.appKey]
            ) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body) == #"{"message":"Missing Authentication Token"}"#)
            }
            // A known route with no x-api-key: 403 "Forbidden".
            try await client.execute(uri: "/ttid/ext_uat_cert/healthcheckstatus?requestId=a--1", method: .get) {
                response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body) == #"{"message":"Forbidden"}"#)
            }
            // The right key but no bearer: 401 "Unauthorized".
            try await client.execute(
                uri: "/ttid/ext_uat_cert/healthcheckstatus?requestId=a--1", method: .get,
                headers: [HTTPField.Name("x-api-key")!: Self.credential.appKey]
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body) == #"{"message":"Unauthorized"}"#)
            }
        }
        #expect(await server.counters().otherRequests == 1)
    }
}
