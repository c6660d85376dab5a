import Foundation
import TTIDSandbox
import Testing
import UsageCore
import ZIPFoundation

@testable import TTUsageCommands

@Suite("ttusage commands, end to end")
struct CommandTests {
    static let month: DayRange = {
        let today = Day(containing: Date())
        return Demo.lastFullMonth(before: today) ?? DayRange(from: today, to: today)!
    }()

    static func keysFile(in directory: URL, _ rows: [String]) throws -> URL {
        let url = directory.appendingPathComponent("keys.csv")
        try CLI.write("app_key,user_id,label\n" + rows.joined(separator: "\n") + "\n", to: url)
        return url
    }

    static func sandbox() -> SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = nil
        return configuration
    }

    @Test func demoWritesEveryFormatFromTheSampleManifest() async throws {
        let out = try CLI.temporaryDirectory()
        let samples = try String(contentsOf: CLI.sampleManifest, encoding: .utf8)
        #expect(samples == DemoManifest.csv, "samples/keys.csv and the demo's manifest differ")
        let result = try await Demo.run(
            out: out.path, template: "spreadsheet-handoff",
            logging: try LoggingOptions.parse(["--quiet"]), now: Date())
        #expect(result.exitCode == 0)
        let files = CLI.files(in: out)
        for name in ["daily.csv", "summary.csv", "report.json", "report.xlsx"] {
            #expect(files.contains(name), "\(name)")
        }
        let daily = try String(contentsOf: out.appendingPathComponent("daily.csv"), encoding: .utf8)
        let lines = daily.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(lines.first == "date,app_key,user_id,label,used,remaining,status")
        #expect(lines.count == 1 + 12 * Self.month.count)
        #expect(daily.contains("'=HYPERLINK"), "a formula label is neutralised in CSV")
        #expect(daily.contains("9C4E2A7B-1F3D-4B8E-A6C2-5D7F9E1B3C12"), "app keys keep their case")
        let dormant = lines.filter { $0.contains(DemoManifest.dormantKey) }
        #expect(dormant.count == Self.month.count && dormant.allSatisfy { $0.hasSuffix(",,,missing") })
        let archive = try Archive(url: out.appendingPathComponent("report.xlsx"), accessMode: .read)
        #expect(archive["xl/workbook.xml"] != nil)
    }

    @Test func exportRunsInProcessAndRefusedKeyExits2() async throws {
        let directory = try CLI.temporaryDirectory()
        let refused = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
        let keys = try Self.keysFile(
            in: directory,
            [
                "11111111-2222-4333-8444-555555555555,1,One", "\(refused),2,Refused",
                "66666666-7777-4888-8999-000000000000,3,Three",
            ])
        var configuration = Self.sandbox()
        configuration.refusedKeys = [refused]
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let out = directory.appendingPathComponent("out")
            let result = try await CLI.run(
                [
                    "export", "--from", Self.month.from.description, "--to", Self.month.to.description, "--keys",
                    keys.path,
                    "--out", out.path, "--base-url", server.baseURL, "--rate", "0", "--format", "csv,json",
                ], environment: CLI.demoEnvironment)
            #expect(result.code == 2, "\(result.stderr)")
            let daily = try String(contentsOf: out.appendingPathComponent("daily.csv"), encoding: .utf8)
            #expect(!daily.contains(refused))
            #expect(daily.split(separator: "\n").count == 1 + 2 * Self.month.count)
            let json =
                try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json")))
                as? [String: Any]
            let failures = json?["failures"] as? [[String: Any]]
            #expect(failures?.first?["appKey"] as? String == refused)
            let keysJSON = json?["keys"] as? [[String: Any]]
            #expect((keysJSON?[1]["days"] as? [Any])?.isEmpty == true)
            #expect(result.stderr.contains("refused"))
        }
    }

    @Test func spentQuotaExits75AndWritesNoReport() async throws {
        let directory = try CLI.temporaryDirectory()
        let rows = (0..<30).map { String(format: "%08x-2222-4333-8444-555555555555,1,K%d", $0, $0) }
        let keys = try Self.keysFile(in: directory, rows)
        var configuration = Self.sandbox()
        configuration.dailyQuota = 11
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let out = directory.appendingPathComponent("out")
            let result = try await CLI.run(
                [
                    "export", "--from", Self.month.from.description, "--to", Self.month.to.description, "--keys",
                    keys.path,
                    "--out", out.path, "--base-url", server.baseURL, "--rate", "0",
                ], environment: CLI.demoEnvironment)
            #expect(result.code == 75, "\(result.stderr)")
            #expect(result.stderr.contains("00:00 UTC"))
            #expect(result.stderr.contains("10 of 30"))
            #expect(CLI.files(in: out).isEmpty)
        }
    }

    @Test func healthPrintsTheStatusAndClassifiesFailures() async throws {
        try await TTIDSandboxServer.withRunning(Self.sandbox()) { server in
            let ok = try await CLI.run(["health", "--base-url", server.baseURL], environment: CLI.demoEnvironment)
            #expect(ok.code == 0, "\(ok.stderr)")
            #expect(ok.stdout.contains("Operational"))
            let refused = try await CLI.run(
                ["health", "--base-url", server.baseURL],
                environment: [
                    "TT_APP_KEY": SandboxConfiguration.demoCredential.appKey,
                    "TT_APP_SECRET": "not-the-secret",
                ])
            #expect(refused.code == 77)
            #expect(!refused.stderr.contains("not-the-secret"))
            let missing = try await CLI.run(["health", "--base-url", server.baseURL])
            #expect(missing.code == 64)
            #expect(missing.stderr.contains("TT_APP_KEY") && missing.stderr.contains("TT_APP_SECRET"))
        }
        let unreachable = try await CLI.run(
            ["health", "--base-url", "http://127.0.0.1:9", "--timeout", "0.3"],
            environment: CLI.demoEnvironment)
        #expect(unreachable.code == 69)
    }

    @Test func planPrintsCallsTimeAndQuotaShare() async throws {
        let directory = try CLI.temporaryDirectory()
        let rows = (0..<10).map { String(format: "%08x-2222-4333-8444-555555555555,1,K", $0) }
        let keys = try Self.keysFile(in: directory, rows)
        let result = try await CLI.run([
            "plan", "--from", "2025-01-01", "--to", "2025-12-31", "--keys", keys.path,
            "--chunk-days", "30", "--plan", "low",
        ])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.contains("keyusage calls: 130"))
        #expect(result.stdout.contains("time at 5 calls/s: 26.0s"))
        #expect(result.stdout.contains("(15000): 0.9%"))
    }

    @Test func sampleFilesStayValid() throws {
        let samples = CLI.sampleManifest.deletingLastPathComponent()
        let template = try ReportOptions.parse([
            "--template", samples.appendingPathComponent("custom-template.yaml").path,
        ])
        .renderOptions(nil).template
        #expect(template.name == "customers-weekly")
        let config = try ConfigurationFile.load(path: samples.appendingPathComponent("config.example.yaml").path)
        #expect(config.profiles.keys.sorted() == ["live", "sandbox", "uat"])
        #expect(config.profiles["live"]?.userId == "12345")
        let copy = try CLI.temporaryDirectory().appendingPathComponent("credentials")
        try FileManager.default.copyItem(at: samples.appendingPathComponent("credentials.example"), to: copy)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: copy.path)
        let credentials = try CredentialSource.fromFile(copy.path)
        #expect(credentials.appKey == "00000000-0000-0000-0000-0000000000aa")
    }

    @Test func everyCommandAnswersHelpWithAnExample() async throws {
        for command in ["export", "plan", "health", "render", "sandbox", "demo"] {
            let result = try await CLI.run([command, "--help"])
            #expect(result.code == 0)
            #expect(result.stdout.contains("Example"), "\(command)")
        }
        let version = try await CLI.run(["--version"])
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == TTUsageVersion.current)
    }
}
