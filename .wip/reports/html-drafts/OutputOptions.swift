import ArgumentParser
import Foundation
import UsageCore
import UsageReports

/// Which reports to write, and how.
struct ReportOptions: ParsableArguments {
    @Option(help: "Formats, comma-separated: csv, json, xlsx, html.")
    var format: String = "csv,json,xlsx,html"

    @Option(help: "A bundled template (monthly-billing, quota-audit, spreadsheet-handoff: the default) or a template file (.yaml).")
    var template: String?

    @Flag(help: "Start CSV files with a UTF-8 byte order mark, so Excel reads them as UTF-8.")
    var excel = false

    func formats() throws -> Set<ReportFormat> {
        var result: Set<ReportFormat> = []
        for item in format.split(separator: ",") {
            let name = item.trimmingCharacters(in: .whitespaces).lowercased()
            guard let format = ReportFormat(rawValue: name) else {
                throw CommandError.usage("--format \(name) is not one of csv, json, xlsx, html")
            }
            result.insert(format)
        }
        guard !result.isEmpty else { throw CommandError.usage("--format names no format (csv, json, xlsx, html)") }
        return result
    }

    func renderOptions(_ profile: Profile?) throws -> RenderOptions {
        let template = self.template ?? profile?.template ?? ReportTemplate.defaultName
        return RenderOptions(formats: try formats(), excelBOM: excel, template: try ReportTemplate.resolve(template),
                      toolVersion: TTUsageVersion.current, company: profile?.company)
    }
}

/// Makes the output folder and proves it can be written, before any call is made.
enum OutputFolder {
    static func prepare(_ path: String) throws -> URL {
        let url = URL(fileURLWithPath: path, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            let probe = url.appendingPathComponent(".ttusage-write-check-\(UUID().uuidString)")
            try Data().write(to: probe)
            try FileManager.default.removeItem(at: probe)
        } catch {
            throw CommandError("--out \(path) cannot be written: \((error as NSError).localizedDescription)", category: .cantCreate)
        }
        return url
    }
}
