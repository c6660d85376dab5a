import Foundation
import TTIDSandbox
import Testing
import UsageCore
import UsageReports

@testable import TTUsageCommands

/// Inputs that once crashed or misled the tool: counts past what TT reports, a service that caps the range of a
/// keyusage call, a user id that is not TT's, a manifest that is not UTF-8, a label no workbook cell holds.
@Suite("input bounds")
struct InputBoundsTests {
    /// A small report.json whose first `days` days' `used` become `value`.
    static func report(withUsed value: String, days: Int) throws -> (directory: URL, file: URL) {
        let directory = try CLI.temporaryDirectory()
        let file = directory.appendingPathComponent("report.json")
        try ReportFolder.writeReport(keys: 2, days: 5, to: file)
        var text = try String(contentsOf: file, encoding: .utf8)
        var replaced = 0
        var search = text.startIndex
        while replaced < days, let found = text.range(of: "\"used\": ", range: search..<text.endIndex) {
            let digits = text[found.upperBound...].prefix(while: \.isNumber)
            let end = text.index(found.upperBound, offsetBy: digits.count)
            text.replaceSubrange(found.upperBound..<end, with: value)
            search = text.index(found.upperBound, offsetBy: value.count)
            replaced += 1
        }
        try CLI.write(text, to: file)
        return (directory, file)
    }

    @Test(arguments: [("9223372036854775807", 1), ("4611686018427387904", 2), ("10000000000000", 1)])
    func countsPastWhatTTReportsAreBadInputForRenderAndDiff(value: String, days: Int) async throws {
        let (directory, file) = try Self.report(withUsed: value, days: days)
        let render = try await CLI.run([
            "render", "--input", file.path, "--out", directory.appendingPathComponent("out").path,
        ])
        #expect(render.code == 65, "\(render.stderr)")
        #expect(render.stderr.contains(file.path) && render.stderr.contains("keys[0].days[0].used"), "\(render.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out/daily.csv").path))
        let diff = try await CLI.run(["diff", file.path, file.path])
        #expect(diff.code == 65, "\(diff.stderr)")
        #expect(diff.stderr.contains("keys[0].days[0].used"), "\(diff.stderr)")
    }

