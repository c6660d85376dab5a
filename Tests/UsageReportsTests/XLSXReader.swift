import Foundation
import TTUsageTestSupport
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads back what the renderer wrote into a workbook: it is a zip of XML parts.
struct XLSXReader {
    /// One cell as the sheet XML holds it.
    struct Cell: Equatable {
        /// `t`: `inlineStr`, `s` (shared string), `str`, `b`, or nil for a number.
        var type: String?
        /// The text of `<v>` or of the inline string's `<t>`.
        var value: String
        var style: Int
        var hasFormula: Bool
    }

    /// One worksheet.
    struct Sheet {
        var name: String
        var path: String
        var cells: [String: Cell] = [:]
        var pane: [String: String]?
        var autofilter: String?
        /// The sheet's Excel tables.
        var tables: [Table] = []
        /// `<pageSetup>`'s attributes, `<pageSetUpPr>`'s `fitToPage`, the odd footer, `<printOptions>`.
        var pageSetup: [String: String] = [:]
        var fitToPage: String?
        var footer: String?
        var showGridLines: String?
        var columnsWithWidth = 0
        var drawing = false

        /// The cell at a 0-based row and column.
        func cell(_ row: Int, _ column: Int) -> Cell? { cells[XLSXReader.reference(row, column)] }

        /// The last row that holds a cell (0-based), -1 when empty.
        var lastRow: Int {
            cells.keys.map { XLSXReader.split($0).row }.max() ?? -1
        }
    }

    let archive: Archive
    /// An Excel table (`xl/tables/tableN.xml`).
    struct Table {
        var name: String
        var displayName: String
        var ref: String
        var autofilter: String?
        var totalsRowCount: Int
        var columns: [String]
        var style: String?
        var rowStripes: String?
    }

    /// The workbook's defined names: `name` (with `localSheetId` as `name@id`) to its formula.
    private(set) var definedNames: [String: String] = [:]
    private(set) var sheets: [Sheet] = []
    /// Number format code of each cell style index.
    private(set) var styleFormats: [Int: String] = [:]
    /// The solid fill colour (`RRGGBB`, alpha dropped) of each cell style index that has one.
    private(set) var styleFills: [Int: String] = [:]
    private(set) var sharedStrings: [String] = []

    init(url: URL) throws {
        archive = try Archive(url: url, accessMode: .read)
        let rels = try XMLTree(data: part("xl/_rels/workbook.xml.rels"))
        var targets: [String: String] = [:]
        for element in rels.all("Relationship") {
            targets[element["Id"] ?? ""] = element["Target"]
        }
        let workbook = try XMLTree(data: part("xl/workbook.xml"))
        if let shared = try? part("xl/sharedStrings.xml") {
            sharedStrings = try XMLTree(data: shared).all("si").map(\.text)
        }
        try readStyles()
        for element in workbook.all("sheet") {
            guard let name = element["name"], let id = element["r:id"], let target = targets[id] else { continue }
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            sheets.append(try readSheet(name: name, path: path))
        }
        for element in workbook.all("definedName") {
            guard let name = element["name"] else { continue }
            definedNames[element["localSheetId"].map { "\(name)@\($0)" } ?? name] = element.text
        }
    }

    /// The names of the sheets in order.
    var sheetNames: [String] { sheets.map(\.name) }

    func sheet(_ name: String) -> Sheet? { sheets.first { $0.name == name } }

    /// The bytes of a part of the package.
    func part(_ path: String) throws -> Data {
        guard let entry = archive[path] else { throw CocoaError(.fileNoSuchFile, userInfo: ["path": path]) }
        var data = Data()
        _ = try archive.extract(entry, skipCRC32: true) { data.append($0) }
        return data
    }

    /// The paths of the package's parts.
    var partPaths: [String] { archive.map(\.path) }

    /// Whether the style `index` shows a date (`yyyy-mm-dd`).
    func isDateStyle(_ index: Int) -> Bool { styleFormats[index] == "yyyy-mm-dd" }

    /// A cell's value as the text a CSV file would hold (dates as `YYYY-MM-DD`).
    func text(of cell: Cell?) -> String {
        guard let cell else { return "" }
        switch cell.type {
        case "inlineStr", "str": return cell.value
        case "s": return Int(cell.value).flatMap { sharedStrings.indices.contains($0) ? sharedStrings[$0] : nil } ?? ""
        default:
            if isDateStyle(cell.style), let serial = Double(cell.value) {
                return XLSXReader.isoDate(serial: Int(serial))
            }
            return cell.value
        }
    }

