import Foundation
import Testing

/// A report folder holds one whole report, whatever happens to the run writing it: real `ttusage render`
/// processes killed with SIGKILL at several moments, interrupted twice, run twice at once, failing half way, and
/// switching template and format.
@Suite("whole reports", .serialized)
struct WholeReportTests {
    /// A folder with a small "old" report, the large report.json of a "new" one, and the new report as a
    /// render into a folder of its own gives it.
    struct Setup {
        var directory: URL
        var out: URL
        var small: URL
        var big: URL
        var old: [String: Data]
        var new: [String: Data]
    }

    static let formats = "csv,json,html"

    /// The inputs and the new report, made once for the suite: the large report takes seconds to write.
    struct Common: Sendable {
        var small: URL
        var big: URL
        var new: [String: Data]
    }

    static let common = Task { () throws -> Common in
        let directory = try CLI.temporaryDirectory()
        let small = directory.appendingPathComponent("small.json")
        let big = directory.appendingPathComponent("big.json")
        try ReportFolder.writeReport(keys: 3, days: 20, to: small, seed: 2)
        try ReportFolder.writeReport(keys: 40, days: 365, to: big)
        let reference = directory.appendingPathComponent("reference")
        let run = try await CLI.run(["render", "--input", big.path, "--out", reference.path, "--format", formats])
        guard run.code == 0 else { throw CLI.CLIError(message: run.stderr) }
        return Common(small: small, big: big, new: try ReportFolder.snapshot(reference))
    }

    /// A folder of its own holding the small report.
    static func setUp() async throws -> Setup {
        let common = try await common.value
        let directory = try CLI.temporaryDirectory()
        let out = directory.appendingPathComponent("out")
        let first = try await CLI.run(["render", "--input", common.small.path, "--out", out.path, "--format", formats])
        #expect(first.code == 0, "\(first.stderr)")
        return Setup(
            directory: directory, out: out, small: common.small, big: common.big,
            old: try ReportFolder.snapshot(out), new: common.new)
    }

    static func renderBig(_ setup: Setup) -> [String] {
        ["render", "--input", setup.big.path, "--out", setup.out.path, "--format", formats]
    }

