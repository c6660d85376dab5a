// ttusage-fetch-bench: measures the real `ttusage export` binary against an in-process sandbox (a measurement,
// not a test).
//
//     ttusage-fetch-bench pacing [--keys 60] [--latency-ms 250] [--rate 10] [--burst 2] [--concurrency 4]
//     ttusage-fetch-bench memory [--keys 1000 --days 365] [--concurrency 16]
//     ttusage-fetch-bench load   [--keys 5000] [--concurrency 64]
//     ttusage-fetch-bench shared [--keys 40] [--rate 10] [--burst 2] [--latency-ms 50] [--concurrency 8]
//
// `pacing` runs the export twice, paced at the limit and sequentially (--concurrency 1), and prints the wall
// times, their ratio to the limit's ideal and the 429s the sandbox answered. `memory` exports with every format
// (both sizes of the goals unless --keys is given) and `load` with CSV only; both print the wall time, the export
// process's peak resident set size and report.html's size. `shared` runs one, two and three exports at once on one
// limit, each told the whole rate, and prints the share of the limit they used together (the ideal time of all
// their calls over the time from the first request to the last) and the share of throttled answers. The `ttusage`
// binary must be built beside this one.
import Foundation
import Synchronization
import TTIDSandbox
import UsageCore

#if canImport(Glibc)
    import Glibc
#endif

struct BenchError: Error, CustomStringConvertible {
    var description: String
}

func option(_ name: String, _ fallback: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
        let value = Int(arguments[index + 1])
    else { return fallback }
    return value
}

func ttusageBinary() throws -> URL {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    let binary = here.appendingPathComponent("ttusage")
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        throw BenchError(
            description: "build ttusage beside this binary first (swift build -c release --product ttusage)")
    }
    return binary
}

/// Runs `ttusage` with `arguments`; returns the wall time in seconds, the exit code and the peak RSS in MB.
///
/// Spawned with posix_spawn rather than Foundation's Process, which reaps its children itself: wait4 here gives
/// the child's own peak RSS (ru_maxrss, in kB on Linux).
func runExport(_ arguments: [String]) throws -> (seconds: Double, code: Int32, peakMB: Double, peakFDs: Int) {
    let started = ContinuousClock.now
    let pid = try spawnExport(arguments)
    // Samples the child's open file descriptors while it runs (sockets included).
    let sampler = FDSampler(pid: pid)
    sampler.start()
    defer { sampler.stop() }
    let (code, peakMB) = try waitForExport(pid)
    let elapsed = ContinuousClock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    sampler.stop()
    return (seconds, code, peakMB, sampler.peak)
}

/// Starts `ttusage` with `arguments` and the demo credential (and `extra` in its environment); its output goes to
/// /dev/null.
func spawnExport(_ arguments: [String], extra: [String: String] = [:]) throws -> pid_t {
    let binary = try ttusageBinary().path
    var environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
    environment["TT_APP_KEY"] = SandboxConfiguration.demoCredential.appKey
    environment["TT_APP_SECRET"] = SandboxConfiguration.demoCredential.secret
    let argv = ([binary] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, binary, &actions, nil, argv, envp)
    guard spawned == 0 else { throw BenchError(description: "posix_spawn failed: \(spawned)") }
    return pid
}

/// Waits for the child `pid`: its exit code (128 + a signal) and its peak RSS in MB.
func waitForExport(_ pid: pid_t) throws -> (code: Int32, peakMB: Double) {
    var status: Int32 = 0
    var usage = rusage()
    guard wait4(pid, &status, 0, &usage) == pid else {
        throw BenchError(description: "wait4 failed: errno \(errno)")
    }
    let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (code, Double(usage.ru_maxrss) / 1024)
}

/// Polls `/proc/<pid>/fd` every 20 ms on a thread of its own and keeps the largest count.
final class FDSampler: Sendable {
    private let pid: pid_t
    private let state = Mutex((running: true, maximum: 0))

    init(pid: pid_t) { self.pid = pid }

    var peak: Int { state.withLock { $0.maximum } }

