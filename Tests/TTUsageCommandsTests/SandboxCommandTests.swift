import Foundation
import TTIDSandbox
import Testing

/// `ttusage sandbox` as a real process: it serves on the port it prints and stops cleanly on SIGINT and SIGTERM.
@Suite("ttusage sandbox, as a process")
struct SandboxCommandTests {
    @Test(arguments: [SIGINT, SIGTERM])
    func servesThenStopsOnASignal(_ signal: Int32) async throws {
        let process = Process()
        process.executableURL = try CLI.binary
        process.arguments = ["sandbox", "--port", "0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line names the URL it listens on.
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while !text.contains("\n") && Date() < deadline {
            text += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        }
        let url = try #require(
            text.split(separator: " ").first { $0.hasPrefix("http://127.0.0.1:") }.map(String.init), "\(text)")
        let health = try await CLI.run(["health", "--base-url", url], environment: CLI.demoEnvironment)
        #expect(health.code == 0, "\(health.stderr)")
        kill(process.processIdentifier, signal)
        let stop = Date().addingTimeInterval(10)
        while process.isRunning && Date() < stop { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning, "still running 10 s after the signal")
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
