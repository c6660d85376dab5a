import Foundation
import Subprocess
import SystemPackage
import TTIDSandbox
import Testing

/// `ttusage sandbox` as a real process: it serves on the port it prints and stops cleanly on SIGINT and SIGTERM.
@Suite("ttusage sandbox, as a process")
struct SandboxCommandTests {
    @Test(arguments: [SIGINT, SIGTERM])
    func servesThenStopsOnASignal(_ signal: Int32) async throws {
        let result = try await Subprocess.run(
            .path(FilePath(try CLI.binary.path)), arguments: ["sandbox", "--port", "0"], input: .none,
            output: .sequence, error: .discarded
        ) { execution in
            var lines = execution.standardOutput.strings().makeAsyncIterator()
            // The first line names the URL it listens on.
            let first = try await lines.next() ?? ""
            let url = try #require(
                first.split(separator: " ").first { $0.hasPrefix("http://127.0.0.1:") }.map(String.init), "\(first)")
            let health = try await CLI.run(["health", "--base-url", url], environment: CLI.demoEnvironment)
            #expect(health.code == 0, "\(health.stderr)")
            try execution.send(signal: Signal(rawValue: signal))
            // Killed if it has not stopped 10 s after the signal: the exit status then says so.
            let watchdog = Task {
                try await Task.sleep(for: .seconds(10))
                try execution.send(signal: .kill)
            }
            while try await lines.next() != nil {}
            watchdog.cancel()
        }
        #expect(result.terminationStatus == .exited(0))
    }
}
