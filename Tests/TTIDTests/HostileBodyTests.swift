import Foundation
import TTIDSandbox
import Testing

@testable import TTID

/// Keyusage and error bodies that a broken or hostile service could send (issue 6, item 5, the API part).
///
/// Every keyusage body either parses or fails with `KeyUsageParser.Failure` (which the client turns into a
/// transient fault to retry, or a `Fail` status): never a crash. The parser's typed throw makes "no other error"
/// a compile-time fact; these tests prove "no trap" and pin which side of the line each body falls on.
/// Error bodies become a `TTIDError` whose text stays bounded, whatever the body holds.
@Suite("hostile keyusage and error bodies")
struct HostileBodyTests {
    typealias F = ClientFixture

    static let key = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

    /// The longest `TTIDError.description` acceptable for one failed call: it goes to one line of standard error.
    static let descriptionLimit = 1_024

    /// The page `body` gives for `key`, or the parser's failure; never anything else.
    static func outcome(_ body: Data) -> Result<KeyUsageParser.Page, KeyUsageParser.Failure> {
        do {
            return .success(try KeyUsageParser.parse(body, appKey: key))
        } catch {
            return .failure(error)
        }
    }

    static func outcome(_ body: String) -> Result<KeyUsageParser.Page, KeyUsageParser.Failure> {
        outcome(Data(body.utf8))
    }

    /// Whether `body` was rejected as malformed (the client's transient fault).
    static func isMalformed(_ body: String) -> Bool {
        if case .failure(.malformed) = outcome(body) { return true }
        return false
    }

    /// The days `body` gives for `key`, or `nil` when it was rejected or does not hold the key.
    static func days(_ body: String) -> [UsageDatum]? {
        if case .success(let page) = outcome(body) { return page.series }
        return nil
    }