    @Test func theLargestCountTTReportsIsStillRead() throws {
        let (_, file) = try Self.report(withUsed: "1000000000000", days: 3)
        let dataset = try ReportJSON.read(from: file)
        #expect(dataset.keys[0].days[0].used == 1_000_000_000_000)
        #expect(throws: ReportError.self) {
            try ReportJSON.decode(
                Data(
                    try String(contentsOf: file, encoding: .utf8).replacingOccurrences(
                        of: "\"used\": 1000000000000", with: "\"used\": -1"
                    ).utf8))
        }
    }

    static let keys = [
        "a1000001-0000-4000-8000-000000000001", "a1000002-0000-4000-8000-000000000002",
        "a1000003-0000-4000-8000-000000000003",
    ]

    static func manifest(in directory: URL) throws -> URL {
        let file = directory.appendingPathComponent("keys.csv")
        try CLI.write(
            "app_key,user_id,label\n" + keys.enumerated().map { "\($1),\(500 + $0),K\($0)" }.joined(separator: "\n")
                + "\n", to: file)
        return file
    }

    @Test func aServiceThatCapsTheRangeGivesAnExactExportAndTheChunkDaysToUse() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = try Self.manifest(in: directory)
        let to = Day(containing: Date()).adding(days: -2)
        let from = to.adding(days: -89)
        func export(_ server: TTIDSandboxServer, _ out: String, _ extra: [String] = []) async throws -> CLI.Run {
            try await CLI.run(
                [
                    "export", "--from", from.description, "--to", to.description, "--keys", keys.path, "--out",
                    directory.appendingPathComponent(out).path, "--format", "csv", "--base-url", server.baseURL,
                    "--rate", "0", "--no-store",
                ] + extra, environment: CLI.demoEnvironment)
        }
        var capped = SandboxConfiguration()
        capped.rate = nil
        capped.dailyQuota = nil
        capped.maxRangeDays = 30
        let cut = try await TTIDSandboxServer.withRunning(capped) { server in
            let run = try await export(server, "capped")
            return (run, await server.counters().keyUsageRequests)
        }
        #expect(cut.0.code == 0, "\(cut.0.stderr)")
        #expect(cut.0.stderr.contains("use --chunk-days 30 next time"), "\(cut.0.stderr)")
        #expect(!cut.0.stderr.contains("refused:"), "\(cut.0.stderr)")
        var open = capped
        open.maxRangeDays = 90
        let whole = try await TTIDSandboxServer.withRunning(open) { server in try await export(server, "whole") }
        #expect(whole.code == 0, "\(whole.stderr)")
        let cappedDaily = try Data(contentsOf: directory.appendingPathComponent("capped/daily.csv"))
        let wholeDaily = try Data(contentsOf: directory.appendingPathComponent("whole/daily.csv"))
        #expect(cappedDaily == wholeDaily)
        let rows = try ReportReaders.csvRecords(cappedDaily).dropFirst()
        #expect(rows.count == 3 * 90 && rows.allSatisfy { $0.last == "ok" })
        // One refused call of 90 days, then 3 × 30 days for each key (later keys are cut before they ask).
        #expect(cut.1 <= 3 * 3 + 4, "\(cut.1) keyusage calls")
    }

    @Test func theSandboxCommandTakesTheRangeCap() throws {
        let command = try Sandbox.parse(["--max-range-days", "30"])
        #expect(command.maxRangeDays == 30)
    }

    @Test func aUserIdThatIsNotDigitsIsBadInputNamedByItsLine() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = directory.appendingPathComponent("keys.csv")
        try CLI.write("app_key,user_id,label\n\(Self.keys[0]),100,A\n\(Self.keys[1]),abc,B\n", to: keys)
        let run = try await CLI.run(
            [
                "export", "--month", "2026-10", "--keys", keys.path, "--out",
                directory.appendingPathComponent("out").path, "--base-url", "http://127.0.0.1:9", "--no-store",
            ], environment: CLI.demoEnvironment)
        #expect(run.code == 65, "\(run.stderr)")
        #expect(run.stderr.contains("keys.csv line 3: user_id \"abc\""), "\(run.stderr)")
    }

    @Test func aManifestThatIsNotUTF8IsNamedByItsLine() throws {
        var bytes = Data("app_key,user_id,label\n\(Self.keys[0]),100,A\n\(Self.keys[1]),101,".utf8)
        bytes.append(contentsOf: [0xC3, 0x28, 0x0A])
        let error = #expect(throws: ManifestError.self) { try Manifest.parse(bytes, name: "keys.csv") }
        #expect(error?.description == "keys.csv line 3: is not UTF-8 text", "\(String(describing: error))")
        #expect(error?.category == .dataError)
    }

    @Test func aLabelLongerThanACellIsAWarningNamingTheKeyAndCSVKeepsItWhole() async throws {
        let directory = try CLI.temporaryDirectory()
        guard let day = Day(year: 2026, month: 3, day: 1), let range = DayRange(from: day, to: day.adding(days: 1))
        else { return }
        let label = String(repeating: "ü", count: 40_000)
        let key = KeyEntry(appKey: Self.keys[2], userId: "7", label: label)
        let dataset = UsageDataset(
            generatedAt: Date(), environment: "ext_uat_cert", range: range,
            keys: [KeyUsage(key: key, days: range.map { DayUsage(date: $0, used: 5, remaining: 5, status: .ok) })])
        let input = directory.appendingPathComponent("report.json")
        try ReportJSON.encode(dataset).write(to: input)
        let out = directory.appendingPathComponent("out")
        let run = try await CLI.run(["render", "--input", input.path, "--out", out.path, "--format", "csv,xlsx"])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(
            run.stderr.contains("warning: the label of key \(Self.keys[2]) is 40000 characters long"), "\(run.stderr)")
        let daily = try ReportReaders.csvRecords(Data(contentsOf: out.appendingPathComponent("daily.csv")))
        #expect(daily[1][3] == label)
    }

    @Test func aFoundationFileErrorIsSaidInPlainWordsWithItsPath() throws {
        let directory = try CLI.temporaryDirectory()
        let file = directory.appendingPathComponent("afile")
        try CLI.write("x", to: file)
        let target = file.appendingPathComponent("sub").path
        do {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            Issue.record("made a folder under a file")
        } catch {
            let (category, line) = CommandFailure.describe(error)
            #expect(category == .cantCreate)
            #expect(line.contains(file.path) && line.contains("is a file, not a folder"), "\(line)")
            #expect(!line.contains("NSCocoaErrorDomain"), "\(line)")
        }
        let missing = CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: directory.path + "/nothing"])
        let (category, line) = CommandFailure.describe(missing)
        #expect(category == .noInput && line == directory.path + "/nothing: no such file or folder", "\(line)")
    }
}
