import Foundation
import UsageCore

/// `.ttusage-report`, the one hidden file of a report folder: which entries the run that made the folder wrote
/// (so the next run replaces exactly those and leaves every other file alone), and which entries it carried over
/// from the folder before (files ttusage did not write).
struct OutputRecord: Codable, Equatable {
    /// The file's name in a report folder.
    static let fileName = ".ttusage-report"

    /// The run that made the folder (its staging folder's name ends with it).
    var token: String
    /// The entries the run wrote, in the order they were written.
    var files: [String]
    /// The entries of the folder before that the run kept (links to them, or folders moved over).
    var carried: [String]

    /// The record in folder `path`, or `nil` when there is none or it is not one.
    static func read(in path: String) -> OutputRecord? {
        guard let data = FileManager.default.contents(atPath: path + "/" + fileName) else { return nil }
        return try? JSONDecoder().decode(OutputRecord.self, from: data)
    }

    /// Writes the record into folder `path` and flushes it to the disk.
    func write(in path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let target = path + "/" + Self.fileName
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: target))
        } catch {
            throw ReportError.cannotWrite(path: target, reason: ReportError.plain(error, path: target))
        }
        try FolderSwap.sync(target)
    }

    /// Whether ttusage wrote `name` in a folder that has no record (one written before records were kept): the
    /// fixed report files, every bundled template's tables, and the hidden temporary files of those versions.
    static func writtenBeforeRecords(_ name: String) -> Bool {
        if legacyNames.contains(name) { return true }
        if name.hasPrefix(".ttusage-write-check-") { return true }
        // `.daily.csv.1A2B3C4D.tmp`: a temporary file of a render that was killed.
        if name.hasPrefix("."), name.hasSuffix(".tmp") {
            let stem = name.dropFirst().dropLast(4)
            guard let dot = stem.lastIndex(of: ".") else { return false }
            let token = stem[stem.index(after: dot)...]
            return token.count == 8 && token.allSatisfy { $0.isHexDigit || $0 == "-" }
        }
        return false
    }

    private static let legacyNames: Set<String> = {
        var names: Set<String> = [
            "daily.csv", "summary.csv", "report.json", "report.xlsx", "report.html", "invoices.csv",
            "invoice-lines.csv", "key-audit.csv", "alerts.csv", "month-forecast.csv", "changes.csv",
            "invoice-changes.csv", "statements",
        ]
        for name in ReportTemplate.bundledNames {
            guard let template = try? ReportTemplate.bundled(named: name) else { continue }
            for table in template.tables { names.insert("\(table.id).csv") }
        }
        return names
    }()
}
