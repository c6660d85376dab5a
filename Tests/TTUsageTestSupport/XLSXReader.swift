import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads back what the renderer wrote into a workbook: it is a zip of XML parts.
public struct XLSXReader {
    /// One cell as the sheet XML holds it.
    public struct Cell: Equatable {
        /// `A1`, and its 0-based row and column.
        public var reference: String
        public var row: Int
        public var column: Int
        /// `t`: `inlineStr`, `s` (shared string), `str`, `b`, `e`, or nil for a number.
        public var type: String?
        /// The text of `<v>` or of the inline string's `<t>`, as the XML holds it (before `_xHHHH_` decoding).
        public var value: String
        public var style: Int
        public var hasFormula: Bool
        /// The text as Excel shows it: an inline or shared string with `_xHHHH_` escapes decoded, or `<v>`.
        public var text: String
        /// Attributes of the inline string's `<t>`, e.g. `xml:space`.
        public var textAttributes: [String: String]

        /// The text as the XML holds it (the same as `value`).
        public var rawText: String { value }
    }

    /// One worksheet.
    public struct Sheet {
        public var name: String
        public var path: String
        /// Cells by reference (`A1`).
        public var cells: [String: Cell] = [:]
        public var pane: [String: String]?
        public var autofilter: String?
        /// The sheet's Excel tables.
        public var tables: [Table] = []
        /// `<pageSetup>`'s attributes, `<pageSetUpPr>`'s `fitToPage`, the odd footer, `<printOptions>`.
        public var pageSetup: [String: String] = [:]
        public var fitToPage: String?
        public var footer: String?
        public var showGridLines: String?
        public var columnsWithWidth = 0
        public var drawing = false
        /// Every element name of the part, with how often it occurs.
        public var elementCounts: [String: Int] = [:]

        /// Cells by (row, column), 0-based.
        public var grid: [Int: [Int: Cell]] {
            var grid: [Int: [Int: Cell]] = [:]
            for cell in cells.values { grid[cell.row, default: [:]][cell.column] = cell }
            return grid
        }

        /// The cell at a 0-based row and column.
        public func cell(_ row: Int, _ column: Int) -> Cell? { cells[XLSXReader.reference(row, column)] }

        /// The last row that holds a cell (0-based), -1 when empty.
        public var lastRow: Int {
            cells.keys.map { XLSXReader.split($0).row }.max() ?? -1
        }
    }

    public let archive: Archive
    /// An Excel table (`xl/tables/tableN.xml`).
    public struct Table {
        public var name: String
        public var displayName: String
        public var ref: String
        public var autofilter: String?
        public var totalsRowCount: Int
        public var columns: [String]
        public var style: String?
        public var rowStripes: String?
    }

    /// The workbook's defined names: `name` (with `localSheetId` as `name@id`) to its formula.
    public private(set) var definedNames: [String: String] = [:]
    public private(set) var sheets: [Sheet] = []
    /// Number format code of each cell style index.
    public private(set) var styleFormats: [Int: String] = [:]
    /// The solid fill colour (`RRGGBB`, alpha dropped) of each cell style index that has one.
    public private(set) var styleFills: [Int: String] = [:]
    public private(set) var sharedStrings: [String] = []

    public init(url: URL) throws {
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
            guard let name = element["name"], let id = element["r:id"], let target = targets[id] else {
                throw XMLTree.Malformed(description: "sheet without a relationship in xl/workbook.xml")
            }
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            sheets.append(try readSheet(name: name, path: path))
        }
        for element in workbook.all("definedName") {
            guard let name = element["name"] else { continue }
            definedNames[element["localSheetId"].map { "\(name)@\($0)" } ?? name] = element.text
        }
    }

    /// The names of the sheets in order.
    public var sheetNames: [String] { sheets.map(\.name) }

    public func sheet(_ name: String) -> Sheet? { sheets.first { $0.name == name } }

    /// The bytes of a part of the package.
    public func part(_ path: String) throws -> Data {
        guard let entry = archive[path] else { throw CocoaError(.fileNoSuchFile, userInfo: ["path": path]) }
        var data = Data()
        _ = try archive.extract(entry, skipCRC32: true) { data.append($0) }
        return data
    }

    /// The paths of the package's parts.
    public var partPaths: [String] { archive.map(\.path) }

    /// Whether the style `index` shows a date (`yyyy-mm-dd`).
    public func isDateStyle(_ index: Int) -> Bool { styleFormats[index] == "yyyy-mm-dd" }

    /// A cell's value as the text a CSV file would hold (dates as `YYYY-MM-DD`).
    public func text(of cell: Cell?) -> String {
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
        sheet.elementCounts = tree.counts
        for element in tree.all("c") {
            guard let reference = element["r"] else {
                throw XMLTree.Malformed(description: "\(path): a cell with no r")
            }
            let (row, column) = Self.split(reference)
            let type = element["t"]
            let value: String
            var attributes: [String: String] = [:]
            if type == "inlineStr" {
                let inline = element.children.first { $0.name == "is" }
                value = inline?.text ?? ""
                attributes = inline?.children.first { $0.name == "t" }?.attributes ?? [:]
            } else {
                value = element.children.first { $0.name == "v" }?.text ?? ""
            }
            let text: String
            switch type {
            case "inlineStr", "str": text = Self.decodeEscapes(value)
            case "s":
                guard let index = Int(value), sharedStrings.indices.contains(index) else {
                    throw XMLTree.Malformed(description: "\(path) \(reference): shared string \(value) out of range")
                }
                text = Self.decodeEscapes(sharedStrings[index])
            default: text = value
            }
            sheet.cells[reference] = Cell(
                reference: reference, row: row, column: column, type: type, value: value,
                style: element["s"].flatMap(Int.init) ?? 0, hasFormula: element.children.contains { $0.name == "f" },
                text: text, textAttributes: attributes)
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

    /// Decodes OOXML's `_xHHHH_` escapes (ST_Xstring) as Excel does when it reads a string.
    public static func decodeEscapes(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "_", index + 6 < scalars.count, scalars[index + 1] == "x",
                scalars[index + 6] == "_"
            {
                let hex = String(String.UnicodeScalarView(scalars[(index + 2)..<(index + 6)]))
                if hex.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }),
                    let value = UInt32(hex, radix: 16),
                    let scalar = Unicode.Scalar(value)
                {
                    out.append(scalar)
                    index += 7
                    continue
                }
            }
            out.append(scalars[index])
            index += 1
        }
        return String(out)
    }

    public static func reference(_ row: Int, _ column: Int) -> String {
        var letters = ""
        var rest = column + 1
        while rest > 0 {
            let digit = (rest - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + digit))) + letters
            rest = (rest - 1) / 26
        }
        return "\(letters)\(row + 1)"
    }

    public static func split(_ reference: String) -> (row: Int, column: Int) {
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

    public static func isoDate(serial: Int) -> String {
        let ordinal = serial - 25_569
        let date = Date(timeIntervalSince1970: TimeInterval(ordinal) * 86_400)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
