import Foundation
import TTIDSandbox
import Testing
import UsageCore

@testable import TTUsageCommands

@Suite("Configuration profiles")
struct ProfileTests {
    static let config = """
        # ttusage configuration
        default-profile: uat
        profiles:
          uat:
            environment: ext_uat_cert
            plan: low
          live:
            environment: ext_prod_live
            base-url: https://tt.example.com
            app-name: billing
            company: acme
            plan: high
            concurrency: 8
            template: quota-audit

        """

    func files() throws -> (config: URL, keys: URL, directory: URL) {
        let directory = try CLI.temporaryDirectory()
        let config = directory.appendingPathComponent("config.yaml")
        try CLI.write(Self.config, to: config)
        let keys = directory.appendingPathComponent("keys.csv")
        try CLI.write("app_key,user_id,label\n11111111-2222-4333-8444-555555555555,1,A\n", to: keys)
        let credentials = directory.appendingPathComponent("credentials")
        try CLI.write("TT_APP_KEY=00000000-0000-0000-0000-0000000000aa\nTT_APP_SECRET=s\n", to: credentials)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: credentials.path)
        return (config, keys, directory)
    }

    @Test func aProfileCarriesAlertRulesAnomalyThresholdsAndARateCard() async throws {
        let (_, keys, directory) = try files()
        let rates = directory.appendingPathComponent("rates.yaml")
        try CLI.write(
            "currency: EUR\ndefault-plan: p\nplans:\n  p:\n    monthly-fee: \"10.00\"\n", to: rates)
        let config = directory.appendingPathComponent("audit.yaml")
        try CLI.write(
            """
            profiles:
              audit:
                template: quota-audit
                alert: at-quota,utilisation>=0.9
                anomaly: z=4,ratio=2.5,min-calls=200
                rates: \(rates.path)

            """, to: config)
        let base = [
            "--month", "2026-10", "--keys", keys.path, "--out", directory.appendingPathComponent("out").path,
            "--no-store", "--credentials", directory.appendingPathComponent("credentials").path, "--config",
            config.path, "--profile", "audit", "--quiet",
        ]
        let today = Day(iso: "2026-11-25")!
        let job = try await Export.parse(base).makeJob(today: today)
        #expect(job.render.alertRules == [.atQuota, .utilisation(0.9)])
        #expect(job.render.audit.anomaly.z == 4 && job.render.audit.anomaly.ratio == 2.5)
        #expect(job.render.audit.anomaly.minCalls == 200)
        #expect(job.render.rates?.currency.code == "EUR")
        // The command line wins over the profile.
        let overridden = try await Export.parse(base + ["--alert", "dormant", "--anomaly", "z=8"]).makeJob(today: today)
        #expect(overridden.render.alertRules == [.dormant])
        #expect(overridden.render.audit.anomaly.z == 8 && overridden.render.audit.anomaly.ratio == 2)
        // A bad rule in the profile is bad usage that names the profile's key.
        try CLI.write("profiles:\n  audit:\n    alert: at-quota,sometimes\n", to: config)
        await #expect {
            try await Export.parse(base).makeJob(today: today)
        } throws: { error in
            "\(error)".contains("alert (profile)") && "\(error)".contains("sometimes")
        }
    }

    @Test func profileSetsDefaultsAndTheCommandLineOverrides() async throws {
        let (config, keys, directory) = try files()
        let base = [
            "--month", "2026-10", "--keys", keys.path, "--out", directory.appendingPathComponent("out").path,
            "--no-store", "--credentials", directory.appendingPathComponent("credentials").path,
            "--config", config.path, "--quiet",
        ]
        let today = Day(iso: "2026-11-25")!
        let live = try await Export.parse(base + ["--profile", "live"]).makeJob(today: today)
        #expect(live.client.endpoint.environment == .production)
        #expect(live.client.endpoint.origin == "https://tt.example.com")
        #expect(live.client.requestIDs.appName == "billing" && live.client.requestIDs.company == "acme")
        #expect(live.rate == 25 && live.concurrency == 8)
        #expect(live.render.template.name == "quota-audit")
        let overridden = try await Export.parse(
            base + [
                "--profile", "live", "--concurrency", "2", "--rate", "1",
                "--environment", "ext_uat_cert", "--template", "monthly-billing",
            ]
        )
        .makeJob(today: today)
        #expect(overridden.concurrency == 2 && overridden.rate == 1)
        #expect(overridden.client.endpoint.environment == .uat)
        #expect(overridden.render.template.name == "monthly-billing")
        let byDefault = try await Export.parse(base).makeJob(today: today)
        #expect(byDefault.rate == 5, "default-profile uat sets plan low")
    }

    @Test func unknownProfileIsUsageAndBrokenFileNamesTheLine() async throws {
        let (config, keys, directory) = try files()
        let args = ["plan", "--month", "2026-10", "--keys", keys.path, "--no-store", "--config", config.path]
        let unknown = try await CLI.run(args + ["--profile", "gold"])
        #expect(unknown.code == 64)
        #expect(unknown.stderr.contains("uat") && unknown.stderr.contains("live"))
        let broken = directory.appendingPathComponent("broken.yaml")
        try CLI.write("profiles:\n  uat:\n    plan: low\n    concurrancy: 3\n", to: broken)
        let typo = try await CLI.run(["plan", "--month", "2026-10", "--keys", keys.path, "--config", broken.path])
        #expect(typo.code == 65)
        #expect(typo.stderr.contains("line 4") && typo.stderr.contains("concurrancy"))
        try CLI.write("profiles:\n  uat: [plan: low\n", to: broken)
        let yaml = try await CLI.run(["plan", "--month", "2026-10", "--keys", keys.path, "--config", broken.path])
        #expect(yaml.code == 65)
        #expect(yaml.stderr.contains("line"))
        #expect(yaml.stderr.split(separator: "\n").count == 1)
    }
}