    /// `{"values":{"<key>":SERIES}}`, AWS's shape.
    static func values(_ series: String) -> String { #"{"values":{"\#(key)":\#(series)}}"# }

    // MARK: - Truncated, empty, null, not JSON

    @Test func everyTruncationOfAValidBodyIsMalformed() {
        let body = #"{"usagePlanId":"p","values":{"\#(Self.key)":[[1,9],[2,null],{"used":"3"}]},"lastPage":true}"#
        #expect(Self.days(body)?.count == 3)
        let bytes = Array(body.utf8)
        for length in 0..<bytes.count {
            let prefix = String(decoding: bytes[0..<length], as: UTF8.self)
            #expect(Self.isMalformed(prefix), "prefix of \(length) bytes: \(prefix)")
        }
    }

    @Test(arguments: [
        "", " ", "\n", "null", "true", "0", "-1", "1e400", #""values""#, "{}", "[", "]", "{", "}", "[}", "{]",
        "NaN", "Infinity", #"{"values":NaN}"#, "<html><body>502 Bad Gateway</body></html>", "\u{0}",
        #"{"values":{"k":[[1,2]]}"#, #"{"values":{"k":[[1,2]]}}}"#, #"{"values":{"k":[[1,2]]}} trailing"#,
        "{'values':{}}", #"{values:{}}"#, #"{"values":{"k":[[1,2]]}},"#,
    ])
    func notJSONOrNoSeriesIsMalformed(_ body: String) {
        #expect(Self.isMalformed(body))
    }

    @Test func invalidUTF8AndOtherEncodingsNeverTrap() throws {
        let valid = Data(Self.values("[[1,2]]").utf8)
        var broken = valid
        broken.insert(contentsOf: [0xC3, 0x28, 0xFF, 0xFE], at: broken.index(broken.startIndex, offsetBy: 12))
        #expect(throws: KeyUsageParser.Failure.self) { try KeyUsageParser.parse(broken, appKey: Self.key) }
        // A BOM, then UTF-8, UTF-16 or UTF-32: Foundation's decoder reads them all; either outcome is safe.
        let bom = Data([0xEF, 0xBB, 0xBF]) + valid
        #expect(try KeyUsageParser.parse(bom, appKey: Self.key).series?.count == 1)
        for encoding in [String.Encoding.utf16LittleEndian, .utf16BigEndian, .utf16, .utf32] {
            let other = Self.values("[[1,2]]").data(using: encoding) ?? Data()
            switch Self.outcome(other) {
            case .success(let page): #expect(page.series == [UsageDatum(used: 1, remaining: 2)])
            case .failure: break  // rejected as malformed: safe too
            }
        }
    }

    // MARK: - Wrong types where counts go

    @Test(arguments: [
        "[[true,1]]", "[[1,false]]", "[[null,1]]", #"[["a",1]]"#, #"[["",1]]"#, #"[["1e3",1]]"#, #"[["0x10",1]]"#,
        #"[["١٢",1]]"#, "[[{},1]]", "[[[],1]]", "[[1,{}]]", "[[1,[2]]]", "[[]]", "[[1,2,3,4]]", #"["1,2"]"#, "[1]",
        "[true]", "[null]", #"[{"remaining":1}]"#, #"[{"used":true}]"#, #"[{"used":{"n":1}}]"#,
        #"[{"used":1,"remaining":"x"}]"#, #"{"n":1}"#, #""[[1,2]]""#, "7", "true",
    ])
    func wrongTypesAreMalformed(_ series: String) {
        #expect(Self.isMalformed(Self.values(series)), "\(series)")
    }

    @Test func foundationsLeniencyIsHarmless() {
        // Foundation's decoder accepts a trailing comma inside an array or an object: the body reads as without it.
        #expect(Self.days(Self.values("[[1,2,]]")) == [UsageDatum(used: 1, remaining: 2)])
        #expect(Self.days(#"{"values":{"\#(Self.key)":[[1,2]],},}"#) == [UsageDatum(used: 1, remaining: 2)])
    }

    @Test func numericStringsAndIntegralFloatsAreCounts() {
        // TT's pass-through may stringify numbers; a string that is a whole number is read as one.
        #expect(
            Self.days(Self.values(#"[["12","3"],[" 4 ",null],["+5","0"]]"#))
                == [
                    UsageDatum(used: 12, remaining: 3), UsageDatum(used: 4, remaining: nil),
                    UsageDatum(used: 5, remaining: 0),
                ])
        #expect(
            Self.days(Self.values("[[2.0,3.0],[1e2,0],[-0.0,1]]"))
                == [
                    UsageDatum(used: 2, remaining: 3), UsageDatum(used: 100, remaining: 0),
                    UsageDatum(used: 0, remaining: 1),
                ])
    }

    // MARK: - Negative, fractional and huge counts

    @Test(arguments: [
        "[[-1,5]]", "[[5,-1]]", #"[["-1",5]]"#, "[[-9223372036854775808,0]]", #"[{"used":-3}]"#,
        #"[{"used":3,"remaining":-1}]"#, "[[1.5,2]]", "[[1,2.25]]", "[[0.1,0]]", "[[1e-300,0]]",
        "[[1e30,0]]", "[[0,1e30]]", "[[1e308,0]]", "[[1e400,0]]", "[[-1e400,0]]",
        "[[9223372036854775808,0]]", "[[18446744073709551616,0]]", "[[99999999999999999999999999999999,0]]",
        #"[["9223372036854775808",0]]"#, "[[9.3e18,0]]", "[[9.1e15,0.5]]",
    ])
    func negativeFractionalAndHugeCountsAreMalformed(_ series: String) {
        #expect(Self.isMalformed(Self.values(series)), "\(series)")
    }

    /// A count that fits an `Int` but no quota (the largest plan allows 75,000 calls a day): `used + remaining`
    /// (utilisation) and the sums of the usage model and the report tables would trap on overflow, so the parser
    /// refuses any count above `KeyUsageParser.maxCount` (10^12) before it reaches them.
    @Test(arguments: [
        "[[9223372036854775807,1]]", "[[1,9223372036854775807]]", "[[4611686018427387904,0],[4611686018427387904,0]]",
        "[[9e15,0]]", #"[["9000000000000000",0]]"#, "[[1000000000001,0]]", "[[0,1000000000001]]",
        #"[{"used":1000000000001}]"#,
    ])
    func countsBeyondAnyQuotaAreRejected(_ series: String) {
        #expect(Self.isMalformed(Self.values(series)), "\(series)")
    }

    @Test func countsUpToTheBoundAreKept() {
        let bound = KeyUsageParser.maxCount
        #expect(
            Self.days(Self.values("[[\(bound),\(bound)],[0,0]]"))
                == [UsageDatum(used: bound, remaining: bound), UsageDatum(used: 0, remaining: 0)])
    }

