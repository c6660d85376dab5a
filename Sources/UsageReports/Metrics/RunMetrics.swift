import Foundation
import UsageCore

/// A run's figures in the Prometheus text exposition format, for node_exporter's textfile collector.
///
/// Written here rather than through swift-prometheus: the file is written once at the end of a run, not scraped
/// from a live registry, and its ratios are the report's exact decimals (a registry holds `Double`s).
public struct RunMetrics: Sendable {
    /// One key's figures over the range.
    public struct Key: Sendable, Hashable {
        public var appKey: String
        public var label: String
        public var calls: Int
        /// The highest `used / (used + remaining)` of a reported day, to 4 places; `nil` with no such day.
        public var peakUtilisation: Decimal?
        public var daysAtQuota: Int

        public init(appKey: String, label: String, calls: Int, peakUtilisation: Decimal?, daysAtQuota: Int) {
            self.appKey = appKey
            self.label = label
            self.calls = calls
            self.peakUtilisation = peakUtilisation
            self.daysAtQuota = daysAtQuota
        }

        /// A key's figures from its days.
        public init(_ usage: KeyUsage) {
            var calls = 0
            var atQuota = 0
            var peak: (used: Int, limit: Int)?
            for day in usage.days where day.status != .missing {
                guard let used = day.used else { continue }
                calls = calls.addingReportingOverflow(used).overflow ? Int.max : calls + used
                guard let remaining = day.remaining else { continue }
                if remaining == 0 { atQuota += 1 }
                let limit = used + remaining
                guard limit > 0 else { continue }
                // a/b > c/d without division: a·d > c·b (counts stay far below 2^31 each).
                if let best = peak, used * best.limit <= best.used * limit { continue }
                peak = (used, limit)
            }
            self.init(
                appKey: usage.key.appKey, label: usage.key.label, calls: calls,
                peakUtilisation: peak.map { Self.ratio($0.used, $0.limit) }, daysAtQuota: atQuota)
        }

        static func ratio(_ numerator: Int, _ denominator: Int) -> Decimal {
            var exact = Decimal(numerator) / Decimal(denominator)
            var rounded = Decimal()
            NSDecimalRound(&rounded, &exact, 4, .plain)
            return rounded
        }
    }

    public var timestamp: Date
    public var exitCode: Int32
    public var duration: Double
    /// When a run last wrote its report: this run's time when it did, else the previous file's figure.
    public var lastSuccess: Date?
    public var callsOK: Int
    public var callsThrottled: Int
    public var callsFault: Int
    public var keysComplete: Int
    public var keysIncomplete: Int
    public var keysRefused: Int
    public var keys: [Key]

    public init(
        timestamp: Date, exitCode: Int32, duration: Double, lastSuccess: Date?, callsOK: Int, callsThrottled: Int,
        callsFault: Int, keysComplete: Int = 0, keysIncomplete: Int = 0, keysRefused: Int = 0, keys: [Key] = []
    ) {
        self.timestamp = timestamp
        self.exitCode = exitCode
        self.duration = duration
        self.lastSuccess = lastSuccess
        self.callsOK = callsOK
        self.callsThrottled = callsThrottled
        self.callsFault = callsFault
        self.keysComplete = keysComplete
        self.keysIncomplete = keysIncomplete
        self.keysRefused = keysRefused
        self.keys = keys
    }

    /// The key counts and per-key figures of a dataset.
    public mutating func add(_ dataset: UsageDataset) {
        for usage in dataset.keys {
            if usage.failureReason != nil {
                keysRefused += 1
                continue
            }
            if usage.days.allSatisfy({ $0.status == .ok }) { keysComplete += 1 } else { keysIncomplete += 1 }
            keys.append(Key(usage))
        }
    }

    /// The exposition text.
    public var text: String {
        var lines: [String] = []
        func family(_ name: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) gauge")
            for sample in samples { lines.append("\(name)\(sample.labels) \(sample.value)") }
        }
        func seconds(_ date: Date) -> String { Self.number(date.timeIntervalSince1970) }
        family(
            "ttusage_last_run_timestamp_seconds", "When the last ttusage run ended (Unix time).",
            [("", seconds(timestamp))])
        family("ttusage_last_run_exit_code", "The exit code of the last run.", [("", String(exitCode))])
        family("ttusage_last_run_duration_seconds", "How long the last run took.", [("", Self.number(duration))])
        if let lastSuccess {
            family(
                "ttusage_last_success_timestamp_seconds",
                "When a run last wrote its report (exit 0, 2 or 3; Unix time).", [("", seconds(lastSuccess))])
        }
        family(
            "ttusage_last_run_calls", "keyusage answers of the last run, by outcome.",
            [
                (#"{outcome="ok"}"#, String(callsOK)), (#"{outcome="throttled"}"#, String(callsThrottled)),
                (#"{outcome="fault"}"#, String(callsFault)),
            ])
        family(
            "ttusage_last_run_keys", "Keys of the last run, by state.",
            [
                (#"{state="complete"}"#, String(keysComplete)), (#"{state="incomplete"}"#, String(keysIncomplete)),
                (#"{state="refused"}"#, String(keysRefused)),
            ])
        func labels(_ key: Key) -> String {
            "{app_key=\"\(Self.escape(key.appKey))\",label=\"\(Self.escape(key.label))\"}"
        }
        family("ttusage_key_calls", "Calls of the key over the range.", keys.map { (labels($0), String($0.calls)) })
        family(
            "ttusage_key_peak_utilisation_ratio", "The key's highest share of its daily limit used on a day.",
            keys.compactMap { key in key.peakUtilisation.map { (labels(key), "\($0)") } })
        family(
            "ttusage_key_days_at_quota", "Days the key had nothing of its daily quota left.",
            keys.map { (labels($0), String($0.daysAtQuota)) })
        return lines.joined(separator: "\n") + "\n"
    }

    /// A label value escaped as the format says: backslash, double quote and line feed.
    public static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// Seconds to the millisecond, as a plain decimal (never an exponent).
    static func number(_ value: Double) -> String {
        var exact = Decimal((value * 1000).rounded()) / 1000
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, 3, .plain)
        return "\(rounded)"
    }

    /// The `ttusage_last_success_timestamp_seconds` of a file this type wrote before, if any.
    public static func lastSuccess(inFileAt path: String) -> Date? {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("ttusage_last_success_timestamp_seconds ") {
            if let value = Double(line.split(separator: " ").last ?? "") { return Date(timeIntervalSince1970: value) }
        }
        return nil
    }

    /// Writes the text to `path` whole: a temporary file beside it, flushed to disk, then renamed over it, so that
    /// a collector reading `*.prom` never sees half a file (the temporary name does not end in `.prom`).
    public func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, url.path) == 0 else {
                throw ReportError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
        } catch let error as ReportError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ReportError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
