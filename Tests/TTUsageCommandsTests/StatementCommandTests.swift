import Foundation
import TTIDSandbox
import TTUsageTestSupport
import Testing
import ZIPFoundation

/// `--statements` end to end: the real binary exports from the sandbox, renders again offline, and each
/// customer's folder is searched byte by byte for anything of another customer's.
@Suite("statements: each customer's own pack")
struct StatementCommandTests {
    struct Customer {
        var label: String
        var keys: [(appKey: String, userId: String)]
        /// The rate card's name and addresses, when it lists the customer as a mapping.
        var displayName: String?
        var emails: [String] = []

        /// The customer as invoices.csv names it.
        var name: String { label.isEmpty ? keys[0].appKey : label }
    }

    /// Labels that are prefixes of each other, differ only in case or in Unicode normalisation, need escaping,
    /// or are empty.
    static let customers: [Customer] = [
        Customer(
            label: "Acme",
            keys: [
                ("e1000001-0000-4000-8000-000000000001", "910000001"),
                ("e1000002-0000-4000-8000-000000000002", "910000001"),
            ],
            displayName: nil, emails: ["ap@acme.example"]),
        Customer(
            label: "Acme Capital",
            keys: [
                ("e2000003-0000-4000-8000-000000000003", "920000002"),
                ("e2000004-0000-4000-8000-000000000004", "920000002"),
            ],
            displayName: "Acme Capital Ltd", emails: ["ap@acmecapital.example", "cfo@acmecapital.example"]),
        Customer(
            label: "ACME capital", keys: [("e3000005-0000-4000-8000-000000000005", "930000003")], displayName: nil,
            emails: ["billing@acme-capital.example"]),
        Customer(
            label: "Ac<me>", keys: [("e4000006-0000-4000-8000-000000000006", "940000004")],
            displayName: "Ac<me> & \"Co\"",
            emails: ["x@ac-me.example"]),
        Customer(label: "", keys: [("e5000007-0000-4000-8000-000000000007", "950000005")]),
        Customer(label: "Caf\u{E9}", keys: [("e6000008-0000-4000-8000-000000000008", "960000006")]),
        Customer(label: "Cafe\u{301}", keys: [("e7000009-0000-4000-8000-000000000009", "970000007")]),
    ]

    static let rates = """
        currency: EUR
        default-plan: standard
        plans:
          standard:
            monthly-fee: "50.00"
            included-calls: 1000
            tiers:
              - per-1000: "0.40"
        customers:
          Acme: {email: "ap@acme.example"}
          "Acme Capital": {plan: standard, email: "ap@acmecapital.example", cc: ["cfo@acmecapital.example"], name: "Acme Capital Ltd"}
          "ACME capital": {email: "billing@acme-capital.example"}
          "Ac<me>": {email: "x@ac-me.example", name: "Ac<me> & \\"Co\\""}
        """

    struct Setup {
        var directory: URL
        var keys: URL
        var rates: URL
        var store: URL
    }

    static func setUp() throws -> Setup {
        let directory = try CLI.temporaryDirectory()
        let keys = directory.appendingPathComponent("keys.csv")
        var lines = ["app_key,user_id,label"]
        for customer in customers {
            for key in customer.keys { lines.append("\(key.appKey),\(key.userId),\"\(customer.label)\"") }
        }
        try CLI.write(lines.joined(separator: "\n") + "\n", to: keys)
        let rates = directory.appendingPathComponent("rates.yaml")
        try CLI.write(Self.rates, to: rates)
        return Setup(
            directory: directory, keys: keys, rates: rates, store: directory.appendingPathComponent("s.sqlite"))
    }

