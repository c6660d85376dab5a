import Foundation
import Testing

@testable import UsageReports

/// The templates in `templates/` are what users read; the tool carries copies compiled in. They must not drift.
@Suite struct BundledTemplateTests {
    static let templatesFolder = TestData.repositoryRoot.appendingPathComponent("templates")
    static let generatedSource = TestData.repositoryRoot
        .appendingPathComponent("Sources/UsageReports/BundledTemplates.swift")

    @Test(arguments: ReportTemplate.bundledNames)
    func embeddedTextEqualsTheFileInTemplates(name: String) throws {
        let file = try String(
            contentsOf: Self.templatesFolder.appendingPathComponent("\(name).yaml"), encoding: .utf8)
        let embedded = try #require(BundledTemplates.text(named: name))
        let hint = "templates/\(name).yaml changed: run TTUSAGE_REGENERATE_TEMPLATES=1 swift test --filter Bundled"
        #expect(embedded == file, Comment(rawValue: hint))
    }

    @Test func everyTemplateFileIsBundled() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.templatesFolder.path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        #expect(files == ReportTemplate.bundledNames.sorted())
    }

    @Test(arguments: ReportTemplate.bundledNames)
    func bundledTemplatesParse(name: String) throws {
        let template = try ReportTemplate.resolve(name)
        #expect(template.name == name)
        #expect(template.source == "bundled")
        #expect(!template.tables.isEmpty)
    }

    @Test func defaultIsSpreadsheetHandoffWithAKeyByDayMatrix() throws {
        #expect(ReportTemplate.default.name == ReportTemplate.defaultName)
        let matrix = try #require(ReportTemplate.default.tables.first)
        #expect(matrix.layout == .matrix)
        #expect(matrix.rowGroup == .key)
        #expect(matrix.across == .day)
        #expect(matrix.value == .used)
    }

    /// Rewrites BundledTemplates.swift from templates/*.yaml when TTUSAGE_REGENERATE_TEMPLATES=1.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TTUSAGE_REGENERATE_TEMPLATES"] == "1"))
    func regenerate() throws {
        try Self.generatedText().write(to: Self.generatedSource, atomically: true, encoding: .utf8)
    }

    @Test func generatedSourceIsUpToDate() throws {
        let current = try String(contentsOf: Self.generatedSource, encoding: .utf8)
        #expect(current == (try Self.generatedText()))
    }

    static func generatedText() throws -> String {
        func identifier(_ name: String) -> String {
            let parts = name.split(separator: "-")
            return String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        }
        var lines = [
            "// Generated from templates/*.yaml: do not edit by hand. After changing a template, run",
            "// `TTUSAGE_REGENERATE_TEMPLATES=1 swift test --filter BundledTemplateTests`; a test fails while",
            "// they differ.",
            "",
            "/// The bundled templates, embedded so that the tool needs no file beside it at run time.",
            "enum BundledTemplates {",
            "    /// The YAML text of the bundled template `name`, or `nil`.",
            "    static func text(named name: String) -> String? {",
            "        switch name {",
        ]
        for name in ReportTemplate.bundledNames { lines.append("        case \"\(name)\": \(identifier(name))") }
        lines += ["        default: nil", "        }", "    }", ""]
        for name in ReportTemplate.bundledNames {
            let text = try String(contentsOf: templatesFolder.appendingPathComponent("\(name).yaml"), encoding: .utf8)
            // Indented as swift-format wants; a multi-line literal drops its closing delimiter's indentation.
            lines.append("    static let \(identifier(name)) = #\"\"\"")
            let body = text.split(separator: "\n", omittingEmptySubsequences: false)
            lines += body.map { $0.isEmpty ? "" : "        \($0)" }
            lines.append("        \"\"\"#")
            lines.append("")
        }
        lines.removeLast()
        lines += ["}", ""]
        return lines.joined(separator: "\n")
    }
}
