// ttusage-bench: times ttusage's report renderers on a synthetic dataset (not a test: a measurement).
//
//     ttusage-bench xlsx [--keys 1000] [--days 365] [--template none|NAME|PATH] [--out DIR] [--from-json]
//     ttusage-bench xlsx --input report.json [--template …] [--out DIR]
//     ttusage-bench csv|json …
//     ttusage-bench statements …   (StatementsBench.swift)
//
// The data is the one `xlsx-baseline` (the plain C program) writes, so that `ttusage-bench xlsx --template none`
// and `xlsx-baseline` write the same cells. `--from-json` times reading and decoding a report.json file as well,
// as `ttusage render --input report.json` does; `--input` renders an existing report.json (say one that
// `ttusage-bench json` wrote), so that the peak memory is that of reading and rendering alone. Prints the elapsed time of the render and the peak resident set size.
import Foundation
import UsageCore
import UsageReports

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct BenchError: Error, CustomStringConvertible {
    var description: String
}

/// The synthetic usage of key `key` on day `day` (the formulas of xlsx-baseline's main.c).
func syntheticDay(key: Int, day: Int, date: Day) -> DayUsage {
    if (key * 31 + day * 17) % 97 == 0 { return .missing(date) }
    let quota = key % 3 == 0 ? 50_000 : 5_000
    var used = (key * 7_919 + day * 104_729) % 5_000
    if key % 3 == 0 { used *= 10 }
    if (key * 13 + day) % 211 == 0 { used = quota }
    return DayUsage(date: date, used: used, remaining: max(quota - used, 0), status: .ok)
}

func syntheticDataset(keys: Int, days: Int) throws -> UsageDataset {
    guard let first = Day(year: 2025, month: 1, day: 1),
        let range = DayRange(from: first, to: first.adding(days: days - 1))
    else { throw BenchError(description: "bad --days") }
    let usages = (0..<keys).map { key in
        let appKey = String(format: "%08X-0000-4000-8000-%012X", key, key)
        let entry = KeyEntry(appKey: appKey, userId: "user\(key % 200)", label: "Customer \(key % 50)")
        let series = (0..<days).map { syntheticDay(key: key, day: $0, date: first.adding(days: $0)) }
        return KeyUsage(key: entry, days: series)
    }
    return UsageDataset(
        generatedAt: Date(timeIntervalSince1970: 1_767_225_600), environment: "ext_prod_live", range: range,
        keys: usages, options: [("keys", "synthetic"), ("concurrency", "4")])
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    #if canImport(Darwin)
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1_048_576
    #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1_024
    #endif
}

func run() throws {
    var arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "statements" { return try statementsBench(Array(arguments.dropFirst())) }
    guard let command = arguments.first, let format = ReportFormat(rawValue: command) else {
        throw BenchError(
            description: "usage: ttusage-bench xlsx|csv|json [--keys N] [--days N] [--template none|NAME] "
                + "[--out DIR] [--from-json | --input report.json]")
    }
    arguments.removeFirst()
    var keys = 1_000
    var days = 365
    var templateName = "none"
    var out = FileManager.default.temporaryDirectory.appendingPathComponent("ttusage-bench-\(getpid())")
    var fromJSON = false
    var input: URL?
    while let option = arguments.first {
        arguments.removeFirst()
        if option == "--from-json" {
            fromJSON = true
            continue
        }
        guard let value = arguments.first else { throw BenchError(description: "\(option) needs a value") }
        arguments.removeFirst()
        switch option {
        case "--keys": keys = Int(value) ?? 0
        case "--days": days = Int(value) ?? 0
        case "--template": templateName = value
        case "--out": out = URL(fileURLWithPath: value)
        case "--input": input = URL(fileURLWithPath: value)
        default: throw BenchError(description: "unknown option \(option)")
        }
    }
    guard keys > 0, days > 0 else { throw BenchError(description: "--keys and --days must be positive") }
    let template =
        templateName == "none"
        ? try ReportTemplate.parse(yaml: "name: none\ntables: []\n", source: "none")
        : try ReportTemplate.resolve(templateName)

    let options = RenderOptions(formats: [format], template: template)
    let clock = ContinuousClock()
    var decodeTime: Duration?
    let files: [URL]
    let elapsed: Duration
    if fromJSON || input != nil {
        // As `ttusage render --input`: the report.json is read from a file and decoded, then rendered.
        let file =
            input ?? FileManager.default.temporaryDirectory.appendingPathComponent("ttusage-bench-\(getpid()).json")
        if input == nil {
            try ReportJSON.encode(try syntheticDataset(keys: keys, days: days), options: options).write(to: file)
        }
        defer { if input == nil { try? FileManager.default.removeItem(at: file) } }
        let start = clock.now
        let dataset = try ReportJSON.read(from: file)
        decodeTime = clock.now - start
        files = try ReportRenderer(options: options).render(dataset, to: out)
        elapsed = clock.now - start
    } else {
        let dataset = try syntheticDataset(keys: keys, days: days)
        let start = clock.now
        files = try ReportRenderer(options: options).render(dataset, to: out)
        elapsed = clock.now - start
    }

    let size = files.reduce(0) { total, url in
        total + ((try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0)
    }
    func seconds(_ duration: Duration) -> String {
        let parts = duration.components
        return String(format: "%.3f", Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
    }
    let decodeNote = decodeTime.map { " (read and decode \(seconds($0)) s)" } ?? ""
    print(
        "ttusage-bench \(format.rawValue): \(keys) keys x \(days) days, template \(template.name): "
            + "\(seconds(elapsed)) s\(decodeNote), peak RSS \(String(format: "%.1f", peakRSSMegabytes())) MB, "
            + "\(size / 1_000) kB in \(files.map(\.lastPathComponent).joined(separator: " "))")
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("ttusage-bench: \(error)\n".utf8))
    exit(1)
}
