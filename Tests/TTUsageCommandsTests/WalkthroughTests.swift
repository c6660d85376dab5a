import Foundation
import TTIDSandbox
import Testing

/// The README's walk-throughs, run as written against a sandbox: each `ttusage` command of a block marked
/// `<!-- walkthrough: NAME -->` runs as a real process, in a folder holding the files the commands name, with a
/// configuration whose default profile points at the sandbox and a store of the test's own. A block marked
/// `<!-- walkthrough-output: NAME N -->` is what the walk-through's command number N prints.
@Suite("README walk-throughs")
struct WalkthroughTests {
    static var readme: String {
        get throws {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("README.md")
            return try String(contentsOf: url, encoding: .utf8)
        }
    }

    static var samples: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples")
    }

    /// The fenced block right after `marker`.
    static func block(after marker: String, in text: String) throws -> String {
        let start = try #require(text.range(of: marker), "README has no \(marker)")
        let rest = text[start.upperBound...]
        let open = try #require(rest.range(of: "```"))
        let body = rest[open.upperBound...].drop { $0 != "\n" }.dropFirst()
        let close = try #require(body.range(of: "\n```"))
        return String(body[..<close.lowerBound])
    }

    /// The `ttusage` commands of a shell block as argument lists: comments dropped, continuation lines joined,
    /// words split as sh does for quotes and backslashes.
    static func commands(_ block: String) -> [[String]] {
        let joined = block.replacingOccurrences(of: "\\\n", with: " ")
        return joined.split(separator: "\n").compactMap { line -> [String]? in
            let words = shellWords(String(line))
            guard words.first == "ttusage" else { return nil }
            return Array(words.dropFirst())
        }
    }

    static func shellWords(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\\" {
                escaped = true
                inWord = true
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == "#" && !inWord {
                break
            } else if character.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// A folder with the walk-through's input files and a configuration whose default profile is the sandbox.
    static func workspace(server: TTIDSandboxServer) throws -> (folder: URL, environment: [String: String]) {
        let folder = try CLI.temporaryDirectory()
        let manager = FileManager.default
        try manager.copyItem(
            at: samples.appendingPathComponent("keys.csv"), to: folder.appendingPathComponent("keys.csv"))
        let rates = try String(contentsOf: samples.appendingPathComponent("rates.example.yaml"), encoding: .utf8)
        try CLI.write(rates, to: folder.appendingPathComponent("rates.yaml"))
        // The corrected card: Borealis's flat fee goes from 99 to 89.
        try CLI.write(
            rates.replacingOccurrences(of: "monthly-fee: 99", with: "monthly-fee: 89"),
            to: folder.appendingPathComponent("rates-corrected.yaml"))
        let config = folder.appendingPathComponent("config/ttusage")
        try manager.createDirectory(at: config, withIntermediateDirectories: true)
        try CLI.write(
            """
            default-profile: sandbox
            profiles:
              sandbox:
                base-url: \(server.baseURL)
                store: \(folder.appendingPathComponent("usage.sqlite").path)
            """, to: config.appendingPathComponent("config.yaml"))
        var environment = CLI.demoEnvironment
        environment["XDG_CONFIG_HOME"] = folder.appendingPathComponent("config").path
        return (folder, environment)
    }

    static var sandbox: SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = nil
        return configuration
    }

    @Test func theBillingWalkthroughRunsAsWritten() async throws {
        let readme = try Self.readme
        let commands = Self.commands(try Self.block(after: "<!-- walkthrough: billing -->", in: readme))
        #expect(commands.count == 5)
        // Every command that reaches the service names one environment: a walk-through that mixes them compares
        // unlike figures (render and diff read the reports, which carry theirs).
        for command in commands where !["diff", "render"].contains(command.first ?? "") {
            #expect(command.contains("ext_prod_live"), "\(command)")
        }
        try await TTIDSandboxServer.withRunning(Self.sandbox) { server in
            let (folder, environment) = try Self.workspace(server: server)
            var outputs: [String] = []
            for command in commands {
                let run = try await CLI.run(command, environment: environment, directory: folder)
                #expect(run.code == 0, "ttusage \(command.joined(separator: " ")): \(run.stderr)")
                outputs.append(run.stdout)
            }
            // What the README shows the plan print is what it prints.
            let shown = try Self.block(after: "<!-- walkthrough-output: billing 1 -->", in: readme)
            #expect(outputs[0].trimmingCharacters(in: .newlines) == shown)
            let diff = try Self.block(after: "<!-- walkthrough-output: billing 5 -->", in: readme)
            #expect(outputs[4].trimmingCharacters(in: .newlines) == diff)
            // The invoices the README shows are the ones the export wrote.
            let invoices = try String(
                contentsOf: folder.appendingPathComponent("invoiced/2026-11/invoices.csv"), encoding: .utf8)
            let shownInvoices = try Self.block(after: "<!-- walkthrough-output: billing invoices -->", in: readme)
            #expect(invoices.trimmingCharacters(in: .newlines) == shownInvoices)
            // The corrected card re-priced Borealis only, under the report's own template.
            let repriced = try String(
                contentsOf: folder.appendingPathComponent("repriced/invoices.csv"), encoding: .utf8)
            #expect(repriced.contains("2026-11,Borealis Trading,2,") && repriced.contains(",89.00,USD,"))
        }
    }

    /// The audit walk-through against the sandbox's key profiles: the key-audit.csv the README shows is the one
    /// the command writes.
    @Test func theAuditWalkthroughRunsAsWritten() async throws {
        let readme = try Self.readme
        let commands = Self.commands(try Self.block(after: "<!-- walkthrough: audit -->", in: readme))
        #expect(commands.count == 1)
        try await TTIDSandboxServer.withRunning(AuditCommandTests.sandbox(AuditCommandTests.kinds)) { server in
            let (folder, environment) = try Self.workspace(server: server)
            try FileManager.default.removeItem(at: folder.appendingPathComponent("keys.csv"))
            _ = try AuditCommandTests.manifest(AuditCommandTests.kinds, in: folder)
            for command in commands {
                let run = try await CLI.run(command, environment: environment, directory: folder)
                // The alert rules are met: a report is written and the run exits 3.
                #expect(run.code == 3, "ttusage \(command.joined(separator: " ")): \(run.stderr)")
            }
            let written = try String(
                contentsOf: folder.appendingPathComponent("audit/key-audit.csv"), encoding: .utf8)
            let shown = try Self.block(after: "<!-- walkthrough-output: audit key-audit -->", in: readme)
            #expect(written.trimmingCharacters(in: .newlines) == shown)
        }
    }

    @Test func wordsSplitAsTheShellSplitsThem() {
        #expect(
            Self.shellWords(#"ttusage export --out "a b" 'c d' e\ f # note"#) == [
                "ttusage", "export", "--out", "a b", "c d", "e f",
            ])
        #expect(
            Self.commands("ttusage plan --month 2026-11 \\\n  --keys k.csv   # calls nothing\n# ttusage no") == [
                ["plan", "--month", "2026-11", "--keys", "k.csv"]
            ])
    }
}
