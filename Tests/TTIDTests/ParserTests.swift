import Foundation
import Testing

@testable import TTID

@Suite("keyusage bodies and error shapes")
struct ParserTests {
    let key = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

    func page(_ json: String) throws -> KeyUsageParser.Page {
        try KeyUsageParser.parse(Data(json.utf8), appKey: key)
    }

    @Test func awsValues() throws {
        let result = try page(
            #"{"usagePlanId":"p","startDate":"2026-10-01","endDate":"2026-10-02","values":{"\#(key)":[[1,9],[2,8]]}}"#)
        #expect(result.series == [UsageDatum(used: 1, remaining: 9), UsageDatum(used: 2, remaining: 8)])
        #expect(result.position == nil)
        #expect(result.statedStart == "2026-10-01" && result.statedEnd == "2026-10-02")
    }

    @Test func statedRangeInsideAnEnvelope() throws {
        let result = try page(
            #"{"status":"Ok","usage":{"startDate":"2026-10-03","endDate":"2026-10-04","values":{"\#(key)":[[1,9]]}}}"#)
        #expect(result.statedStart == "2026-10-03" && result.statedEnd == "2026-10-04")
        #expect(try page(#"{"values":{"\#(key)":[[1,9]]}}"#).statedStart == nil)
    }

    @Test func sdkItemsAndOtherCase() throws {
        let result = try page(#"{"items":{"\#(key.uppercased())":[[5,5]]}}"#)
        #expect(result.series == [UsageDatum(used: 5, remaining: 5)])
    }

    @Test func ttEnvelopeOneLevelDown() throws {
        let result = try page(#"{"status":"Ok","lastPage":"true","keyUsage":{"values":{"\#(key)":[[3,7]]}}}"#)
        #expect(result.series == [UsageDatum(used: 3, remaining: 7)])
        #expect(result.lastPage == true)
    }

    @Test func bareArrayAndDatedObjects() throws {
        #expect(try page("[[1,2],[3,4]]").series?.count == 2)
        let dated = try page(#"{"values":{"\#(key)":[{"date":"2026-10-02","used":4,"remaining":6}]}}"#)
        #expect(dated.series == [UsageDatum(used: 4, remaining: 6, date: "2026-10-02")])
    }

    @Test func answersThatRefuseTheTokenRatherThanTheCall() {
        func body(_ text: String) -> Data { Data(text.utf8) }
        #expect(ResponseClassifier.refusesToken(status: 401, body: body(#"{"message":"Unauthorized"}"#)))
        #expect(
            ResponseClassifier.refusesToken(status: 403, body: body(#"{"message":"The incoming token has expired"}"#)))
        #expect(
            ResponseClassifier.refusesToken(
                status: 403, body: body(#"{"status":"StatusFail","status_message":"Invalid token"}"#)))
        #expect(
            !ResponseClassifier.refusesToken(
                status: 403, body: body(#"{"message":"User is not authorized to access this resource"}"#)))
        #expect(
            !ResponseClassifier.refusesToken(
                status: 400, body: body(#"{"status":"StatusFail","status_message":"token expired"}"#)))
    }

    @Test func emptyListMeansNoData() throws {
        #expect(try page(#"{"values":{"\#(key)":[]}}"#).series == [])
    }

    @Test func positionIsKeptWhenTheKeyIsElsewhere() throws {
        let result = try page(#"{"values":{"11111111-2222-3333-4444-555555555555":[[1,1]]},"position":"abc"}"#)
        #expect(result.series == nil)
        #expect(result.position == "abc")
        // Without a position, series of other keys only are counted, so that they are reported, not taken as no data.
        let others = try page(#"{"values":{"a1b2c3":[[1,1]],"d4e5f6":[[2,2]]}}"#)
        #expect(others.series == nil && others.otherSeries == 2)
        #expect(try page(#"{"values":{}}"#).otherSeries == 0)
    }

    @Test(arguments: [
        #"{"values":{"K":[[1,2]"#, "not json", #"{"values":{"X":[["a",1]]}}"#, #"{"values":{"X":[[-1,5]]}}"#,
        #"{"values":{"X":[[1.5,5]]}}"#, #"{"values":"nope"}"#, #"{"other":1}"#, "42",
    ])
    func malformedBodies(_ body: String) {
        #expect(throws: KeyUsageParser.Failure.self) {
            _ = try KeyUsageParser.parse(Data(body.utf8), appKey: "X")
        }
    }

    @Test func failStatusInsideA200() {
        #expect(throws: KeyUsageParser.Failure.failStatus(status: "Fail", message: "no permission")) {
            _ = try KeyUsageParser.parse(Data(#"{"status":"Fail","status_message":"no permission"}"#.utf8), appKey: "X")
        }
    }

    @Test func errorShapesAndClasses() {
        func classify(_ endpoint: String, _ status: Int, _ body: String) -> TTIDError {
            ResponseClassifier.classify(
                endpoint: endpoint, status: status, body: Data(body.utf8), retryAfter: nil,
                requestID: "a-b--c")
        }
        let quota = classify("keyusage", 429, #"{"message":"Limit Exceeded"}"#)
        #expect(quota.kind == .quotaExceeded && quota.bodyShape == .gatewayMessage)
        #expect(classify("keyusage", 429, #"{"message":"Too Many Requests"}"#).kind == .transient)
        #expect(classify("keyusage", 429, "").kind == .transient)
        let ttQuota = classify("token", 429, #"{"status":"StatusFail","status_message":"Daily quota exceeded"}"#)
        #expect(ttQuota.kind == .quotaExceeded && ttQuota.bodyShape == .ttStatus)
        let tt500 = classify("keyusage", 500, #"{"status":"StatusFail","status_message":"boom","statusCode":500}"#)
        #expect(tt500.kind == .transient && tt500.bodyShape == .ttStatus && tt500.ttStatus == "StatusFail")
        #expect(classify("keyusage", 502, "<html>bad gateway</html>").bodyShape == .other)
        let refused = classify("keyusage", 400, #"{"status":"StatusFail","status_message":"not allowed"}"#)
        #expect(refused.kind == .refused && refused.message == "not allowed")
        #expect(classify("keyusage", 403, #"{"message":"Forbidden"}"#).kind == .refused)
        #expect(
            classify("token", 400, #"{"status":"StatusFail","status_message":"invalid_client"}"#).kind
                == .credentialsRefused)
        #expect(classify("token", 403, #"{"message":"Forbidden"}"#).kind == .credentialsRefused)
        #expect(classify("token", 401, #"{"message":"Unauthorized"}"#).kind == .credentialsRefused)
    }

    @Test func retryAfterInSecondsOrHTTPDate() {
        #expect(ResponseClassifier.retryAfter("3") == .seconds(3))
        let now = Date(timeIntervalSince1970: 1_000_000_000)
        let later = ResponseClassifier.retryAfter("Sun, 09 Sep 2001 01:46:50 GMT", now: now)
        #expect(later == .seconds(10))
        #expect(ResponseClassifier.retryAfter("soon") == nil)
    }

    @Test func backoffIsCappedAndHonoursRetryAfter() {
        let policy = RetryPolicy(maxRetries: 6, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        for retry in 1...10 {
            let delay = policy.delay(beforeRetry: retry, retryAfter: nil)
            #expect(delay >= .zero && delay <= .seconds(1))
        }
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(5)) >= .seconds(5))
    }
}