    func start() {
        Thread { [self] in
            while state.withLock({ $0.running }) {
                let count = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
                state.withLock { $0.maximum = max($0.maximum, count) }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }.start()
    }

    func stop() { state.withLock { $0.running = false } }
}

func keysFile(_ count: Int, in directory: URL, offset: Int = 0) throws -> URL {
    var text = "app_key,user_id,label\n"
    for index in offset..<(offset + count) {
        text += String(
            format: "%08x-5555-4666-8777-%012x,%d,Customer %d\n", index * 7919, index, 1000 + index, index % 40)
    }
    let url = directory.appendingPathComponent("keys.csv")
    try Data(text.utf8).write(to: url)
    return url
}

func machine() -> String {
    let cpu =
        (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }?
        .split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
    return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu)"
}

/// Exports `keys` keys × `days` days with every format (`memory`) or CSV only (`load`) from an unlimited sandbox and
/// prints the time, the export's peak RSS and open descriptors, and report.html's size, with their goals.
func measureExport(mode: String, keys: Int, days: Int, goalMB: Double, in directory: URL, today: Day) async throws {
    var configuration = SandboxConfiguration()
    configuration.rate = nil
    configuration.dailyQuota = nil
    let manifest = try keysFile(keys, in: directory)
    let out = directory.appendingPathComponent("out-\(keys)x\(days)")
    let from = today.adding(days: -days - 1)
    let formats = mode == "memory" ? ["--format", "csv,json,xlsx,html"] : []
    try await TTIDSandboxServer.withRunning(configuration) { server in
        let run = try runExport(
            [
                "export", "--keys", manifest.path, "--out", out.path, "--base-url", server.baseURL, "--rate", "0",
                "--concurrency", String(option("--concurrency", mode == "memory" ? 16 : 64)), "--no-store", "--quiet",
                "--from", from.description, "--to", today.adding(days: -2).description,
            ] + formats)
        let counters = await server.counters()
        var line = String(
            format: "%@: %d keys × %d days, %d keyusage calls, %.2f s, exit %d, peak RSS of ttusage export %.1f MB",
            mode, keys, days, counters.keyUsageRequests, run.seconds, run.code, run.peakMB)
        if goalMB > 0 { line += String(format: " (goal ≤ %.0f MB)", goalMB) }
        line += ", peak open fds \(run.peakFDs)"
        let page = out.appendingPathComponent("report.html").path
        if let size = (try? FileManager.default.attributesOfItem(atPath: page))?[.size] as? Int {
            line += String(format: ", report.html %.2f MB (goal ≤ 5 MB)", Double(size) / 1_000_000)
        }
        print(line)
    }
    try? FileManager.default.removeItem(at: out)
}

