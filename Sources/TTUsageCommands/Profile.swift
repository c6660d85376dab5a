import Foundation
import UsageCore
import UsageReports
import Yams

/// A named set of defaults from the configuration file; options on the command line override each of them.
struct Profile: Equatable, Sendable {
    var name: String
    var environment: String?
    var baseURL: String?
    var appName: String?
    var company: String?
    var plan: String?
    var rate: Double?
    var concurrency: Int?
    var out: String?
    var template: String?
    var store: String?
    /// `--alert` rules.
    var alert: String?
    /// `--anomaly` thresholds.
    var anomaly: String?
    /// `--rates` rate card.
    var rates: String?
    /// The TT user of the calling app key, for the quota check (`--user-id`).
    var userId: String?
    /// `--metrics` file.
    var metrics: String?
    /// `--notify` webhooks.
    var notify: [String]?
    /// `--notify-on`.
    var notifyOn: String?
    /// `--statements`.
    var statements: Bool?
    /// `--statement-from`.
    var statementFrom: String?

    static let keys = [
        "environment", "base-url", "app-name", "company", "plan", "rate", "concurrency", "out",
        "template", "store", "alert", "anomaly", "rates", "user-id", "metrics", "notify", "notify-on", "statements",
        "statement-from",
    ]
}

/// The configuration file: `$XDG_CONFIG_HOME/ttusage/config.yaml` (or `~/.config/ttusage/config.yaml`), or `--config`.
///
/// ```yaml
/// default-profile: uat
/// profiles:
///   uat:
///     environment: ext_uat_cert
///     plan: free
///   live:
///     environment: ext_prod_live
///     plan: high
///     concurrency: 8
///     out: /srv/reports
///     template: monthly-billing
/// ```
struct ConfigurationFile: Sendable {
    var path: String
    var defaultProfile: String?
    var profiles: [String: Profile]

    static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base: String
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            base = config
        } else {
            base = ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".config")
        }
        return (base as NSString).appendingPathComponent("ttusage/config.yaml")
    }

    /// The profile to use: `name`, else the file's `default-profile`, else none. A missing default file is no error.
    static func profile(
        named name: String?, configPath: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Profile? {
        let path = configPath ?? defaultPath(environment: environment)
        guard FileManager.default.fileExists(atPath: path) else {
            if configPath != nil { throw CommandError("--config \(path): no such file", category: .noInput) }
            if let name {
                throw CommandError("--profile \(name): there is no configuration file (\(path))", category: .usage)
            }
            return nil
        }
        let file = try load(path: path)
        guard let chosen = name ?? file.defaultProfile else { return nil }
        guard let profile = file.profiles[chosen] else {
            let known = file.profiles.keys.sorted().joined(separator: ", ")
            throw CommandError(
                "--profile \(chosen) is not in \(path) (profiles: \(known.isEmpty ? "none" : known))",
                category: .usage)
        }
        return profile
    }

    static func load(path: String) throws -> ConfigurationFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandError("configuration \(path) cannot be read", category: .noInput)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CommandError("configuration \(path) is not UTF-8 text", category: .dataError)
        }
        return try parse(text, path: path)
    }

    static func parse(_ text: String, path: String) throws -> ConfigurationFile {
        func fail(_ node: Node?, _ problem: String) -> CommandError {
            CommandError("configuration \(path) line \(node?.mark?.line ?? 1): \(problem)", category: .dataError)
        }
        let root: Node?
        do {
            root = try YAMLReading.compose(text)
        } catch {
            throw CommandError(
                "configuration \(path)\(error.line.map { " line \($0)" } ?? ""): \(error.problem)", category: .dataError
            )
        }
        guard let root else { return ConfigurationFile(path: path, defaultProfile: nil, profiles: [:]) }
        guard let top = root.mapping else { throw fail(root, "expected a mapping with `profiles:`") }
        var file = ConfigurationFile(path: path, defaultProfile: nil, profiles: [:])
        for (keyNode, value) in top {
            switch keyNode.string {
            case "default-profile":
                guard let name = value.scalar?.string else { throw fail(value, "default-profile must be a name") }
                file.defaultProfile = name
            case "profiles":
                guard let profiles = value.mapping else { throw fail(value, "profiles must be a mapping of names") }
                for (nameNode, body) in profiles {
                    guard let name = nameNode.string else { throw fail(nameNode, "a profile name must be text") }
                    file.profiles[name] = try profile(name, body, fail: fail)
                }
            default:
                throw fail(keyNode, "unknown key `\(keyNode.string ?? "?")` (expected default-profile, profiles)")
            }
        }
        if let name = file.defaultProfile, file.profiles[name] == nil {
            throw fail(root, "default-profile \(name) is not one of the profiles")
        }
        return file
    }

    /// `~` and `~/…` are the user's home, `$HOME` as the shell gives it (not the password database's entry, which
    /// differs under `sudo -E`, in containers and in services that set `HOME`).
    static func expandingHome(
        _ path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + path.dropFirst()
    }

    private static func profile(_ name: String, _ node: Node, fail: (Node?, String) -> CommandError) throws -> Profile {
        guard let mapping = node.mapping else { throw fail(node, "profile \(name) must be a mapping") }
        var profile = Profile(name: name)
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            func text() throws -> String {
                guard let scalar = value.scalar?.string, !scalar.isEmpty else {
                    throw fail(value, "\(key) must be text")
                }
                return scalar
            }
            switch key {
            case "environment": profile.environment = try text()
            case "base-url": profile.baseURL = try text()
            case "app-name": profile.appName = try text()
            case "company": profile.company = try text()
            case "plan": profile.plan = try text()
            case "out": profile.out = expandingHome(try text())
            case "template": profile.template = expandingHome(try text())
            case "store": profile.store = expandingHome(try text())
            case "alert": profile.alert = try text()
            case "anomaly": profile.anomaly = try text()
            case "rates": profile.rates = expandingHome(try text())
            case "user-id": profile.userId = try text()
            case "metrics": profile.metrics = expandingHome(try text())
            case "notify-on": profile.notifyOn = try text()
            case "notify":
                if let list = value.sequence {
                    profile.notify = try list.map { item in
                        guard let url = item.scalar?.string, !url.isEmpty else {
                            throw fail(item, "notify must be a URL or a list of URLs")
                        }
                        return url
                    }
                } else {
                    profile.notify = [try text()]
                }
            case "statement-from": profile.statementFrom = try text()
            case "statements":
                guard let flag = value.bool else { throw fail(value, "statements must be true or false") }
                profile.statements = flag
            case "rate":
                guard let rate = value.float, rate >= 0 else {
                    throw fail(value, "rate must be a number of calls a second")
                }
                profile.rate = rate
            case "concurrency":
                guard let count = value.int else { throw fail(value, "concurrency must be a whole number") }
                profile.concurrency = count
            default:
                throw fail(
                    keyNode,
                    "unknown key `\(key)` in profile \(name) (expected \(Profile.keys.joined(separator: ", ")))")
            }
        }
        return profile
    }
}
