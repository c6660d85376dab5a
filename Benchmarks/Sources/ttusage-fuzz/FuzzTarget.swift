import Foundation
import TTID
import UsageCore
import UsageReports

/// One of the parsers under the fuzzer; every input goes to exactly one of them.
enum FuzzTarget: String, CaseIterable, Sendable {
    /// `Manifest.parse`: the keys CSV.
    case manifest
    /// The keyusage body parser, through `KeyUsageBody.probe`.
    case keyusage
    /// `ReportTemplate.parse(yaml:source:)`: a template's YAML.
    case template
    /// `ReportJSON.decode`: a saved report.json, then its tables, audit and invoices built again as `render` does.
    case report

    /// The environment variable that names the target of a fuzzing run.
    static let environmentName = "TTUSAGE_FUZZ_TARGET"

    /// The app key a keyusage body is searched for; the seeds of `Tests/FuzzCorpus/keyusage` use it.
    static let appKey = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

    /// The target `TTUSAGE_FUZZ_TARGET` names, read once (a fuzzing run never changes it).
    static let fromEnvironment: FuzzTarget? = ProcessInfo.processInfo.environment[environmentName].flatMap {
        FuzzTarget(rawValue: $0.lowercased())
    }

    /// Feeds `data` to the parser and says how it fared, in one line.
    ///
    /// Both outcomes are fine: the parser accepts or it rejects with its own error. Only a trap (a crash, a
    /// sanitizer report, a hang) is a bug.
    func run(_ data: Data) -> String {
        switch self {
        case .manifest:
            do {
                let manifest = try Manifest.parse(data, name: "fuzz.csv")
                return "accepted: \(manifest.keys.count) keys, \(manifest.warnings.count) warnings"
            } catch {
                return "rejected: " + Self.brief(error.description)
            }
        case .keyusage:
            let days = KeyUsageBody.probe(data, appKey: Self.appKey)
            return days < 0 ? "rejected" : "accepted: \(days) days"
        case .template:
            // As `ReportTemplate.load(path:)` does: bytes that are not UTF-8 never reach the YAML parser.
            guard let text = String(data: data, encoding: .utf8) else { return "rejected: not UTF-8" }
            do {
                let template = try ReportTemplate.parse(yaml: text, source: "fuzz.yaml")
                return "accepted: \(template.tableIDs.count) tables"
            } catch {
                return "rejected: " + Self.brief(String(describing: error))
            }
        case .report:
            let dataset: UsageDataset
            do {
                dataset = try ReportJSON.decode(data, source: "fuzz.json")
            } catch {
                return "rejected: " + Self.brief(String(describing: error))
            }
            // Every table, the audit and month over month: the sums a render makes of what was read.
            var options = RenderOptions()
            options.template = Self.auditTemplate ?? options.template
            let written = (try? ReportJSON.encode(dataset, options: options))?.count ?? -1
            return "accepted: \(dataset.keys.count) keys, \(written) bytes again"
        }
    }

    /// The quota-audit template, whose tables sum and compare the most.
    private static let auditTemplate = try? ReportTemplate.bundled(named: "quota-audit")

    /// The first 160 characters of a message, on one line.
    private static func brief(_ message: String) -> String {
        let line = message.replacingOccurrences(of: "\n", with: " ")
        return line.count > 160 ? line.prefix(160) + "…" : line
    }
}
