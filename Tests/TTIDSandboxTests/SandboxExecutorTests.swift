import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import TTIDSandbox
import Testing

/// The sandbox answers while every thread of Swift's cooperative pool is blocked: it runs on NIO's threads
/// (`SandboxExecutor`), as a service in a process of its own would, so tests that keep the pool busy cannot make
/// its clients time out.
@Suite("Sandbox executor")
struct SandboxExecutorTests {
    @Test func theSandboxAnswersWhileTheCooperativePoolIsBlocked() async throws {
        let blockers = ProcessInfo.processInfo.activeProcessorCount
        let tally = Tally()
        let release = DispatchSemaphore(value: 0)
        // The test itself runs on NIO's threads too, and talks through AsyncHTTPClient, which needs no thread of
        // the pool (URLSession's async API does).
        try await withTaskExecutorPreference(SandboxExecutor.shared) {
            try await TTIDSandboxServer.withRunning(SandboxSmokeTests.configuration()) { server in
                // Released when the body ends, before the server stops: Hummingbird's graceful shutdown starts an
                // unstructured task, which runs on the pool.
                defer { for _ in 0..<blockers { release.signal() } }
                for _ in 0..<blockers {
                    Task.detached {
                        tally.started.add(1, ordering: .relaxed)
                        // Bounded, so that a sandbox on the pool fails this test (its answers time out after 3 s)
                        // instead of hanging it; long enough that a blocker which waited for a thread held by
                        // another test of a parallel run still outlasts the requests below.
                        _ = release.wait(timeout: .now() + 150)
                        tally.finished.add(1, ordering: .relaxed)
                    }
                }
                // Other tests of a parallel run may hold a thread of the pool for a while (a large render is
                // synchronous work); every blocker runs once they let go.
                let giveUp = ContinuousClock.now + .seconds(90)
                while tally.started.load(ordering: .relaxed) < blockers, ContinuousClock.now < giveUp {
                    try await Task.sleep(for: .milliseconds(5))
                }
                try #require(tally.started.load(ordering: .relaxed) == blockers, "the pool never ran every blocker")
                let base = server.baseURL + "/ttid/ext_uat_cert"
                let key = SandboxSmokeTests.key
                var token = HTTPClientRequest(url: base + "/token?requestId=sbtest-acme--\(UUID())")
                token.method = .POST
                token.headers.add(name: "x-api-key", value: key)
                token.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                let pair = "\(key):\(SandboxSmokeTests.secret)".addingPercentEncoding(
                    withAllowedCharacters: .alphanumerics)
                token.body = .bytes(ByteBuffer(string: "grant_type=user_app&app_key=\(pair ?? "")"))
                let tokenBody = try await Self.body(of: token)
                let bearer = try #require(tokenBody["access_token"] as? String)

                let reported = SandboxSmokeTests.reported
                var usage = HTTPClientRequest(
                    url: base + "/keyusage?appKey=\(reported)&userId=42&startDate=2026-02-27&endDate=2026-03-02"
                        + "&requestId=sbtest-acme--\(UUID())")
                usage.headers.add(name: "x-api-key", value: key)
                usage.headers.add(name: "Authorization", value: "Bearer \(bearer)")
                let values = try #require(try await Self.body(of: usage)["values"] as? [String: Any])
                let days = ["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]
                #expect(SandboxSmokeTests.pairs(values[reported]) == SandboxSmokeTests.expected(reported, days))
                // Every blocker is still waiting: the answers came while the pool could run nothing else.
                #expect(tally.finished.load(ordering: .relaxed) == 0)
            }
        }
    }

    static func body(of request: HTTPClientRequest) async throws -> [String: Any] {
        var request = request
        // No connection left open for the server's graceful shutdown to wait out.
        request.headers.add(name: "Connection", value: "close")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(3))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        #expect(response.status == .ok, "\(String(buffer: bytes))")
        return try #require(JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any])
    }
}

/// How many blockers have started and finished, counted from detached tasks.
private final class Tally: Sendable {
    let started = Atomic<Int>(0)
    let finished = Atomic<Int>(0)
}
