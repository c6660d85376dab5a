import Foundation
import UsageCore

/// A report template: the tables a report holds beyond its fixed parts, as a YAML file describes them.
///
/// Every report has `daily.csv` and `summary.csv` (the `Daily` and `Summary` sheets), and its workbook a `Charts`
/// and an `About` sheet, whatever the template. Each table of the template becomes `<id>.csv`, an entry of
/// `tables` in report.json and a sheet of report.xlsx named by its title. `templates/README.md` describes the
/// file format.
public struct ReportTemplate: Sendable, Hashable {
    /// The names of the templates built into the tool.
    public static let bundledNames = ["monthly-billing", "quota-audit", "spreadsheet-handoff"]

    /// The template used when none is asked for.
    public static let defaultName = "spreadsheet-handoff"

    /// The default template, `spreadsheet-handoff`.
    public static let `default`: ReportTemplate = {
        // The bundled files are checked by the tests; should one ever fail to parse, a report with only its fixed
        // parts is still better than none.
        (try? bundled(named: defaultName))
            ?? ReportTemplate(
                name: defaultName, purpose: "", source: "bundled", nearQuota: 0.9, tables: [])
    }()

    /// The template's name (its `name:`, else the file name without extension).
    public var name: String
    /// What the template is for (its `description:`).
    public var purpose: String
    /// Where it came from: `bundled`, or the path it was read from.
    public var source: String
    /// Peak utilisation from which a key is highlighted as near its quota on the Summary sheet (0…1].
    public var nearQuota: Double
    /// The template's tables, in order.
    var tables: [TableSpec]
    /// Whether a table shows calls per customer and month with the month before (`layout: month-over-month`),
    /// so that an export of whole months fetches the month before the range for it.
    public var monthOverMonth: Bool { tables.contains { $0.layout == .monthOverMonth } }

    /// The ids of the template's tables, in order: each is written as `<id>.csv`.
    public var tableIDs: [String] { tables.map(\.id) }

    /// The titles of the template's tables, in order: each is a sheet of the workbook.
    public var tableTitles: [String] { tables.map(\.title) }

    init(name: String, purpose: String, source: String, nearQuota: Double, tables: [TableSpec]) {
        self.name = name
        self.purpose = purpose
        self.source = source
        self.nearQuota = nearQuota
        self.tables = tables
    }

    /// A template from a `--template` value: a value holding `/` or ending in `.yaml` or `.yml` is a file path,
    /// anything else the name of a bundled template.
    ///
    /// - Throws: `ReportError` `.usage` for an unknown name (listing the bundled ones), `.noInput` for a file that
    ///   does not exist or cannot be read, `.dataError` for a file that is not a valid template (file, line, what).
    public static func resolve(_ nameOrPath: String) throws -> ReportTemplate {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            return try load(path: nameOrPath)
        }
        return try bundled(named: nameOrPath)
    }

    /// A bundled template by name.
    ///
    /// - Throws: `ReportError` `.usage` when no bundled template has that name.
    public static func bundled(named name: String) throws -> ReportTemplate {
        guard let text = BundledTemplates.text(named: name) else { throw ReportError.unknownTemplate(name) }
        return try parse(yaml: text, source: "bundled template \(name)", defaultName: name, isBundled: true)
    }

    /// A template read from a YAML file.
    ///
    /// - Throws: `ReportError` `.noInput` when the file is missing or unreadable, `.dataError` when it is invalid.
    public static func load(path: String) throws -> ReportTemplate {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReportError.missingInput(path: path, reason: "no such template file")
        }
        guard !isDirectory.boolValue else { throw ReportError.missingInput(path: path, reason: "is a directory") }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ReportError.missingInput(path: path, reason: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReportError.brokenTemplate(source: path, line: nil, problem: "not UTF-8 text")
        }
        let stem = url.deletingPathExtension().lastPathComponent
        return try parse(yaml: text, source: path, defaultName: stem)
    }

    /// A template from YAML text; `source` names it in errors (a path, or any description).
    ///
    /// - Throws: `ReportError` `.dataError` naming `source`, the line and what is wrong.
    public static func parse(yaml text: String, source: String) throws -> ReportTemplate {
        let stem = URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent
        return try parse(yaml: text, source: source, defaultName: stem)
    }

    static func parse(
        yaml text: String, source: String, defaultName: String, isBundled: Bool = false
    ) throws -> ReportTemplate {
        var template = try TemplateParser(source: source).parse(text, defaultName: defaultName)
        template.source = isBundled ? "bundled" : source
        return template
    }
}