    /// No limits; Acme's second key reports only 58 days of October and November: 28 to 30 November are missing.
    static func sandbox() -> SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = nil
        configuration.shortKeys[customers[0].keys[1].appKey] = 58
        return configuration
    }

    static func export(_ setup: Setup, out: URL) async throws -> CLI.Run {
        try await TTIDSandboxServer.withRunning(sandbox()) { server in
            try await CLI.run(
                [
                    "export", "--month", "2026-11", "--keys", setup.keys.path, "--out", out.path, "--rates",
                    setup.rates.path, "--base-url", server.baseURL, "--rate", "0", "--store", setup.store.path,
                    "--statements", "--statement-from", "TT Billing <billing@tt.example>",
                ], environment: CLI.demoEnvironment)
        }
    }

    static func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

    @Test func noCustomersFolderHoldsAnythingOfAnothers() async throws {
        let setup = try Self.setUp()
        let out = setup.directory.appendingPathComponent("out")
        let run = try await Self.export(setup, out: out)
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stderr.contains("wrote the statements of 7 customers (4 e-mails)"), "\(run.stderr)")
        let index = try ReportReaders.csvRecords(Data(contentsOf: out.appendingPathComponent("statements/index.csv")))
        #expect(index.first == ["customer", "folder", "keys", "calls", "amount", "currency", "email", "complete"])
        // Keyed by scalars: Swift's String equality would make the two spellings of Café one key.
        let folders = Dictionary(uniqueKeysWithValues: index.dropFirst().map { (Self.scalars($0[0]), $0[1]) })
        #expect(folders.count == Self.customers.count)
        #expect(
            folders[Self.scalars("ACME capital")] == "acme-capital"
                && folders[Self.scalars("Acme Capital")] == "acme-capital-2")
        #expect(folders[Self.scalars("Ac<me>")] == "ac-me" && folders[Self.scalars("Acme")] == "acme")
        #expect(folders[Self.scalars("Cafe\u{301}")] == "cafe" && folders[Self.scalars("Caf\u{E9}")] == "cafe-2")
        #expect(folders[Self.scalars(Self.customers[4].keys[0].appKey)] == Self.customers[4].keys[0].appKey)
        #expect(index.dropFirst().first { $0[0] == "Acme" }?[7] == "false")
        #expect(index.dropFirst().filter { $0[7] == "false" }.count == 1)
        let subfolders = CLI.files(in: out.appendingPathComponent("statements")).filter { $0 != "index.csv" }
        #expect(Set(subfolders) == Set(folders.values))

        for customer in Self.customers {
            let folder = out.appendingPathComponent("statements/\(try #require(folders[Self.scalars(customer.name)]))")
            let views = try StatementIsolation.views(of: folder)
            let own = [customer.label, customer.name, customer.displayName ?? ""].filter { !$0.isEmpty }
            let cleaned = views.map { ($0.name, StatementIsolation.removing(own, from: $0.bytes)) }
            // Its own keys are there, so the search reads what it should.
            for key in customer.keys {
                #expect(views.contains { StatementIsolation.contains($0.bytes, key.appKey) }, "\(customer.name)")
            }
            for other in Self.customers where Self.scalars(other.name) != Self.scalars(customer.name) {
                var needles = other.keys.flatMap { [$0.appKey, $0.userId] } + other.emails
                needles += [other.label, other.displayName ?? ""].filter { !$0.isEmpty }
                for needle in needles {
                    for form in StatementIsolation.forms(of: needle) {
                        for (name, bytes) in cleaned where StatementIsolation.contains(bytes, form) {
                            Issue.record("\(customer.name)'s \(name) holds \(other.name)'s \"\(form)\"")
                        }
                    }
                }
            }
            #expect(views.contains { $0.name.hasSuffix("statement.xlsx#xl/sharedStrings.xml") }, "\(customer.name)")
        }
        // The whole report still holds every customer.
        let daily = try String(contentsOf: out.appendingPathComponent("daily.csv"), encoding: .utf8)
        #expect(Self.customers.allSatisfy { $0.keys.allSatisfy { daily.contains($0.appKey) } })
    }

    @Test func renderMakesTheSamePacksOfflineFromReportJSONAndFromTheStore() async throws {
        let setup = try Self.setUp()
        let out = setup.directory.appendingPathComponent("out")
        let run = try await Self.export(setup, out: out)
        #expect(run.code == 0, "\(run.stderr)")
        let config = setup.directory.appendingPathComponent("config.yaml")
        try CLI.write(
            "default-profile: billing\nprofiles:\n  billing:\n    statements: true\n"
                + "    statement-from: billing@tt.example\n", to: config)
        let fromJSON = setup.directory.appendingPathComponent("again")
        let again = try await CLI.run([
            "render", "--input", out.path, "--rates", setup.rates.path, "--out", fromJSON.path, "--config", config.path,
        ])
        #expect(again.code == 0, "\(again.stderr)")
        let fromStore = setup.directory.appendingPathComponent("offline")
        let offline = try await CLI.run([
            "render", "--store", setup.store.path, "--keys", setup.keys.path, "--month", "2026-11", "--rates",
            setup.rates.path, "--out", fromStore.path, "--statements", "--statement-from", "billing@tt.example",
        ])
        #expect(offline.code == 0, "\(offline.stderr)")
        let original = out.appendingPathComponent("statements")
        let index = try Data(contentsOf: original.appendingPathComponent("index.csv"))
        for copy in [fromJSON, fromStore].map({ $0.appendingPathComponent("statements") }) {
            #expect(try Data(contentsOf: copy.appendingPathComponent("index.csv")) == index)
            for folder in CLI.files(in: original) where folder != "index.csv" {
                let csv = try Data(contentsOf: original.appendingPathComponent("\(folder)/statement.csv"))
                #expect(
                    try Data(contentsOf: copy.appendingPathComponent("\(folder)/statement.csv")) == csv, "\(folder)")
                #expect(
                    CLI.files(in: copy.appendingPathComponent(folder))
                        == CLI.files(in: original.appendingPathComponent(folder)))
            }
        }
        // From the same report.json the pages are the same bytes.
        let page = try Data(contentsOf: original.appendingPathComponent("acme/statement.html"))
        #expect(try Data(contentsOf: fromJSON.appendingPathComponent("statements/acme/statement.html")) == page)
    }

    /// The statements are part of the report folder: written in its staging folder and switched in with it, so a
    /// later run without `--statements` leaves none of them behind.
    @Test func statementsComeAndGoWithTheirReport() async throws {
        let setup = try Self.setUp()
        let out = setup.directory.appendingPathComponent("out")
        let run = try await Self.export(setup, out: out)
        #expect(run.code == 0, "\(run.stderr)")
        #expect(CLI.files(in: out).contains("statements"))
        let record = try String(contentsOf: out.appendingPathComponent(".ttusage-report"), encoding: .utf8)
        #expect(record.contains("statements"), "\(record)")
        let plain = try await CLI.run([
            "render", "--input", out.path, "--rates", setup.rates.path, "--out", out.path, "--format", "csv",
        ])
        #expect(plain.code == 0, "\(plain.stderr)")
        #expect(!CLI.files(in: out).contains("statements"), "\(CLI.files(in: out))")
    }

    @Test func anAddressWithNoSenderIsBadUsageAndABadAddressIsBadInput() async throws {
        let setup = try Self.setUp()
        let out = setup.directory.appendingPathComponent("out")
        // Nothing listens on the base URL: exit 64 shows that the run stopped before any call.
        let base = [
            "export", "--month", "2026-11", "--keys", setup.keys.path, "--out", out.path, "--rates", setup.rates.path,
            "--base-url", "http://127.0.0.1:9", "--no-store",
        ]
        let noSender = try await CLI.run(base + ["--statements"], environment: CLI.demoEnvironment)
        #expect(noSender.code == 64, "\(noSender.stderr)")
        #expect(noSender.stderr.contains("--statement-from"), "\(noSender.stderr)")
        let badSender = try await CLI.run(
            base + ["--statements", "--statement-from", "billing at tt"], environment: CLI.demoEnvironment)
        #expect(badSender.code == 64, "\(badSender.stderr)")
        let badCard = setup.directory.appendingPathComponent("bad.yaml")
        try CLI.write(
            "currency: EUR\ndefault-plan: a\nplans:\n  a: {}\ncustomers:\n  Acme:\n    email: \"ap@@acme\"\n",
            to: badCard)
        let bad = try await CLI.run(
            ["render", "--input", setup.directory.path, "--rates", badCard.path, "--out", out.path, "--statements"])
        #expect(bad.code == 65, "\(bad.stderr)")
        #expect(bad.stderr.contains("\(badCard.path) line 7"), "\(bad.stderr)")
        #expect(bad.stderr.contains("ap@@acme"), "\(bad.stderr)")
    }
}
