import Foundation
import UsageAnalysis
import UsageCore

/// report.json: the whole dataset and the report's tables, and the way back from it (`ttusage render --input`).
///
/// The layout is described by `Resources/report.schema.json`:
/// `{"schemaVersion": 1, "toolVersion", "template", "generatedAt", "environment", "range": {"from", "to"},
/// "keys": [{"appKey", "userId", "label", "status", "days": [{"date", "used", "remaining", "status"}],
/// "totals": {…}}], "failures": [{"appKey", "userId", "label", "reason"}], "tables": [{"id", "title",
/// "columns", "rows", "footer"}], "options": [{"name", "value"}]}`. Options are a list, not an object, so that
/// their order survives a round trip.
public enum ReportJSON {
    /// The version of the layout written in `schemaVersion`; the only one `decode` accepts.
    public static let schemaVersion = 1

    /// The report.json of `dataset`, with the tables of `options.template`.
    public static func encode(_ dataset: UsageDataset, options: RenderOptions = RenderOptions()) throws -> Data {
        let made = ReportTables(dataset, options: options)
        var bytes: [UInt8] = []
        try write(dataset, tables: made.tables, sections: made, options: options, into: &bytes, drain: { _ in })
        return Data(bytes)
    }

    /// The dataset of a report.json, as `encode` wrote it; the tables are not read back but built again from the
    /// template when rendering.
    ///
    /// - Throws: `ReportError` `.dataError` when the data is not a valid report of schema version 1.
    public static func decode(_ data: Data) throws -> UsageDataset {
        try decode(data, source: "report.json")
    }

    /// The dataset of a report.json; `source` names it in errors.
    public static func decode(_ data: Data, source: String) throws -> UsageDataset {
        try ReportJSONDecoder(source: source).decode(data)
    }

