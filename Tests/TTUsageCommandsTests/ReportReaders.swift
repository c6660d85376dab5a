import Foundation
import TTUsageTestSupport
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Independent readers of what `ttusage` wrote, for tests that check the files rather than the code that made them.
enum ReportReaders {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: - CSV

    /// The strict RFC 4180 reader the test targets share (``CSVReader``).
    static func csvRecords(_ data: Data) throws -> [[String]] { try CSVReader.records(data) }

    /// The text a CSV cell holds for `text`: OWASP's rule, one `'` before a value that starts with `=`, `+`, `-`,
    /// `@`, a tab or a carriage return.
    static func csvNeutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else {
            return text
        }
        return "'" + text
    }

    /// Writes one CSV field with RFC 4180 quoting (for building manifests).
    static func csvQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - XLSX

    /// A workbook read back from its zip of XML parts.
    struct Workbook {
        struct Cell {
            var reference: String
            var row: Int
            var column: Int
            /// `t`: `inlineStr`, `s`, `str`, `b`, `e`, or nil for a number.
            var type: String?
            /// The text as Excel shows it: an inline or shared string with `_xHHHH_` escapes decoded, or `<v>`.
            var text: String
            /// The text as the XML holds it, before `_xHHHH_` decoding.
            var rawText: String
            var hasFormula: Bool
            /// Attributes of the inline string's `<t>`, e.g. `xml:space`.
            var textAttributes: [String: String]
        }

        struct Sheet {
            var name: String
            var path: String
            var cells: [Cell] = []
            /// Every element name of the part, with how often it occurs.
            var elementCounts: [String: Int] = [:]

            func cell(_ row: Int, _ column: Int) -> Cell? { cells.first { $0.row == row && $0.column == column } }

            /// Cells by (row, column), 0-based.
            var grid: [Int: [Int: Cell]] {
                var grid: [Int: [Int: Cell]] = [:]
                for cell in cells { grid[cell.row, default: [:]][cell.column] = cell }
                return grid
            }
        }

        let archive: Archive
        private(set) var sheets: [Sheet] = []
        private(set) var sharedStrings: [String] = []

        init(url: URL) throws {
            archive = try Archive(url: url, accessMode: .read)
            var targets: [String: String] = [:]
            for element in try XMLTree(data: part("xl/_rels/workbook.xml.rels")).all("Relationship") {
                targets[element["Id"] ?? ""] = element["Target"]
            }
            if archive["xl/sharedStrings.xml"] != nil {
                sharedStrings = try XMLTree(data: part("xl/sharedStrings.xml")).all("si").map {
                    Self.decodeEscapes($0.text)
                }
            }
            for element in try XMLTree(data: part("xl/workbook.xml")).all("sheet") {
                guard let name = element["name"], let id = element["r:id"], let target = targets[id] else {
                    throw Malformed(description: "sheet without a relationship in xl/workbook.xml")
                }
                let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
                sheets.append(try readSheet(name: name, path: path))
            }
        }

        func sheet(_ name: String) -> Sheet? { sheets.first { $0.name == name } }

        /// The paths of the package's parts.
        var partPaths: [String] { archive.map(\.path) }

        func part(_ path: String) throws -> Data {
            guard let entry = archive[path] else { throw Malformed(description: "no part \(path) in the package") }
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return data
        }

        private func readSheet(name: String, path: String) throws -> Sheet {
            let tree = try XMLTree(data: part(path))
            var sheet = Sheet(name: name, path: path)
            sheet.elementCounts = tree.counts
            for element in tree.all("c") {
                guard let reference = element["r"] else { throw Malformed(description: "\(path): a cell with no r") }
                let (row, column) = Self.split(reference)
                let type = element["t"]
                let raw: String
                var attributes: [String: String] = [:]
                switch type {
                case "inlineStr":
                    let inline = element.children.first { $0.name == "is" }
                    raw = inline?.text ?? ""
                    attributes = inline?.children.first { $0.name == "t" }?.attributes ?? [:]
                default:
                    raw = element.children.first { $0.name == "v" }?.text ?? ""
                }
                let text: String
                switch type {
                case "inlineStr", "str": text = Self.decodeEscapes(raw)
                case "s":
                    guard let index = Int(raw), sharedStrings.indices.contains(index) else {
                        throw Malformed(description: "\(path) \(reference): shared string \(raw) out of range")
                    }
                    text = sharedStrings[index]
                default: text = raw
                }
                sheet.cells.append(
                    Cell(
                        reference: reference, row: row, column: column, type: type, text: text, rawText: raw,
                        hasFormula: element.children.contains { $0.name == "f" }, textAttributes: attributes))
            }
            return sheet
        }

        /// Decodes OOXML's `_xHHHH_` escapes (ST_Xstring) as Excel does when it reads a string.
        static func decodeEscapes(_ text: String) -> String {
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
    }
}
