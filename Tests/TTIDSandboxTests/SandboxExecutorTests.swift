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
        // The test itself runs on NIO's threads too, and talks through AsyncHTTPClient, which needs no thread of
        // the pool (URLSession's async API does).
        try await withTaskExecutorPreference(SandboxExecutor.shared) {
            try await TTIDSandboxServer.withRunning(SandboxSmokeTests.configuration()) { server in
                let round = try await Self.blockEveryThreadOfThePool()
                // Released when the body ends, before the server stops: Hummingbird's graceful shutdown starts an
                // unstructured task, which runs on the pool.
                defer { round.release() }
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
                #expect(round.finished.load(ordering: .relaxed) == 0)
            }
        }
    }

    /// Blocks every thread of the cooperative pool with a task that waits (at most 30 s) for its round's release.
    ///
    /// Other tests of a parallel run may hold a thread of the pool for seconds (a large render is synchronous
    /// work): a round whose blockers do not all run within two seconds is released, and another is tried a moment
    /// later, so that this test never holds a thread the others need for long.
    static func blockEveryThreadOfThePool() async throws -> Round {
        let blockers = ProcessInfo.processInfo.activeProcessorCount
        for _ in 0..<40 {
            let round = Round(blockers: blockers)
            for _ in 0..<blockers {
                Task.detached {
                    round.started.add(1, ordering: .relaxed)
                    // Bounded, so that a sandbox on the pool fails this test (its answers time out after 3 s)
                    // instead of hanging it.
                    _ = round.semaphore.wait(timeout: .now() + 30)
                    round.finished.add(1, ordering: .relaxed)
                }
            }
            let giveUp = ContinuousClock.now + .seconds(2)
            while round.started.load(ordering: .relaxed) < blockers, ContinuousClock.now < giveUp {
                try await Task.sleep(for: .milliseconds(5))
            }
            if round.started.load(ordering: .relaxed) == blockers { return round }
            round.release()
            try await Task.sleep(for: .seconds(1))
        }
        throw BlockError()
    }

    struct BlockError: Error, CustomStringConvertible {
        var description: String { "in 40 tries the pool never ran every blocker at once" }
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

/// One round of blockers: how many have started and finished, and the semaphore that releases them.
final class Round: Sendable {
    let blockers: Int
    let started = Atomic<Int>(0)
    let finished = Atomic<Int>(0)
    let semaphore = DispatchSemaphore(value: 0)

    init(blockers: Int) { self.blockers = blockers }

    /// Lets every blocker of the round go, those still to start included.
    func release() {
        for _ in 0..<blockers { semaphore.signal() }
    }
}
