import Foundation
import TTIDSandbox
import Testing
import UsageCore
import UsageReports

/// What the report-folder tests share: a report.json large enough that writing it takes a while, snapshots of a
/// folder's files, and the check that a folder holds one whole report and nothing a run left behind.
enum ReportFolder {
    /// A report.json of `keys` keys over `days` days (deterministic counts), written to `url`.
    static func writeReport(keys: Int, days: Int, to url: URL, seed: Int = 1) throws {
        guard let first = Day(year: 2025, month: 1, day: 1),
            let range = DayRange(from: first, to: first.adding(days: days - 1))
        else { throw CLI.CLIError(message: "no range") }
        let usages = (0..<keys).map { index in
            let key = KeyEntry(
                appKey: String(format: "%08x-0000-4000-8000-%012x", index, seed), userId: "\(100 + index)",
                label: "Customer \(index % 17)")
            let limit = 10_000
            return KeyUsage(
                key: key,
                days: range.map { day in
                    let used = (day.ordinal * 7_919 + index * 104_729 + seed * 31) % limit
                    return DayUsage(date: day, used: used, remaining: limit - used, status: .ok)
                })
        }
        let dataset = UsageDataset(
            generatedAt: Date(timeIntervalSince1970: 1_780_000_000), environment: "ext_uat_cert", range: range,
            keys: usages)
        try ReportJSON.encode(dataset).write(to: url)
    }

    /// The visible files of `folder` and their bytes.
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in CLI.files(in: folder) where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else {
                continue
            }
            files[name] = try Data(contentsOf: url)
        }
        return files
    }

    /// The hidden entries of `folder` (only `.ttusage-report` belongs there).
    static func hidden(_ folder: URL) -> [String] {
        CLI.files(in: folder).filter { $0.hasPrefix(".") }
    }

    /// What runs left beside `folder` (staging folders), which the next run removes.
    static func leftovers(beside folder: URL) -> [String] {
        CLI.files(in: folder.deletingLastPathComponent()).filter {
            $0.hasPrefix("." + folder.lastPathComponent + ".ttusage-")
        }
    }

    /// Whether `folder` holds exactly `old` or exactly `new` (visible files and their bytes).
    static func isOneOf(_ folder: URL, _ old: [String: Data], _ new: [String: Data]) throws -> String? {
        let now = try snapshot(folder)
        if now == old { return "old" }
        if now == new { return "new" }
        return nil
    }

    /// Starts `ttusage ARGS`, waits until it has made its staging folder beside `folder` (it is writing) and holds
    /// it there with SIGSTOP, so that a loaded machine cannot let it finish before the test acts; `send` lets it go.
    static func startWriting(
        _ arguments: [String], into folder: URL, environment: [String: String] = [:]
    ) async throws -> Process {
        let before = Set(leftovers(beside: folder))
        return try await waitUntilWriting(
            try CLI.start(arguments, environment: environment), into: folder, before: before)
    }

    /// Waits until `process` has made a staging folder beside `folder` that was not there before, and stops it.
    /// The folder is watched from NIO's threads: a parallel run that keeps the cooperative pool busy cannot make
    /// the watch late.
    static func waitUntilWriting(_ process: Process, into folder: URL, before: Set<String>? = nil) async throws
        -> Process
    {
        let before = before ?? Set(leftovers(beside: folder))
        func staging() -> Set<String> { Set(leftovers(beside: folder).filter { $0.contains(".ttusage-stage-") }) }
        try await withTaskExecutorPreference(SandboxExecutor.shared) {
            let deadline = ContinuousClock.now + .seconds(60)
            while staging().subtracting(before).isEmpty && process.isRunning && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(1))
            }
            kill(process.processIdentifier, SIGSTOP)
        }
        return process
    }

    /// Lets a process that `startWriting` holds go on, and sends it `signals` at once, one after another.
    static func send(_ signals: [Int32], to process: Process) async {
        await withTaskExecutorPreference(SandboxExecutor.shared) {
            kill(process.processIdentifier, SIGCONT)
            for signal in signals { kill(process.processIdentifier, signal) }
        }
    }

    /// Waits for `process` to end (at most 60 s) and gives its exit code, or 128 + the signal that ended it.
    static func wait(_ process: Process) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
    }
}