func main() async throws {
    let mode = CommandLine.arguments.dropFirst().first ?? "pacing"
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ttusage-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let today = Day(containing: Date())
    print("machine: \(machine())")
    switch mode {
    case "pacing":
        let keys = option("--keys", 60)
        let rate = option("--rate", 10)
        var configuration = SandboxConfiguration()
        configuration.rate = Double(rate)
        configuration.burst = option("--burst", 2)
        configuration.dailyQuota = nil
        configuration.latency = .milliseconds(option("--latency-ms", 250))
        let manifest = try keysFile(keys, in: directory)
        let range = ["--from", today.adding(days: -30).description, "--to", today.adding(days: -1).description]
        try await TTIDSandboxServer.withRunning(configuration) { server in
            var lines: [String] = []
            for (name, concurrency) in [("paced", option("--concurrency", 4)), ("sequential", 1)] {
                await server.resetCounters()
                // Let the sandbox's bucket refill between the runs.
                try await Task.sleep(for: .seconds(1))
                let run = try runExport(
                    [
                        "export", "--keys", manifest.path, "--out", directory.appendingPathComponent(name).path,
                        "--base-url", server.baseURL, "--rate", String(rate), "--concurrency", String(concurrency),
                        "--no-store", "--format", "csv", "--quiet",
                    ] + range)
                let counters = await server.counters()
                // The ideal is calls ÷ rate, the token call included (every call counts against the limit).
                let calls = keys + 1
                let ideal = Double(calls) / Double(rate)
                lines.append(
                    String(
                        format:
                            "%@: %d keys, %.2f s (ideal %.1f s, %d calls at %d/s: %+.1f%%), exit %d, 429 answered: %d, requests: %d",
                        name, keys, run.seconds, ideal, calls, rate, (run.seconds / ideal - 1) * 100, run.code,
                        counters.throttled, counters.tokenRequests + counters.keyUsageRequests))
            }
            lines.forEach { print($0) }
        }
    case "memory", "load":
        // `memory` without --keys measures both sizes of the goals: 1,000 keys × 365 days and 10,000 keys × 31 days.
        let sizes: [(keys: Int, days: Int, goalMB: Double)] =
            mode == "load"
            ? [(option("--keys", 5000), option("--days", 90), 0)]
            : CommandLine.arguments.contains("--keys")
                ? [(option("--keys", 1000), option("--days", 365), 0)] : [(1000, 365, 100), (10_000, 31, 150)]
        for size in sizes {
            try await measureExport(
                mode: mode, keys: size.keys, days: size.days, goalMB: size.goalMB, in: directory, today: today)
        }
    case "shared":
        try await shared(in: directory, today: today)
    default:
        throw BenchError(description: "modes: pacing, memory, load, shared")
    }
}

/// One, two and three exports at once on one limit, each told the whole rate: the share of the limit they use
/// together and the share of throttled answers.
func shared(in directory: URL, today: Day) async throws {
    let keys = option("--keys", 40)
    let rate = option("--rate", 10)
    var configuration = SandboxConfiguration()
    configuration.rate = Double(rate)
    configuration.burst = option("--burst", 2)
    configuration.dailyQuota = nil
    configuration.latency = .milliseconds(option("--latency-ms", 50))
    let range = ["--from", today.adding(days: -30).description, "--to", today.adding(days: -1).description]
    for runs in 1...3 {
        try await TTIDSandboxServer.withRunning(configuration) { server in
            // Their own folder of shared slots, so that nothing else on the machine takes part.
            let slots = directory.appendingPathComponent("slots-\(runs)")
            var pids: [pid_t] = []
            for run in 0..<runs {
                let manifest = directory.appendingPathComponent("run\(run)")
                try FileManager.default.createDirectory(at: manifest, withIntermediateDirectories: true)
                let keysURL = try keysFile(keys, in: manifest, offset: 100_000 * run)
                pids.append(
                    try spawnExport(
                        [
                            "export", "--keys", keysURL.path, "--out", manifest.appendingPathComponent("out").path,
                            "--base-url", server.baseURL, "--rate", String(rate), "--concurrency",
                            String(option("--concurrency", 8)), "--no-store", "--format", "csv", "--quiet",
                        ] + range, extra: ["XDG_RUNTIME_DIR": slots.path]))
            }
            let codes = try pids.map { try waitForExport($0).code }
            let counters = await server.counters()
            let answers = counters.tokenRequests + counters.keyUsageRequests
            let span = (counters.lastRequestAt ?? .zero) - (counters.firstRequestAt ?? .zero)
            let seconds = Double(span.components.seconds) + Double(span.components.attoseconds) / 1e18
            let ideal = Double(answers - 1) / Double(rate)
            print(
                String(
                    format:
                        "shared: %d run%@ × %d keys on one %d/s limit: %d answers in %.2f s (ideal %.2f s): %.2f of the limit (goal ≥ 0.92), throttled %d = %.1f%% (goal < 5%%), exits %@",
                    runs, runs == 1 ? "" : "s", keys, rate, answers, seconds, ideal, ideal / max(seconds, 0.001),
                    counters.throttled, 100 * Double(counters.throttled) / Double(max(answers, 1)),
                    codes.map(String.init).joined(separator: ",")))
        }
    }
}

do {
    try await main()
} catch {
    FileHandle.standardError.write(Data("ttusage-fetch-bench: \(error)\n".utf8))
    exit(1)
}