    @Test func killNineAtAnyMomentLeavesOneWholeReportAndTheNextRunCleansUp() async throws {
        let setup = try await Self.setUp()
        #expect(setup.old != setup.new && setup.new.count == 5, "\(setup.new.keys.sorted())")
        var seen: [String] = []
        for delay in [0, 40, 150, 400] {
            let process = try await ReportFolder.startWriting(Self.renderBig(setup), into: setup.out)
            // At 0 ms it is killed while held in its staging folder; later, once let go for that long.
            if delay > 0 {
                await ReportFolder.send([], to: process)
                try await Task.sleep(for: .milliseconds(delay))
            }
            kill(process.processIdentifier, SIGKILL)
            _ = try await ReportFolder.wait(process)
            let state = try ReportFolder.isOneOf(setup.out, setup.old, setup.new)
            #expect(state != nil, "after kill -9 at \(delay) ms: \(CLI.files(in: setup.out))")
            #expect(ReportFolder.hidden(setup.out) == [".ttusage-report"], "\(ReportFolder.hidden(setup.out))")
            seen.append(state ?? "mixed")
            if state == "new" {
                // Back to the old report for the next moment.
                let small = try await CLI.run([
                    "render", "--input", setup.small.path, "--out",
                    setup.out.path, "--format", Self.formats,
                ])
                #expect(small.code == 0, "\(small.stderr)")
            }
        }
        #expect(seen.contains("old"), "\(seen)")
        // The next run removes what the killed ones left beside the folder and writes the new report whole.
        let again = try await CLI.run(Self.renderBig(setup))
        #expect(again.code == 0, "\(again.stderr)")
        #expect(try ReportFolder.snapshot(setup.out) == setup.new)
        #expect(ReportFolder.leftovers(beside: setup.out).isEmpty, "\(ReportFolder.leftovers(beside: setup.out))")
        #expect(ReportFolder.hidden(setup.out) == [".ttusage-report"])
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func aSignalWhileWritingLeavesThePreviousReport(signal: Int32, code: Int32) async throws {
        let setup = try await Self.setUp()
        let process = try await ReportFolder.startWriting(Self.renderBig(setup), into: setup.out)
        #expect(process.isRunning)
        await ReportFolder.send([signal], to: process)
        #expect(try await ReportFolder.wait(process) == code)
        #expect(try ReportFolder.snapshot(setup.out) == setup.old)
        #expect(ReportFolder.leftovers(beside: setup.out).isEmpty, "\(ReportFolder.leftovers(beside: setup.out))")
        #expect(ReportFolder.hidden(setup.out) == [".ttusage-report"])
    }

    @Test func aDoubleSigintWhileWritingLeavesThePreviousReportAndNoStagingFolder() async throws {
        let setup = try await Self.setUp()
        let process = try await ReportFolder.startWriting(Self.renderBig(setup), into: setup.out)
        await ReportFolder.send([SIGINT, SIGINT], to: process)
        #expect(try await ReportFolder.wait(process) == 130)
        #expect(try ReportFolder.snapshot(setup.out) == setup.old)
        #expect(ReportFolder.leftovers(beside: setup.out).isEmpty, "\(ReportFolder.leftovers(beside: setup.out))")
        #expect(ReportFolder.hidden(setup.out) == [".ttusage-report"])
    }

    @Test func aSecondRunIntoTheSameFolderIsRefusedAsBusy() async throws {
        let setup = try await Self.setUp()
        let first = try await ReportFolder.startWriting(Self.renderBig(setup), into: setup.out)
        let second = try await CLI.run([
            "render", "--input", setup.small.path, "--out", setup.out.path,
        ])
        #expect(second.code == 75, "\(second.stderr)")
        #expect(second.stderr.contains("output busy"), "\(second.stderr)")
        await ReportFolder.send([], to: first)
        #expect(try await ReportFolder.wait(first) == 0)
        #expect(try ReportFolder.snapshot(setup.out) == setup.new)
        // Once the first has finished, the folder is free again.
        let third = try await CLI.run(["render", "--input", setup.small.path, "--out", setup.out.path])
        #expect(third.code == 0, "\(third.stderr)")
    }

    @Test func aRunThatFailsLeavesThePreviousReportByteForByte() async throws {
        let setup = try await Self.setUp()
        let before = try ReportFolder.snapshot(setup.out)
        let record = try Data(contentsOf: setup.out.appendingPathComponent(".ttusage-report"))
        // report.html, a target of the new report, is now a folder ttusage did not write.
        let blocker = setup.out.appendingPathComponent("report.html")
        try FileManager.default.removeItem(at: setup.out.appendingPathComponent("report.html"))
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
        try CLI.write("mine", to: blocker.appendingPathComponent("keep.txt"))
        let failed = try await CLI.run(Self.renderBig(setup))
        #expect(failed.code == 73, "\(failed.stderr)")
        #expect(failed.stderr.contains("report.html"), "\(failed.stderr)")
        #expect(try ReportFolder.snapshot(setup.out) == before.filter { $0.key != "report.html" })
        #expect(try Data(contentsOf: setup.out.appendingPathComponent(".ttusage-report")) == record)
        #expect(try String(contentsOf: blocker.appendingPathComponent("keep.txt"), encoding: .utf8) == "mine")
        #expect(ReportFolder.leftovers(beside: setup.out).isEmpty)
    }

    @Test func aTemplateSwitchAndAFormatChangeLeaveNoStaleFileAndKeepFilesTtusageDidNotWrite() async throws {
        let directory = try CLI.temporaryDirectory()
        let input = directory.appendingPathComponent("in.json")
        try ReportFolder.writeReport(keys: 4, days: 40, to: input)
        let rates = directory.appendingPathComponent("rates.yaml")
        try CLI.write(
            "currency: USD\ndefault-plan: basic\nplans:\n  basic:\n    monthly-fee: \"10\"\n    tiers:\n      - per-1000: \"1\"\n",
            to: rates)
        let out = directory.appendingPathComponent("out")
        try FileManager.default.createDirectory(
            at: out.appendingPathComponent("mine"), withIntermediateDirectories: true)
        try CLI.write("my notes", to: out.appendingPathComponent("notes.txt"))
        let audit = try await CLI.run([
            "render", "--input", input.path, "--out", out.path, "--template", "quota-audit", "--alert", "at-quota",
            "--rates", rates.path,
        ])
        #expect([0, 3].contains(audit.code), "\(audit.stderr)")
        let auditFiles = Set(CLI.files(in: out))
        #expect(auditFiles.isSuperset(of: ["key-audit.csv", "invoices.csv", "invoice-lines.csv", "report.xlsx"]))

        let plain = try await CLI.run(["render", "--input", input.path, "--out", out.path, "--format", "csv"])
        #expect(plain.code == 0, "\(plain.stderr)")
        let defaultTables = try await CLI.run([
            "render", "--input", input.path, "--out", directory.appendingPathComponent("csv-only").path, "--format",
            "csv",
        ])
        #expect(defaultTables.code == 0)
        let expected = CLI.files(in: directory.appendingPathComponent("csv-only")).filter { !$0.hasPrefix(".") }
        #expect(
            CLI.files(in: out) == ([".ttusage-report", "mine", "notes.txt"] + expected).sorted(),
            "\(CLI.files(in: out))")

        let json = try await CLI.run(["render", "--input", input.path, "--out", out.path, "--format", "json"])
        #expect(json.code == 0, "\(json.stderr)")
        #expect(CLI.files(in: out) == [".ttusage-report", "mine", "notes.txt", "report.json"])
        #expect(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8) == "my notes")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("mine").path))
        #expect(ReportFolder.leftovers(beside: out).isEmpty)
    }

    @Test func aFolderOfAnEarlierVersionLosesItsOwnFilesAndTemporaryFilesOnly() async throws {
        let directory = try CLI.temporaryDirectory()
        let input = directory.appendingPathComponent("in.json")
        try ReportFolder.writeReport(keys: 2, days: 10, to: input)
        let out = directory.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        for name in ["key-audit.csv", "alerts.csv", ".daily.csv.1A2B3C4D.tmp", "report.html", "mine.csv"] {
            try CLI.write("earlier", to: out.appendingPathComponent(name))
        }
        let result = try await CLI.run(["render", "--input", input.path, "--out", out.path, "--format", "json"])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(CLI.files(in: out) == [".ttusage-report", "mine.csv", "report.json"], "\(CLI.files(in: out))")
    }

    @Test func anOutThroughAFileIsNamedInPlainWords() async throws {
        let directory = try CLI.temporaryDirectory()
        let input = directory.appendingPathComponent("in.json")
        try ReportFolder.writeReport(keys: 1, days: 3, to: input)
        let file = directory.appendingPathComponent("afile")
        try CLI.write("x", to: file)
        let result = try await CLI.run([
            "render", "--input", input.path, "--out", file.appendingPathComponent("sub").path,
        ])
        #expect(result.code == 73, "\(result.stderr)")
        #expect(result.stderr.contains("\(file.path) is a file, not a folder"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"), "\(result.stderr)")
    }
}
