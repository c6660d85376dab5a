import Foundation
import Testing
import UsageCore

@testable import UsageReports

/// The seeds of the `report` fuzz target (`Tests/FuzzCorpus/report`): each keeps its verdict (`valid-…` read,
/// `broken-…` refused as bad input naming the field), and every one goes through the reader and on through the
/// tables, the audit and the JSON writer without a trap.
@Suite("report.json fuzz seeds")
struct ReportFuzzSeedTests {
    static let seeds = TestData.repositoryRoot.appendingPathComponent("Tests/FuzzCorpus/report")

    static func files() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: seeds.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { seeds.appendingPathComponent($0) }
    }

    @Test func seedsKeepTheirVerdicts() throws {
        #expect(Self.files().count >= 8)
        for file in Self.files() {
            let name = file.lastPathComponent
            do {
                let dataset = try ReportJSON.decode(try Data(contentsOf: file), source: name)
                #expect(name.hasPrefix("valid-"), "\(name) was read: \(dataset.keys.count) keys")
            } catch let error as ReportError {
                #expect(name.hasPrefix("broken-"), "\(name): \(error)")
                #expect(error.category == .dataError && error.description.hasPrefix(name), "\(error)")
            }
        }
    }

    @Test func countsPastTheBoundNameTheirField() throws {
        let file = Self.seeds.appendingPathComponent("broken-two-of-2-62.json")
        let error = #expect(throws: ReportError.self) {
            try ReportJSON.decode(try Data(contentsOf: file), source: "r.json")
        }
        #expect(
            error?.description.contains("keys[0].days[0].used: 4611686018427387904") == true,
            "\(String(describing: error))")
    }

    /// In a child process, so that a trap is this test's failure instead of the end of the run.
    @Test func everySeedThroughTheReaderAndTheTablesNeverTraps() async {
        await #expect(processExitsWith: .success) {
            let audit = try? ReportTemplate.bundled(named: "quota-audit")
            for file in ReportFuzzSeedTests.files() {
                guard let data = FileManager.default.contents(atPath: file.path),
                    let dataset = try? ReportJSON.decode(data, source: file.lastPathComponent)
                else { continue }
                var options = RenderOptions()
                options.template = audit ?? options.template
                _ = try? ReportJSON.encode(dataset, options: options)
            }
        }
    }
}
