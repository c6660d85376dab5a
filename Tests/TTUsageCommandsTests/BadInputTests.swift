import Foundation
import TTIDSandbox
import Testing
import UsageCore

@testable import TTID
@testable import TTUsageCommands

@Suite("Bad input: one line, the contract's exit code, nothing written")
struct BadInputTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var arguments: [String]
        var code: Int32
        var manifest: String? = nil
        var description: String { name }
    }

    static let goodKeys = "app_key,user_id,label\n11111111-2222-4333-8444-555555555555,1,One\n"

    static let cases: [Case] = [
        Case(name: "impossible date", arguments: ["--from", "2026-02-30", "--to", "2026-03-01"], code: 64),
        Case(name: "reversed range", arguments: ["--from", "2026-10-31", "--to", "2026-10-01"], code: 64),
        Case(name: "future from", arguments: ["--from", "2099-01-01", "--to", "2099-01-02"], code: 64),
        Case(name: "bad month", arguments: ["--month", "2026-13"], code: 64),
        Case(name: "unknown format", arguments: ["--month", "2026-10", "--format", "csv,pdf"], code: 64),
        Case(name: "concurrency 0", arguments: ["--month", "2026-10", "--concurrency", "0"], code: 64),
        Case(name: "concurrency 257", arguments: ["--month", "2026-10", "--concurrency", "257"], code: 64),
        Case(name: "concurrency text", arguments: ["--month", "2026-10", "--concurrency", "many"], code: 64),
        Case(name: "chunk days 91", arguments: ["--month", "2026-10", "--chunk-days", "91"], code: 64),
        Case(
            name: "plain http elsewhere", arguments: ["--month", "2026-10", "--base-url", "http://example.com"],
            code: 64),
        Case(name: "bad environment", arguments: ["--month", "2026-10", "--environment", "prod"], code: 64),
        Case(name: "bad app name", arguments: ["--month", "2026-10", "--app-name", "my app"], code: 64),
        Case(name: "unknown template", arguments: ["--month", "2026-10", "--template", "nope"], code: 64),
        Case(
            name: "missing template file", arguments: ["--month", "2026-10", "--template", "/nonexistent/t.yaml"],
            code: 66),
        Case(name: "negative rate", arguments: ["--month", "2026-10", "--rate", "-1"], code: 64),
        Case(name: "negative retries", arguments: ["--month", "2026-10", "--max-retries", "-1"], code: 64),
        Case(name: "bad plan", arguments: ["--month", "2026-10", "--plan", "gold"], code: 64),
        Case(
            name: "bad manifest row", arguments: ["--month", "2026-10"], code: 65,
            manifest: "app_key,user_id,label\n11111111-2222-4333-8444-555555555555,1,One\nnot-a-key,2,Two\n"),
        Case(name: "empty manifest", arguments: ["--month", "2026-10"], code: 65, manifest: "app_key,user_id,label\n"),
    ]

    @Test(arguments: cases)
    func badExportInput(_ input: Case) async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = directory.appendingPathComponent("keys.csv")
        try CLI.write(input.manifest ?? Self.goodKeys, to: keys)
        let out = directory.appendingPathComponent("out")
        let result = try await CLI.run(
            ["export", "--keys", keys.path, "--out", out.path, "--base-url", "http://127.0.0.1:9"] + input.arguments,
            environment: CLI.demoEnvironment)
        #expect(result.code == input.code, "\(input.name): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(input.name): \(result.stderr)")
        // Every value here is given: the line says what is wrong with it, never that it is missing.
        #expect(!result.stderr.contains("Missing value"), "\(input.name): \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "\(input.name) wrote its output folder")
    }

    static let otherCommands: [Case] = [
        Case(
            name: "plan: reversed range", arguments: ["plan", "--from", "2026-10-31", "--to", "2026-10-01"], code: 64),
        Case(name: "plan: unknown plan", arguments: ["plan", "--month", "2026-10", "--plan", "gold"], code: 64),
        Case(name: "plan: bad chunk days", arguments: ["plan", "--month", "2026-10", "--chunk-days", "0"], code: 64),
        Case(
            name: "plan: store and no-store",
            arguments: ["plan", "--month", "2026-10", "--store", "/tmp/x.sqlite", "--no-store"], code: 64),
        Case(
            name: "health: plain http elsewhere", arguments: ["health", "--base-url", "http://10.1.2.3:8080"], code: 64),
        Case(name: "health: bad company", arguments: ["health", "--company", "a&b"], code: 64),
        Case(name: "health: bad log level", arguments: ["health", "--log-level", "loud"], code: 64),
        Case(name: "render: no input", arguments: ["render"], code: 64),
        Case(name: "render: missing report", arguments: ["render", "--input", "/nonexistent/report.json"], code: 66),
        Case(
            name: "render: bad format",
            arguments: ["render", "--input", "/nonexistent/report.json", "--format", "pdf"], code: 64),
        Case(
            name: "render: store without keys",
            arguments: ["render", "--store", "/nonexistent/usage.sqlite", "--month", "2026-10"], code: 64),
        Case(
            name: "render: missing store",
            arguments: ["render", "--store", "/nonexistent/usage.sqlite", "--month", "2026-10", "--keys", "KEYS"],
            code: 66),
        Case(name: "sandbox: bad port", arguments: ["sandbox", "--port", "70000"], code: 64),
        Case(name: "sandbox: bad shape", arguments: ["sandbox", "--port", "0", "--shape", "xml"], code: 64),
        Case(name: "unknown command", arguments: ["exprot"], code: 64),
        Case(name: "unknown option", arguments: ["plan", "--month", "2026-10", "--colour"], code: 64),
    ]

    @Test(arguments: otherCommands)
    func badInputOfOtherCommands(_ input: Case) async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = directory.appendingPathComponent("keys.csv")
        try CLI.write(Self.goodKeys, to: keys)
        let out = directory.appendingPathComponent("out")
        var arguments = input.arguments.map { $0 == "KEYS" ? keys.path : $0 }
        if ["plan"].contains(arguments[0]) { arguments += ["--keys", keys.path] }
        if arguments[0] == "render" { arguments += ["--out", out.path] }
        let result = try await CLI.run(arguments, environment: CLI.demoEnvironment)
        #expect(result.code == input.code, "\(input.name): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(input.name): \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "\(input.name) wrote its output folder")
    }

    @Test func storeThatIsNotOursExits65AndIsKept() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = directory.appendingPathComponent("keys.csv")
        try CLI.write(Self.goodKeys, to: keys)
        let store = directory.appendingPathComponent("usage.sqlite")
        try CLI.write("not a database", to: store)
        let out = directory.appendingPathComponent("out")
        let result = try await CLI.run(
            [
                "export", "--month", "2026-10", "--keys", keys.path, "--out", out.path,
                "--store", store.path, "--base-url", "http://127.0.0.1:9",
            ],
            environment: CLI.demoEnvironment)
        #expect(result.code == 65, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try String(contentsOf: store, encoding: .utf8) == "not a database")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func missingManifestExits66() async throws {
        let directory = try CLI.temporaryDirectory()
        let result = try await CLI.run(
            [
                "export", "--month", "2026-10", "--keys", directory.appendingPathComponent("none.csv").path,
                "--out", directory.appendingPathComponent("out").path,
            ], environment: CLI.demoEnvironment)
        #expect(result.code == 66)
        #expect(result.stderr.contains("none.csv"))
    }

    @Test func unwritableOutputExits73BeforeAnyCall() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = directory.appendingPathComponent("keys.csv")
        try CLI.write(Self.goodKeys, to: keys)
        let blocker = directory.appendingPathComponent("file")
        try CLI.write("x", to: blocker)
        try await TTIDSandboxServer.withRunning(SandboxConfiguration()) { server in
            let result = try await CLI.run(
                [
                    "export", "--month", "2026-10", "--keys", keys.path, "--out",
                    blocker.appendingPathComponent("out").path, "--base-url", server.baseURL,
                ],
                environment: CLI.demoEnvironment)
            #expect(result.code == 73, "\(result.stderr)")
            #expect(await server.counters().tokenRequests == 0)
        }
    }

    @Test func credentialsFileReadableByOthersIsRefused() async throws {
        let directory = try CLI.temporaryDirectory()
        let file = directory.appendingPathComponent("credentials")
        let credential = SandboxConfiguration.demoCredential
        try CLI.write("TT_APP_KEY=\(credential.appKey)\nTT_APP_SECRET=\(credential.secret)\n", to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        try await TTIDSandboxServer.withRunning(SandboxConfiguration()) { server in
            let open = try await CLI.run(["health", "--base-url", server.baseURL, "--credentials", file.path])
            #expect(open.code == 64)
            #expect(open.stderr.contains("chmod 600"))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
            let closed = try await CLI.run(["health", "--base-url", server.baseURL, "--credentials", file.path])
            #expect(closed.code == 0, "\(closed.stderr)")
            #expect(!closed.stdout.contains(credential.secret) && !closed.stderr.contains(credential.secret))
        }
    }

    @Test func credentialsFileTakesPastedExportLinesCRLFAndQuotes() throws {
        let directory = try CLI.temporaryDirectory()
        let file = directory.appendingPathComponent("credentials")
        try CLI.write(
            "# pasted from the README\r\nexport TT_APP_KEY=\"k-1\"\r\n  export TT_APP_SECRET='k-1:s=2'\r\n", to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let credentials = try CredentialSource.fromFile(file.path)
        #expect(credentials.appKey == "k-1" && credentials.keyAndSecret == "k-1:s=2")
    }
}