    /// The report.json that `path` names: the file itself, or the report.json inside a folder (an export's --out).
    public static func location(of path: String) -> URL {
        var isDirectory: ObjCBool = false
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return url
        }
        return url.appendingPathComponent("report.json")
    }

    /// Reads and decodes a report.json file.
    ///
    /// - Throws: `ReportError` `.noInput` when the file does not exist or cannot be read, `.dataError` when it
    ///   is not a valid report.
    public static func read(from url: URL) throws -> UsageDataset {
        try decode(try contents(of: url), source: url.path)
    }

    /// The bytes of the report.json at `url`, read once.
    static func contents(of url: URL) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ReportError.missingInput(path: url.path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw ReportError.missingInput(path: url.path, reason: "is a directory") }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ReportError.missingInput(path: url.path, reason: "cannot be read")
        }
        return data
    }

    // MARK: - Writing

    /// Writes report.json into `bytes`, calling `drain` with them after each key and table (to write a full block
    /// out and empty them).
    static func write(
        _ dataset: UsageDataset, tables: [ReportTable], sections: ReportTables? = nil, options: RenderOptions,
        into bytes: inout [UInt8], drain: (inout [UInt8]) throws -> Void
    ) throws {
        func line(_ indent: Int, _ text: String) {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
            bytes.append(contentsOf: text.utf8)
        }
        func string(_ text: String) -> String {
            var encoded: [UInt8] = []
            JSONText.appendString(text, to: &encoded)
            return String(decoding: encoded, as: UTF8.self)
        }
        line(0, "{\n")
        line(2, "\"schemaVersion\": \(schemaVersion),\n")
        line(2, "\"toolVersion\": \(string(options.toolVersion)),\n")
        line(2, "\"template\": \(string(options.template.name)),\n")
        line(2, "\"generatedAt\": \(string(JSONText.timestamp(dataset.generatedAt))),\n")
        line(2, "\"environment\": \(string(dataset.environment)),\n")
        line(2, "\"range\": {\"from\": \"\(dataset.range.from.isoText)\", \"to\": \"\(dataset.range.to.isoText)\"},\n")

        line(2, "\"keys\": [")
        let dates = DateTextCache(range: dataset.range)
        let statuses = DayStatus.allCases.map { Array("\"\($0.rawValue)\"".utf8) }
        for (index, usage) in dataset.keys.enumerated() {
            bytes.append(contentsOf: (index == 0 ? "\n" : ",\n").utf8)
            line(4, "{\"appKey\": \(string(usage.key.appKey)), \"userId\": \(string(usage.key.userId)), ")
            bytes.append(
                contentsOf: "\"label\": \(string(usage.key.label)), \"status\": \"\(usage.status.rawValue)\",\n".utf8)
            line(5, "\"days\": [")
            for (dayIndex, day) in usage.days.enumerated() {
                bytes.append(contentsOf: (dayIndex == 0 ? "\n" : ",\n").utf8)
                line(6, "{\"date\": \"")
                dates.append(day.date, to: &bytes)
                bytes.append(contentsOf: "\", \"used\": ".utf8)
                JSONText.appendOptionalInteger(day.used, to: &bytes)
                bytes.append(contentsOf: ", \"remaining\": ".utf8)
                JSONText.appendOptionalInteger(day.remaining, to: &bytes)
                bytes.append(contentsOf: ", \"status\": ".utf8)
                bytes.append(contentsOf: statuses[DayStatus.allCases.firstIndex(of: day.status) ?? 0])
                bytes.append(UInt8(ascii: "}"))
            }
            bytes.append(contentsOf: (usage.days.isEmpty ? "],\n" : "\n     ],\n").utf8)
            let totals = usage.totals
            // The means and shares in decimal, as the tables compute them.
            var exact = UsageAccumulator()
            for day in usage.days { exact.add(day, threshold: 1) }
            line(5, "\"totals\": {\"daysOk\": \(totals.daysOk), \"daysProvisional\": \(totals.daysProvisional), ")
            bytes.append(
                contentsOf: "\"daysMissing\": \(totals.daysMissing), \"used\": \(totals.used), \"meanPerDay\": ".utf8)
            JSONText.appendOptionalDecimal(exact.meanPerDay, places: ExactFigures.meanPlaces, to: &bytes)
            bytes.append(contentsOf: ", \"peakDate\": ".utf8)
            JSONText.appendOptionalDay(totals.peakDate, to: &bytes)
            bytes.append(contentsOf: ", \"peakUsed\": ".utf8)
            JSONText.appendOptionalInteger(totals.peakUsed, to: &bytes)
            bytes.append(contentsOf: ", \"daysAtQuota\": \(totals.daysAtQuota), \"meanUtilisation\": ".utf8)
            JSONText.appendOptionalDecimal(
                exact.meanUtilisation, places: ExactFigures.fractionPlaces, to: &bytes)
            bytes.append(contentsOf: ", \"peakUtilisation\": ".utf8)
            JSONText.appendOptionalDecimal(
                exact.roundedPeakUtilisation, places: ExactFigures.fractionPlaces, to: &bytes)
            bytes.append(contentsOf: "}}".utf8)
            try drain(&bytes)
        }
        bytes.append(contentsOf: (dataset.keys.isEmpty ? "],\n" : "\n  ],\n").utf8)

        let failures = dataset.failures
        line(2, "\"failures\": [")
        for (index, failure) in failures.enumerated() {
            bytes.append(contentsOf: (index == 0 ? "\n" : ",\n").utf8)
            line(4, "{\"appKey\": \(string(failure.appKey)), \"userId\": \(string(failure.userId)), ")
            bytes.append(contentsOf: "\"label\": \(string(failure.label)), \"reason\": \(string(failure.reason))}".utf8)
        }
        bytes.append(contentsOf: (failures.isEmpty ? "],\n" : "\n  ],\n").utf8)

        line(2, "\"tables\": [")
        for (index, table) in tables.enumerated() {
            bytes.append(contentsOf: (index == 0 ? "\n" : ",\n").utf8)
            line(4, "{\"id\": \(string(table.id)), \"title\": \(string(table.title)),\n")
            line(5, "\"columns\": [")
            for (columnIndex, column) in table.columns.enumerated() {
                if columnIndex > 0 { bytes.append(contentsOf: ", ".utf8) }
                bytes.append(contentsOf: "{\"id\": \(string(column.id)), \"header\": \(string(column.header)), ".utf8)
                bytes.append(contentsOf: "\"type\": \"\(column.type.rawValue)\"}".utf8)
            }
            bytes.append(contentsOf: "],\n".utf8)
            for (name, rows) in [("rows", table.rows), ("footer", table.footer)] {
                line(5, "\"\(name)\": [")
                for (rowIndex, row) in rows.enumerated() {
                    bytes.append(contentsOf: (rowIndex == 0 ? "\n" : ",\n").utf8)
                    line(6, "{\"kind\": \"\(row.kind.rawValue)\", ")
                    if row.flagged { bytes.append(contentsOf: "\"flagged\": true, ".utf8) }
                    bytes.append(contentsOf: "\"cells\": [".utf8)
                    for (cellIndex, cell) in row.cells.enumerated() {
                        if cellIndex > 0 { bytes.append(contentsOf: ", ".utf8) }
                        JSONText.appendCell(cell, to: &bytes)
                    }
                    bytes.append(contentsOf: "]}".utf8)
                }
                bytes.append(contentsOf: (rows.isEmpty ? "]" : "\n     ]").utf8)
                bytes.append(contentsOf: (name == "rows" ? ",\n" : "}").utf8)
            }
            try drain(&bytes)
        }
        bytes.append(contentsOf: (tables.isEmpty ? "],\n" : "\n  ],\n").utf8)
        try appendSections(sections, to: &bytes)
        if let previous = dataset.previous {
            bytes.append(contentsOf: "  \"previousMonth\": ".utf8)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            bytes.append(contentsOf: try encoder.encode(PreviousMonthJSON(previous, keys: dataset.keys.map(\.key))))
            bytes.append(contentsOf: ",\n".utf8)
        }
        if !dataset.earlier.isEmpty {
            bytes.append(contentsOf: "  \"earlierUsage\": ".utf8)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            bytes.append(contentsOf: try encoder.encode(EarlierUsageJSON.list(dataset)))
            bytes.append(contentsOf: ",\n".utf8)
        }

        line(2, "\"options\": [")
        for (index, option) in dataset.options.enumerated() {
            bytes.append(contentsOf: (index == 0 ? "\n" : ",\n").utf8)
            line(4, "{\"name\": \(string(option.name)), \"value\": \(string(option.value))}")
        }
        bytes.append(contentsOf: (dataset.options.isEmpty ? "]\n" : "\n  ]\n").utf8)
        line(0, "}\n")
    }

    /// The typed members `"keyAudit": {…},`, `"alerts": […],` and `"invoices": […],`, when the report has them.
    private static func appendSections(_ made: ReportTables?, to bytes: inout [UInt8]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let audit = made?.audit, made?.tables.contains(where: { $0.id == "key-audit" }) == true {
            bytes.append(contentsOf: "  \"keyAudit\": ".utf8)
            bytes.append(contentsOf: try encoder.encode(KeyAuditJSON(audit)))
            bytes.append(contentsOf: ",\n".utf8)
        }
        if let alerts = made?.alerts {
            bytes.append(contentsOf: "  \"alerts\": ".utf8)
            bytes.append(contentsOf: try encoder.encode(alerts.map(AlertJSON.init)))
            bytes.append(contentsOf: ",\n".utf8)
        }
        if let invoices = made?.invoices {
            bytes.append(contentsOf: "  \"invoices\": ".utf8)
            bytes.append(contentsOf: try encoder.encode(invoices.map(InvoiceRecord.init)))
            bytes.append(contentsOf: ",\n".utf8)
        }
    }
}