    // MARK: - Longer than asked, duplicate keys, nesting

    @Test func aSeriesLongerThanTheRangeParsesWhole() {
        // The parser does not know the range: cutting to it is the normalizer's job.
        let pairs = (0..<400).map { "[\($0),\(1_000 - $0)]" }.joined(separator: ",")
        let series = Self.days(Self.values("[\(pairs)]"))
        #expect(series?.count == 400)
        #expect(series?.last == UsageDatum(used: 399, remaining: 601))
    }

    @Test func duplicateKeysParseToTheFirstOfTheirValues() {
        let key = Self.key
        let twice = #"{"values":{"\#(key)":[[1,1]]},"values":{"\#(key)":[[2,2],[3,3]]}}"#
        let inner = #"{"values":{"\#(key)":[[1,1]],"\#(key)":[[2,2],[3,3]]}}"#
        let fields = #"{"values":{"\#(key)":[{"used":1,"used":2,"remaining":5}]}}"#
        // JSON leaves duplicate keys to the reader; Foundation's JSONDecoder, under the parser, keeps the first.
        for body in [twice, inner] {
            #expect(Self.days(body) == [UsageDatum(used: 1, remaining: 1)], "\(body)")
        }
        #expect(Self.days(fields)?.first?.used == 1)
    }