    private mutating func readStyles() throws {
        let styles = try XMLTree(data: part("xl/styles.xml"))
        var codes: [Int: String] = [14: "m/d/yyyy", 3: "#,##0", 10: "0.00%"]
        for format in styles.all("numFmt") {
            if let id = format["numFmtId"].flatMap(Int.init), let code = format["formatCode"] { codes[id] = code }
        }
        let cellXfs = styles.all("cellXfs").first
        let fills = styles.all("fills").first?.children.filter { $0.name == "fill" } ?? []
        for (index, xf) in (cellXfs?.children.filter { $0.name == "xf" } ?? []).enumerated() {
            let id = xf["numFmtId"].flatMap(Int.init) ?? 0
            styleFormats[index] = id == 0 ? "General" : codes[id] ?? "builtin \(id)"
            if let fillID = xf["fillId"].flatMap(Int.init), fills.indices.contains(fillID),
                let pattern = fills[fillID].children.first(where: { $0.name == "patternFill" }),
                pattern["patternType"] == "solid",
                let rgb = pattern.children.first(where: { $0.name == "fgColor" })?["rgb"]
            {
                styleFills[index] = String(rgb.suffix(6))
            }
        }
    }

    private func readSheet(name: String, path: String) throws -> Sheet {
        let tree = try XMLTree(data: part(path))
        var sheet = Sheet(name: name, path: path)
        for element in tree.all("c") {
            guard let reference = element["r"] else { continue }
            let formula = element.children.contains { $0.name == "f" }
            let value: String
            if element["t"] == "inlineStr" {
                value = element.children.first { $0.name == "is" }?.text ?? ""
            } else {
                value = element.children.first { $0.name == "v" }?.text ?? ""
            }
            sheet.cells[reference] = Cell(
                type: element["t"], value: value, style: element["s"].flatMap(Int.init) ?? 0, hasFormula: formula)
        }
        sheet.pane = tree.all("pane").first?.attributes
        sheet.autofilter = tree.all("autoFilter").first?["ref"]
        sheet.columnsWithWidth = tree.all("col").filter { $0["customWidth"] == "1" }.count
        sheet.drawing = !tree.all("drawing").isEmpty
        sheet.pageSetup = tree.all("pageSetup").first?.attributes ?? [:]
        sheet.fitToPage = tree.all("pageSetUpPr").first?["fitToPage"]
        sheet.footer = tree.all("oddFooter").first?.text
        sheet.showGridLines = tree.all("sheetView").first?["showGridLines"]
        let file = (path as NSString).lastPathComponent
        let folder = (path as NSString).deletingLastPathComponent
        if !tree.all("tablePart").isEmpty, let rels = try? part("\(folder)/_rels/\(file).rels") {
            for relation in try XMLTree(data: rels).all("Relationship")
            where relation["Type"]?.hasSuffix("/table") == true {
                guard let target = relation["Target"] else { continue }
                let table = try XMLTree(data: part("xl/tables/" + (target as NSString).lastPathComponent))
                guard let root = table.all("table").first else { continue }
                sheet.tables.append(
                    Table(
                        name: root["name"] ?? "", displayName: root["displayName"] ?? "", ref: root["ref"] ?? "",
                        autofilter: table.all("autoFilter").first?["ref"],
                        totalsRowCount: root["totalsRowCount"].flatMap(Int.init) ?? 0,
                        columns: table.all("tableColumn").map { $0["name"] ?? "" },
                        style: table.all("tableStyleInfo").first?["name"],
                        rowStripes: table.all("tableStyleInfo").first?["showRowStripes"]))
            }
        }
        return sheet
    }

    // MARK: - References

    static func reference(_ row: Int, _ column: Int) -> String {
        var letters = ""
        var rest = column + 1
        while rest > 0 {
            let digit = (rest - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + digit))) + letters
            rest = (rest - 1) / 26
        }
        return "\(letters)\(row + 1)"
    }

    static func split(_ reference: String) -> (row: Int, column: Int) {
        var column = 0
        var digits = ""
        for char in reference {
            if char.isLetter, let ascii = char.asciiValue {
                column = column * 26 + Int(ascii - 64)
            } else {
                digits.append(char)
            }
        }
        return ((Int(digits) ?? 1) - 1, column - 1)
    }

    static func isoDate(serial: Int) -> String {
        let ordinal = serial - 25_569
        let date = Date(timeIntervalSince1970: TimeInterval(ordinal) * 86_400)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
