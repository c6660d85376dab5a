import Foundation
import Testing
import UsageCore
import UsageExport

@testable import TTID

/// Replays the inputs that broke a parser (`FuzzRegressions/`, from `.ci/fuzz` and the hostile-input tests) and
/// the fuzzer's seed corpora (`Tests/FuzzCorpus/`), so that a crash found once stays fixed.
///
/// Files are found from `#filePath` rather than `Bundle.module`: they are shared with `.ci/fuzz`, and the test
/// target declares no resources. The template seeds are replayed by
/// `swift run --package-path Benchmarks ttusage-fuzz template Tests/FuzzCorpus/template` (this target does not depend on UsageReports).
@Suite("fuzz regressions and seed corpora")
struct FuzzRegressionTests {
    /// `Tests/UsageCoreTests`.
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    /// Inputs that once crashed or hung a parser, one file each, named `<parser>-<what>.<ext>`.
    static let regressions = testsFolder.appendingPathComponent("FuzzRegressions")
    /// `Tests/FuzzCorpus`, the fuzzer's seeds: `valid-*` inputs parse, `broken-*` ones are rejected.
    static let corpus = testsFolder.deletingLastPathComponent().appendingPathComponent("FuzzCorpus")

    /// The app key the keyusage seeds are written for (`FuzzTarget.appKey` of `ttusage-fuzz`).
    static let appKey = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

    /// The regular, non-hidden files of `folder`, sorted by name; none when it does not exist.
    static func files(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    /// Every input this suite knows: the regressions and the seeds of all three parsers.
    static func everyInput() -> [URL] {
        files(in: regressions)
            + ["manifest", "keyusage", "template"].flatMap {
                files(in: corpus.appendingPathComponent($0))
            }
    }

    static func contents(_ file: URL) -> Data { FileManager.default.contents(atPath: file.path) ?? Data() }

    @Test func theFoldersAreThere() {
        #expect(!Self.files(in: Self.regressions).isEmpty)
        for target in ["manifest", "keyusage", "template"] {
            #expect(Self.files(in: Self.corpus.appendingPathComponent(target)).count >= 5, "\(target) seeds")
        }
    }

    /// Any bytes at all, through the manifest reader: it returns or throws `ManifestError` (its typed throw),
    /// and never traps.
    @Test func everyInputThroughTheManifestReader() {
        for file in Self.everyInput() {
            let name = file.lastPathComponent
            do {
                let manifest = try Manifest.parse(Self.contents(file), name: name)
                #expect(!manifest.keys.isEmpty, "\(name)")
            } catch {
                #expect(error.description.hasPrefix(name), "\(name): \(error.description)")
            }
        }
    }

    @Test func manifestSeedsKeepTheirVerdicts() {
        for file in Self.files(in: Self.corpus.appendingPathComponent("manifest")) {
            let name = file.lastPathComponent
            let accepted = (try? Manifest.parse(Self.contents(file), name: name)) != nil
            #expect(accepted == name.hasPrefix("valid-"), "\(name)")
        }
    }

    @Test func keyusageSeedsKeepTheirVerdicts() {
        for file in Self.files(in: Self.corpus.appendingPathComponent("keyusage")) {
            let name = file.lastPathComponent
            let days = KeyUsageBody.probe(Self.contents(file), appKey: Self.appKey)
            #expect((days >= 0) == name.hasPrefix("valid-"), "\(name): \(days)")
        }
    }

    /// Every input as a keyusage body for a three-day chunk, then on through the normalizer and the key's totals,
    /// as `Exporter` takes it: parsed or rejected, never a trap.
    ///
    /// Runs in a child process, so that a trap is recorded as this test's failure instead of ending the run.
    /// Two traps were found (`FuzzRegressions/keyusage-*`): Foundation's JSON scanner trapped on 513 nested arrays
    /// ending the body, and a count near `Int.max` overflowed `used + remaining` or the sum of the days.
    @Test func everyInputThroughTheKeyusageParserAndTheTotals() async {
        await #expect(processExitsWith: .success) {
            for file in FuzzRegressionTests.everyInput() {
                FuzzRegressionTests.replayThroughTheTotals(FuzzRegressionTests.contents(file))
            }
        }
    }

    /// Parses `body` as `Exporter` does and, when it holds a series, normalizes it and totals the key.
    static func replayThroughTheTotals(_ body: Data) {
        guard let first = Day(year: 2026, month: 10, day: 1),
            let chunk = DayRange(from: first, to: first.adding(days: 2)),
            let page = try? KeyUsageParser.parse(body, appKey: appKey), let series = page.series
        else { return }
        let figures = series.map {
            UsageFigure(used: $0.used, remaining: $0.remaining, date: $0.date.flatMap { Day(iso: $0) })
        }
        let days = Normalizer.days(of: chunk, from: figures, today: first.adding(days: 10)).days
        let usage = KeyUsage(key: KeyEntry(appKey: appKey, userId: "1", label: ""), days: days)
        _ = usage.days.map(\.utilisation)
    }
}
