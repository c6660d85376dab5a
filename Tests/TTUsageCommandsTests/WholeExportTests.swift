import Foundation
import TTIDSandbox
import Testing
import UsageCore

/// `ttusage export` against the sandbox, stopped while it writes a large report: `kill -9` and a double Ctrl-C
/// leave the previous report as it was, and the next run removes what the killed one left.
@Suite("whole reports of an export")
struct WholeExportTests {
    static func manifest(_ count: Int, in directory: URL, name: String) throws -> URL {
        let file = directory.appendingPathComponent(name)
        try CLI.write(
            "app_key,user_id,label\n"
                + (0..<count).map { String(format: "f%07x-0000-4000-8000-000000000001,%d,K%d", $0, 600 + $0, $0 % 7) }
                .joined(separator: "\n") + "\n", to: file)
        return file
    }

    static func arguments(_ keys: URL, out: URL, server: TTIDSandboxServer) -> [String] {
        let to = Day(containing: Date()).adding(days: -3)
        return [
            "export", "--from", to.adding(days: -364).description, "--to", to.description, "--keys", keys.path,
            "--out", out.path, "--format", "csv,json,html", "--base-url", server.baseURL, "--rate", "0",
            "--concurrency", "8", "--no-store", "--quiet",
        ]
    }

    @Test func killNineAndADoubleInterruptWhileWritingLeaveThePreviousReport() async throws {
        let directory = try CLI.temporaryDirectory()
        let small = try Self.manifest(2, in: directory, name: "small.csv")
        let large = try Self.manifest(40, in: directory, name: "large.csv")
        let out = directory.appendingPathComponent("out")
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = nil
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let first = try await CLI.run(
                Self.arguments(small, out: out, server: server), environment: CLI.demoEnvironment)
            #expect(first.code == 0, "\(first.stderr)")
            let old = try ReportFolder.snapshot(out)
            #expect(old.keys.contains("daily.csv"))

            for signals in [[SIGKILL], [SIGINT, SIGINT]] {
                let process = try await ReportFolder.startWriting(
                    Self.arguments(large, out: out, server: server), into: out, environment: CLI.demoEnvironment)
                #expect(process.isRunning, "the export ended before it wrote")
                await ReportFolder.send(signals, to: process)
                let code = try await ReportFolder.wait(process)
                #expect(code == (signals.first == SIGKILL ? 137 : 130))
                #expect(try ReportFolder.snapshot(out) == old, "after \(signals): \(CLI.files(in: out))")
                #expect(ReportFolder.hidden(out) == [".ttusage-report"])
                if signals.first == SIGINT {
                    #expect(ReportFolder.leftovers(beside: out).isEmpty, "\(ReportFolder.leftovers(beside: out))")
                }
            }
            let again = try await CLI.run(
                Self.arguments(small, out: out, server: server), environment: CLI.demoEnvironment)
            #expect(again.code == 0, "\(again.stderr)")
            #expect(ReportFolder.leftovers(beside: out).isEmpty)
            #expect(ReportFolder.hidden(out) == [".ttusage-report"])
        }
    }
}
