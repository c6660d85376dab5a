import Foundation
import Testing
import UsageCore

@testable import UsageReports

@Suite struct TemplateTests {
    private func parse(_ yaml: String) throws -> ReportTemplate {
        try ReportTemplate.parse(yaml: yaml, source: "custom.yaml")
    }

    /// The error a broken template gives.
    private func problem(_ yaml: String) -> ReportError? {
        do {
            _ = try parse(yaml)
            return nil
        } catch let error as ReportError {
            return error
        } catch {
            return nil
        }
    }

    @Test func unknownNameIsAUsageErrorListingTheBundledOnes() {
        #expect(throws: ReportError.self) { try ReportTemplate.resolve("montly-billing") }
        do {
            _ = try ReportTemplate.resolve("montly-billing")
        } catch let error as ReportError {
            #expect(error.category == .usage)
            #expect(error.category.code == 64)
            for name in ReportTemplate.bundledNames { #expect(error.description.contains(name)) }
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aValueWithSlashOrYamlSuffixIsAPath() throws {
        for value in ["./nothing-here", "nothing.yaml", "nothing.yml", "/no/such/template"] {
            do {
                _ = try ReportTemplate.resolve(value)
                Issue.record("\(value) resolved")
            } catch let error as ReportError {
                #expect(error.category == .noInput, "\(value): \(error)")
                #expect(error.description.contains(value))
            }
        }
    }

    @Test func aTemplateFileIsReadWithItsStemAsName() throws {
        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        let url = folder.appendingPathComponent("per-label.yaml")
        try """
        tables:
          - id: per-label
            title: Per label
            group-by: label
            columns: [label, keys, used]
        """.write(to: url, atomically: true, encoding: .utf8)
        let template = try ReportTemplate.resolve(url.path)
        #expect(template.name == "per-label")
        #expect(template.source == url.path)
        #expect(template.tableIDs == ["per-label"])
        #expect(template.tableTitles == ["Per label"])
    }

    @Test func aYAMLSyntaxErrorNamesFileAndLine() throws {
        let error = try #require(problem("tables:\n  - id: x\n    columns: [label\n  - id: y\n"))
        #expect(error.category == .dataError)
        #expect(error.category.code == 65)
        #expect(error.description.hasPrefix("custom.yaml line "), "\(error)")
        #expect(error.description.contains("YAML"))
    }

    @Test func anUnknownKeyIsAnErrorWithItsLineAndASuggestion() throws {
        let yaml = """
            name: mine
            tables:
              - id: t
                group-by: key
                colums: [label]
            """
        let error = try #require(problem(yaml))
        #expect(error.category == .dataError)
        #expect(error.description.hasPrefix("custom.yaml line 5: unknown key \"colums\""), "\(error)")
        #expect(error.description.contains("did you mean \"columns\""))
    }

    @Test func anUnknownTopLevelKeyIsAnError() throws {
        let error = try #require(problem("tables: []\nnear_quota: 0.9\n"))
        #expect(error.description.hasPrefix("custom.yaml line 2: unknown key \"near_quota\""), "\(error)")
    }

    @Test func aDuplicateKeyIsAnError() throws {
        let error = try #require(problem("tables: []\ntables: []\n"))
        #expect(error.category == .dataError)
        #expect(error.description.contains("given twice"), "\(error)")
    }

    @Test(arguments: [
        ("tables:\n  - id: t\n    columns: [month]\n", "line 3", "month needs group-by month"),
        ("tables:\n  - id: t\n    group-by: key\n    columns: [label, bogus]\n", "line 4", "unknown field \"bogus\""),
        ("tables:\n  - id: t\n    group-by: [key, label]\n    columns: [label]\n", "line 3", "not both"),
        ("tables:\n  - id: t\n    group-by: key\n    threshold: 1.5\n    columns: [used]\n", "line 4", "fraction"),
        ("tables:\n  - id: daily\n    columns: [used]\n", "line 2", "taken by daily.csv"),
        ("tables:\n  - id: t\n    title: About\n    columns: [used]\n", "line 3", "every workbook has"),
        ("tables:\n  - id: t\n    title: \"a/b\"\n    columns: [used]\n", "line 3", "worksheet name cannot"),
        ("tables:\n  - id: t\n    columns: [used]\n  - id: t\n    columns: [keys]\n", "line 4", "second table"),
        (
            "tables:\n  - id: t\n    group-by: key\n    sort: [used sideways]\n    columns: [used]\n", "line 4",
            "asc nor desc"
        ),
        ("tables:\n  - id: t\n    group-by: key\n    subtotal: used\n    columns: [used]\n", "line 4", "dimension"),
        ("tables:\n  - id: t\n    across: month\n    columns: [used]\n", "line 3", "layout: matrix"),
        ("tables:\n  - id: t\n    layout: matrix\n    group-by: [key, day]\n    columns: []\n", "line 4", "across"),
        (
            "tables:\n  - id: t\n    group-by: label\n    where: {status: failed}\n    columns: [label]\n", "line 4",
            "group-by: key"
        ),
        ("tables:\n  - id: T!\n    columns: [used]\n", "line 2", "lowercase"),
        ("- just a list\n", "line 1", "mapping"),
    ])
    func brokenTemplatesNameTheLineAndTheProblem(yaml: String, line: String, text: String) throws {
        let error = try #require(problem(yaml))
        #expect(error.category == .dataError)
        #expect(error.description.hasPrefix("custom.yaml \(line): "), "\(error)")
        #expect(error.description.contains(text), "\(error)")
    }

    @Test func aFullTemplateParses() throws {
        let template = try parse(
            """
            name: audit
            description: Keys over 70%
            near-quota: 95%
            tables:
              - id: risky
                title: Risky keys
                group-by: key
                threshold: 0.7
                highlight: 0.9
                where:
                  status: [complete, incomplete]
                  at-risk: true
                columns:
                  - label
                  - field: peak_utilisation
                    header: Peak
                sort: [peak_utilisation desc, label]
                total: yes
            """)
        #expect(template.name == "audit")
        #expect(template.purpose == "Keys over 70%")
        #expect(template.nearQuota == 0.95)
        let table = try #require(template.tables.first)
        #expect(table.threshold == 0.7)
        #expect(table.highlight == 0.9)
        #expect(table.filter.statuses == [.complete, .incomplete])
        #expect(table.filter.atRisk == true)
        #expect(table.columns.map(\.header) == ["label", "Peak"])
        #expect(
            table.sort == [.init(field: .peakUtilisation, descending: true), .init(field: .label, descending: false)])
        #expect(table.total)
    }
}
