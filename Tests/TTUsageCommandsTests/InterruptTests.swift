import Foundation
import TTIDSandbox
import Testing
import UsageCore
import UsageStore

/// SIGINT and SIGTERM sent to a real `ttusage export` child process: one line, exit 130 or 143, no report file,
/// and a store that the same command then finishes with exactly the calls that were missing.
@Suite("interrupts")
struct InterruptTests {
    static let keyCount = 20

    /// A running child; its standard error goes to a file, read once it has ended (a pipe read would block a
    /// thread of the cooperative pool, and a full pipe would stall the child).
    struct Child {
        var process: Process
        var stderr: URL
    }

    static func setUp() throws -> (directory: URL, keys: URL) {
        let directory = try CLI.temporaryDirectory()
        let keys = directory.appendingPathComponent("keys.csv")
        try CLI.write(
            "app_key,user_id,label\n"
                + (0..<keyCount).map { String(format: "e%07x-0000-4000-8000-000000000001,%d,K%d", $0, 400 + $0, $0) }
                .joined(separator: "\n") + "\n", to: keys)
        return (directory, keys)
    }

    static func arguments(_ keys: URL, out: URL, store: URL?, server: TTIDSandboxServer) -> [String] {
        [
            "export", "--month", "2026-10", "--keys", keys.path, "--out", out.path, "--chunk-days", "7",
            "--format", "csv", "--base-url", server.baseURL, "--rate", "0", "--concurrency", "2",
        ] + (store.map { ["--store", $0.path] } ?? ["--no-store"])
    }

    static func start(_ arguments: [String]) throws -> Child {
        let process = Process()
        process.executableURL = try CLI.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in CLI.demoEnvironment { environment[key] = value }
        process.environment = environment
        let stderr = try CLI.temporaryDirectory().appendingPathComponent("stderr.txt")
        try Data().write(to: stderr)
        let handle = try FileHandle(forWritingTo: stderr)
        defer { try? handle.close() }
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Child(process: process, stderr: stderr)
    }

    /// Waits (without blocking the sandbox's threads) until the child has ended, at most `seconds`.
    static func wait(_ child: Child, seconds: Double = 30) async throws -> (code: Int32, stderr: String) {
        let deadline = Date().addingTimeInterval(seconds)
        while child.process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if child.process.isRunning { child.process.terminate() }
        child.process.waitUntilExit()
        let text = String(decoding: try Data(contentsOf: child.stderr), as: UTF8.self)
        return (child.process.terminationStatus, text)
    }

    /// Sends `signal` to `child` once the sandbox has answered `calls` keyusage calls. The wait and the signal run
    /// on NIO's threads, where the sandbox runs: a parallel test that keeps the cooperative pool busy cannot make
    /// the signal late enough for the child to have finished.
    static func signal(_ signal: Int32, to child: Child, afterCalls calls: Int, of server: TTIDSandboxServer)
        async throws
    {
        try await withTaskExecutorPreference(SandboxExecutor.shared) {
            let deadline = ContinuousClock.now + .seconds(20)
            while await server.counters().keyUsageOK < calls, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            kill(child.process.processIdentifier, signal)
        }
    }

    static func sandbox() -> SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = nil
        configuration.latency = .milliseconds(150)
        return configuration
    }

    @Test func sigintKeepsWhatWasFetchedAndTheSameCommandFinishes() async throws {
        let (directory, keys) = try Self.setUp()
        let store = directory.appendingPathComponent("usage.sqlite")
        let out = directory.appendingPathComponent("out")
        // October in 7-day chunks: 5 calls a key, 100 in all, at 2 at a time and 150 ms each until the interrupt.
        let planned = Self.keyCount * 5
        try await TTIDSandboxServer.withRunning(Self.sandbox()) { server in
            let child = try Self.start(Self.arguments(keys, out: out, store: store, server: server))
            try await Self.signal(SIGINT, to: child, afterCalls: 10, of: server)
            let (code, stderr) = try await Self.wait(child)
            #expect(code == 130, "\(stderr)")
            let lines = stderr.split(separator: "\n").filter { $0.hasPrefix("interrupted: ") }
            try #require(lines.count == 1, "\(stderr)")
            let words = lines[0].split(separator: " ")
            let kept = try #require(Int(words[1]))
            #expect(
                lines[0] == "interrupted: \(kept) of \(planned) calls kept in the store; run the same command to go on")
            #expect(kept >= 10 && kept < planned)
            // No report file was written, none is half-written.
            #expect(CLI.files(in: out).filter { !$0.hasPrefix(".") }.isEmpty, "\(CLI.files(in: out))")
            // The store holds the chunks of those calls; the same command makes exactly the rest.
            let before = await server.counters().keyUsageOK
            #expect(before == kept, "the sandbox answered \(before) calls, the run kept \(kept)")
            // The slow answers were there to interrupt a run with calls in flight; the rest need not be slow.
            await server.update { $0.latency = .milliseconds(5) }
            let again = try Self.start(Self.arguments(keys, out: out, store: store, server: server))
            let (secondCode, secondErr) = try await Self.wait(again, seconds: 60)
            #expect(secondCode == 0, "\(secondErr)")
            #expect(await server.counters().keyUsageOK - before == planned - kept)
        }
        let daily = try ReportReaders.csvRecords(try Data(contentsOf: out.appendingPathComponent("daily.csv")))
        #expect(daily.count - 1 == Self.keyCount * 31)
        #expect(daily.dropFirst().allSatisfy { $0.last == "ok" })
    }

    @Test func sigtermExits143AndWithoutAStoreSaysNothingWasKept() async throws {
        let (directory, keys) = try Self.setUp()
        let out = directory.appendingPathComponent("out")
        try await TTIDSandboxServer.withRunning(Self.sandbox()) { server in
            let child = try Self.start(Self.arguments(keys, out: out, store: nil, server: server))
            try await Self.signal(SIGTERM, to: child, afterCalls: 6, of: server)
            let (code, stderr) = try await Self.wait(child)
            #expect(code == 143, "\(stderr)")
            let lines = stderr.split(separator: "\n").filter { $0.hasPrefix("interrupted: ") }
            #expect(lines.count == 1, "\(stderr)")
            #expect(lines.first?.contains("nothing kept (--no-store)") == true, "\(stderr)")
            #expect(CLI.files(in: out).filter { !$0.hasPrefix(".") }.isEmpty)
        }
    }
}