    /// Nesting far beyond any keyusage body: refused before decoding (`JSONValue.maxDepth`, 64 levels), and every
    /// form is malformed either way.
    ///
    /// The form that once trapped Foundation's decoder (an unclosed `[` as the last byte, at exactly 513 levels)
    /// is also run in a child process by `nestingThatEndsAtTheDepthLimitDoesNotTrap`, so that a regression is
    /// recorded there instead of ending the test run.
    @Test(arguments: [10, 64, 65, 100, 511, 512, 513, 514, 1_000, 10_000])
    func deepNestingIsRejectedWithoutATrap(_ depth: Int) {
        let open = String(repeating: "[", count: depth)
        let close = String(repeating: "]", count: depth)
        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        #expect(Self.isMalformed(open + close))
        #expect(Self.isMalformed(open + " "))
        #expect(Self.isMalformed(open + "1"))
        #expect(Self.isMalformed(objects))
        #expect(Self.isMalformed(String(repeating: #"{"a":"#, count: depth)))
        #expect(Self.isMalformed(Self.values("[" + open + close + "]")))
        #expect(Self.isMalformed(#"{"values":"# + objects + "}"))
        if depth != 513 { #expect(Self.isMalformed(open)) }
        #expect(Self.classify(Data((open + close).utf8)).bodyShape == .other)
    }

    /// A body whose 513th nested `[` is its last byte: swift-foundation's JSON scanner (Swift 6.3.1) traps in
    /// `JSONError.SourceLocation.sourceLocation(at:fullSource:)` while reporting "too many nested arrays" at the
    /// end of the input, so a 513-byte answer (keyusage, an error body, a token or health answer) killed ttusage
    /// before `JSONValue.nestingIsShallow` refused such bodies. Each form runs in a child process.
    @Test func nestingThatEndsAtTheDepthLimitDoesNotTrap() async {
        await #expect(processExitsWith: .success) {
            let body = Data(String(repeating: "[", count: 513).utf8)
            _ = try? KeyUsageParser.parse(body, appKey: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
        }
        await #expect(processExitsWith: .success) {
            let body = Data((#"{"values":{"k":"# + String(repeating: "[", count: 511)).utf8)
            _ = try? KeyUsageParser.parse(body, appKey: "k")
        }
        await #expect(processExitsWith: .success) {
            let body = Data((String(repeating: #"{"a":"#, count: 512) + "[").utf8)
            _ = ResponseClassifier.classify(
                endpoint: "keyusage", status: 502, body: body, retryAfter: nil, requestID: "ttusage-acme--0")
        }
    }

    /// Brackets that the depth check must not miscount: inside strings (escaped quotes included) they do not
    /// nest, and closing brackets before opening ones do not buy depth.
    @Test func theDepthCheckReadsStringsAndStrayBracketsSafely() {
        let deepString = #"{"values":{"\#(Self.key)":[[1,2]]},"note":"\#(String(repeating: "[", count: 600))\"["}"#
        #expect(Self.days(deepString) == [UsageDatum(used: 1, remaining: 2)])
        let stray = String(repeating: "]", count: 600) + String(repeating: "[", count: 600)
        #expect(Self.isMalformed(stray))
        let escaped = #"{"a":"\\"}"# + String(repeating: "[", count: 513)
        #expect(Self.isMalformed(escaped))
    }

    // MARK: - Size

    /// A large valid body: an AWS answer for a whole usage plan (TT passing every key of the plan through), here
    /// 250 keys × 90 days (about 320 kB); the key asked for is the last one. The time is printed, not judged.
    ///
    /// A body of 250 keys × 90 days parses whole. How long a parse takes is measured with `ttusage-fuzz keyusage
    /// FILE`, outside the test harness: under Swift Testing the same parse is 20–30 times slower (the harness records
    /// a backtrace for every thrown error, and `JSONValue.init(from:)` throws one for each type it tries and misses).
    @Test func aLargeValidBodyParses() throws {
        var text = #"{"usagePlanId":"plan","startDate":"2026-07-01","endDate":"2026-09-28","values":{"#
        for index in 0..<250 {
            let name = index == 249 ? Self.key : String(format: "%08x-0000-4000-8000-%012x", index, index)
            let pairs = (0..<90).map { day in
                let used = (day * 7_919 + index) % 75_000
                return "[\(used),\(75_000 - used)]"
            }
            text += (index == 0 ? "" : ",") + #""\#(name)":[\#(pairs.joined(separator: ","))]"#
        }
        text += "}}"
        let body = Data(text.utf8)
        let page = try KeyUsageParser.parse(body, appKey: Self.key)
        #expect(page.series?.count == 90)
        #expect(page.series?.first == UsageDatum(used: 249, remaining: 75_000 - 249))
    }

    @Test func anAnswerAboveTheBodyCapIsAClearErrorOverTheWire() async throws {
        try await TTIDSandboxServer.withRunning(F.quietSandbox()) { server in
            var configuration = try F.configuration(server)
            // The token answer (about 130 bytes) fits; 90 days of keyusage do not.
            configuration.maxBodyBytes = 512
            let credentials = TTCredentials(appKey: F.credential.appKey, secret: F.credential.secret)
            try await TTIDClient.withClient(configuration: configuration, credentials: credentials) { client in
                let error = await #expect(throws: TTIDError.self) {
                    try await client.keyUsage(
                        appKey: F.keyA, userId: "1", startDate: "2026-07-01", endDate: "2026-09-28")
                }
                #expect(error?.endpoint == "keyusage")
                #expect(error?.message == "the answer is larger than 512 bytes")
                #expect((error?.description.count ?? .max) <= Self.descriptionLimit)
            }
        }
    }

    @Test func truncatedAnswersOverTheWireAreTransientFaults() async throws {
        var sandbox = F.quietSandbox()
        sandbox.faultRate = 0.5
        sandbox.faults = [.malformedJSON]
        try await TTIDSandboxServer.withRunning(sandbox) { server in
            try await F.withClient(server) { client in
                var malformed = 0
                for _ in 0..<24 {
                    do {
                        let series = try await client.keyUsage(
                            appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-10")
                        #expect(series.days == F.expected(F.keyA, from: "2026-09-01", days: 10))
                    } catch let error as TTIDError {
                        #expect(error.kind == .transient, "\(error)")
                        if error.endpoint == "keyusage" {
                            #expect(error.message.hasPrefix("malformed body"), "\(error)")
                            malformed += 1
                        }
                    }
                }
                #expect(malformed > 0)
            }
        }
    }

    // MARK: - Error bodies

    static func classify(_ body: Data, status: Int = 502, endpoint: String = "keyusage") -> TTIDError {
        ResponseClassifier.classify(
            endpoint: endpoint, status: status, body: body, retryAfter: nil, requestID: "ttusage-acme--0000")
    }

    /// The error a failed answer becomes, as `TTIDClient.authorized` makes it: classified, then redacted and
    /// cleaned by the client (the classifier keeps the service's message whole).
    static func clientError(_ client: TTIDClient, _ body: Data, status: Int) -> TTIDError {
        var error = classify(body, status: status)
        error.message = client.redact(error.message, token: "a-token-of-the-test")
        return error
    }

    /// Runs `body` with a client on a sandbox it never calls (`redact` and `failure` need an instance).
    static func withIdleClient(_ body: @escaping @Sendable (TTIDClient) async throws -> Void) async throws {
        try await TTIDSandboxServer.withRunning(F.quietSandbox()) { server in
            try await F.withClient(server) { try await body($0) }
        }
    }

    @Test func nonUTF8AndHugeUnparsedBodiesGiveABoundedMessage() {
        let garbage = Data((0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 0x80) })
        let html = Data(("<html>" + String(repeating: "x", count: 1_000_000) + "</html>").utf8)
        var brokenJSON = Data(#"{"message":""#.utf8)
        brokenJSON.append(contentsOf: [0xFF, 0xFE, 0xC3, 0x28])
        brokenJSON.append(Data(#""}"#.utf8))
        for (body, status) in [(garbage, 502), (html, 500), (brokenJSON, 403), (garbage, 200), (html, 301)] {
            let error = Self.classify(body, status: status)
            #expect(error.bodyShape == .other)
            #expect(error.description.count <= Self.descriptionLimit)
        }
        #expect(Self.classify(garbage, endpoint: "token").message.isEmpty)
    }

    @Test(arguments: [
        #"{"message":"M"}"#, #"{"Message":"M"}"#, #"{"status":"StatusFail","status_message":"M"}"#,
        #"{"status":"StatusFail","status_message":"short","status_desc":"M"}"#, #"{"status":"M"}"#,
        #"{"status":"M","status_message":"M","status_desc":"M"}"#,
    ])
    func aOneMegabyteMessageGivesABoundedDescription(_ shape: String) async throws {
        let huge = String(repeating: "é", count: 500_000)
        let body = Data(shape.replacingOccurrences(of: "\"M\"", with: "\"\(huge)\"").utf8)
        #expect(Self.classify(body, status: 429).bodyShape != .other)
        try await Self.withIdleClient { client in
            let error = Self.clientError(client, body, status: 429)
            #expect(error.description.count <= Self.descriptionLimit)
        }
    }

    @Test func controlAndBidiCharactersInAMessageDoNotReachTheTerminal() async throws {
        let body = Data(#"{"message":"Forbidden\n\u001b[2J\u001b[31mFAKE: all keys OK\r\u202egnp.exe\u2066"}"#.utf8)
        try await Self.withIdleClient { client in
            let error = Self.clientError(client, body, status: 403)
            #expect(error.kind == .refused)
            #expect(error.message.hasPrefix("Forbidden"))
            let forbidden = error.description.unicodeScalars.filter {
                $0.properties.generalCategory == .control || (0x202A...0x202E).contains($0.value)
                    || (0x2066...0x2069).contains($0.value)
            }
            #expect(forbidden.isEmpty, "\(forbidden.map { String($0.value, radix: 16) })")
        }
    }

    @Test func aOneMegabyteFailStatusInA200GivesABoundedDescription() async throws {
        let huge = String(repeating: "x", count: 1_000_000)
        let outcome = Self.outcome(#"{"status":"\#(huge)","status_message":"\#(huge)"}"#)
        guard case .failure(let failure) = outcome, case .failStatus(let status, let message) = failure else {
            Issue.record("expected a Fail status")
            return
        }
        #expect(status.count == huge.count && message.count == huge.count)
        // What the client makes of it (`TTIDClient.failure`), as `keyUsage` would throw it.
        try await Self.withIdleClient { client in
            let answer = TTIDClient.Answer(status: 200, body: Data(), requestID: "ttusage-acme--0000")
            let error = client.failure(failure, answer: answer, endpoint: "keyusage")
            #expect(error.kind == .failStatus)
            #expect(error.description.count <= Self.descriptionLimit)
        }
    }
}
