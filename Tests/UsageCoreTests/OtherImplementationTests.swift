import Foundation
import Hummingbird
import HummingbirdTesting
import TTID
import Testing
import UsageExport

@testable import UsageCore

/// A second, deliberately different implementation of ttid's published behaviour, written here apart from the
/// sandbox so that the client is held to API-NOTES rather than to the sandbox's habits.
///
/// Where the notes leave a choice open, it takes the other branch from the sandbox's: the token answer has no
/// `seconds_until_expiry`; the first token is refused with a gateway 403 "expired"; keyusage answers with a 303 to
/// the result; the result sits in a TT envelope, keyed by AWS's own key id rather than the app key, and starts
/// two days after the day asked (a key made mid-range), with `startDate` saying so.
actor OtherTTID {
    static let appKey = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
    static let secret = "other-secret"

    private(set) var tokensIssued = 0
    private(set) var requestIDs: [String] = []
    private(set) var keyUsageCalls = 0
    private var results: [String: String] = [:]

    /// The figures this implementation reports for a day: unlike the sandbox's model in every way.
    static func used(_ day: Day) -> Int { (day.ordinal * 37) % 1_000 }

    func record(_ requestID: String) { requestIDs.append(requestID) }

    func issueToken() -> String {
        tokensIssued += 1
        return "other-token-\(tokensIssued)"
    }

    func noteKeyUsage() { keyUsageCalls += 1 }

    func keep(_ body: String) -> String {
        let id = UUID().uuidString.lowercased()
        results[id] = body
        return id
    }

    func result(_ id: String) -> String? { results[id] }

    /// `<app>-<company>--<uuid>`, the names of letters, digits, `_` and `.`.
    static func isRequestID(_ text: String) -> Bool {
        let parts = text.components(separatedBy: "--")
        guard parts.count == 2, UUID(uuidString: parts[1]) != nil else { return false }
        let names = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_."))
        return names.count == 2
            && names.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy { allowed.contains($0) } }
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The router: `/ttid/ext_uat_cert/…` only, exact case.
    nonisolated func router() -> Router<BasicRequestContext> {
        let router = Router()
        let base = "/ttid/ext_uat_cert"
        @Sendable func checks(_ request: Request) async -> Response? {
            guard let id = request.uri.queryParameters["requestId"].map(String.init),
                Self.isRequestID(id)
            else {
                return Self.json(
                    .badRequest, #"{"status":"StatusFail","status_message":"Invalid requestId","statusCode":400}"#)
            }
            await self.record(id)
            guard request.headers.first(where: { $0.name.canonicalName == "x-api-key" })?.value == Self.appKey else {
                return Self.json(.forbidden, #"{"message":"Forbidden"}"#)
            }
            return nil
        }
        @Sendable func bearer(_ request: Request) async -> Response? {
            let header = request.headers[.authorization] ?? ""
            if header == "Bearer other-token-1" {
                return Self.json(.forbidden, #"{"message":"The incoming token has expired"}"#)
            }
            guard header.hasPrefix("Bearer other-token-") else {
                return Self.json(.unauthorized, #"{"message":"Unauthorized"}"#)
            }
            return nil
        }
        router.post("\(base)/token") { request, _ -> Response in
            if let refusal = await checks(request) { return refusal }
            let buffer = try await request.body.collect(upTo: 4096)
            let form = String(decoding: buffer.readableBytesView, as: UTF8.self)
            guard request.headers[.contentType] == "application/x-www-form-urlencoded",
                form.removingPercentEncoding == "grant_type=user_app&app_key=\(Self.appKey):\(Self.secret)"
            else {
                return Self.json(.ok, #"{"status":"Fail","status_message":"invalid app key or secret"}"#)
            }
            let token = await self.issueToken()
            return Self.json(.ok, #"{"status":"Ok","access_token":"\#(token)","token_type":"bearer"}"#)
        }
        router.get("\(base)/keyusage") { request, _ -> Response in
            if let refusal = await checks(request) { return refusal }
            if let refusal = await bearer(request) { return refusal }
            await self.noteKeyUsage()
            let query = request.uri.queryParameters
            guard query["appKey"].map(String.init) == Self.appKey,
                let start = query["startDate"].flatMap({ Day(iso: $0) }),
                let end = query["endDate"].flatMap({ Day(iso: $0) }), start <= end
            else {
                return Self.json(.badRequest, #"{"status":"StatusFail","status_message":"bad query","statusCode":400}"#)
            }
            let first = start.adding(days: 2)
            let pairs =
                first <= end
                ? (first.ordinal...end.ordinal).map {
                    "[\(Self.used(Day(ordinal: $0))),\(5_000 - Self.used(Day(ordinal: $0)))]"
                }
                : []
            let body = """
                {"status":"Ok","lastPage":"true","usage":{"usagePlanId":"plan7","startDate":"\(first)",\
                "endDate":"\(end)","values":{"k9x8y7w6":[\(pairs.joined(separator: ","))]}}}
                """
            let id = await self.keep(body)
            return Response(status: .seeOther, headers: [.location: "\(base)/results/\(id)"])
        }
        router.get("\(base)/results/:id") { _, context -> Response in
            guard let id = context.parameters.get("id"), let body = await self.result(id) else {
                return Self.json(.notFound, #"{"message":"Not Found"}"#)
            }
            return Self.json(.ok, body)
        }
        router.get("\(base)/healthcheckstatus") { request, _ -> Response in
            if let refusal = await checks(request) { return refusal }
            if let refusal = await bearer(request) { return refusal }
            return Self.json(
                .ok,
                """
                {"status":"Ok","environment":"ext_uat_cert","systemStatus":"Degraded",\
                "lastUpdatedTime":"2026-11-30T23:00:00Z","groups":[{"name":"Data","services":\
                [{"name":"ttid","serviceStatus":"Degraded","components":[{"name":"usage","componentStatus":"Slow"}]}]}]}
                """)
        }
        return router
    }
}

@Suite("Another implementation of ttid's published behaviour")
struct OtherImplementationTests {
    func withClient<T: Sendable>(
        _ service: OtherTTID, secret: String = OtherTTID.secret,
        _ body: @escaping @Sendable (TTIDClient) async throws -> T
    ) async throws -> T {
        let app = Application(router: service.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            let port = try #require(client.port)
            let configuration = TTIDClientConfiguration(
                endpoint: try TTIDEndpoint(baseURL: "http://127.0.0.1:\(port)"),
                requestIDs: try RequestIDFactory(appName: "tests", company: "other"), maxConnections: 4)
            return try await TTIDClient.withClient(
                configuration: configuration, credentials: TTCredentials(appKey: OtherTTID.appKey, secret: secret),
                body)
        }
    }

    @Test func exportPlacesTheSeriesWhereTheBodySaysItStarts() async throws {
        let service = OtherTTID()
        let today = Day(containing: Date())
        let range = try #require(DayRange(from: today.adding(days: -40), to: today.adding(days: -1)))
        let key = KeyEntry(appKey: OtherTTID.appKey, userId: "4711", label: "Other")
        let plan = try ExportPlan(keys: [key], range: range, chunkDays: 20)
        let dataset = try await withClient(service) { client in
            try await Exporter(concurrency: 2).run(
                plan, source: client, gate: client.gate, today: today, environment: "ext_uat_cert")
        }
        let days = try #require(dataset.keys.first?.days)
        #expect(days.map(\.date) == Array(range))
        for (chunkIndex, chunk) in plan.chunks.enumerated() {
            for day in chunk {
                let usage = days[day.ordinal - range.from.ordinal]
                if day.ordinal - chunk.from.ordinal < 2 {
                    #expect(usage.status == .missing && usage.used == nil, "chunk \(chunkIndex) day \(day)")
                } else {
                    #expect(usage.status == .ok && usage.used == OtherTTID.used(day), "chunk \(chunkIndex) day \(day)")
                    #expect(usage.remaining == 5_000 - OtherTTID.used(day))
                }
            }
        }
        #expect(dataset.failures.isEmpty)
        // The first token was refused as expired once, renewed once; every request had its own ID.
        #expect(await service.tokensIssued == 2)
        #expect(await service.keyUsageCalls == 2)
        let ids = await service.requestIDs
        #expect(Set(ids).count == ids.count && ids.count == 2 + 2 + 2)
    }

    @Test func healthIsTypedAndARefusalInA200IsCredentialsRefused() async throws {
        let service = OtherTTID()
        // The first token is refused as expired: renewed once, the call repeated once.
        let health = try await withClient(service) { client in try await client.healthCheck() }
        #expect(await service.tokensIssued == 2)
        #expect(health.systemStatus == "Degraded")
        #expect(health.groups.first?.services.first?.components.first?.status == "Slow")
        await #expect(throws: TTIDError.self) {
            do {
                _ = try await withClient(service, secret: "wrong") { client in try await client.healthCheck() }
            } catch let error as TTIDError {
                #expect(error.kind == .credentialsRefused)
                #expect(!error.description.contains("wrong"))
                throw error
            }
        }
    }
}
