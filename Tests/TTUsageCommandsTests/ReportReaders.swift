import Foundation
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

    /// A strict RFC 4180 reader: records end with CRLF or LF outside quotes; a quote may only open a field or be
    /// doubled inside a quoted one; a bare CR outside quotes, text after a closing quote, an unterminated quote or
    /// bytes that are not UTF-8 are errors, not guesses. A byte order mark is *not* removed: it would show in the
    /// first field, which is what a header check must see.
    static func csvRecords(_ data: Data) throws -> [[String]] {
        let bytes = [UInt8](data)
        var records: [[String]] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        var index = 0
        var recordStart = true

        func text(_ bytes: [UInt8]) throws -> String {
            guard let string = String(bytes: bytes, encoding: .utf8) else {
                throw Malformed(description: "record \(records.count + 1): a field that is not UTF-8")
            }
            return string
        }
        func endField() throws {
            fields.append(try text(field))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRecord() throws {
            try endField()
            records.append(fields)
            fields.removeAll()
            recordStart = true
        }

        while index < bytes.count {
            let byte = bytes[index]
            recordStart = false
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 2
                        continue
                    }
                    quoted = false
                    // What follows a closing quote must end the field or the record.
                    let next = index + 1 < bytes.count ? bytes[index + 1] : nil
                    if let next, next != UInt8(ascii: ","), next != 0x0A, next != 0x0D {
                        throw Malformed(description: "record \(records.count + 1): text after a closing quote")
                    }
                } else {
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                try endField()
            case 0x0A:
                try endRecord()
            case 0x0D:
                guard index + 1 < bytes.count, bytes[index + 1] == 0x0A else {
                    throw Malformed(description: "record \(records.count + 1): a bare CR outside quotes")
                }
                index += 1
                try endRecord()
            case UInt8(ascii: "\""):
                guard field.isEmpty, !wasQuoted else {
                    throw Malformed(description: "record \(records.count + 1): a quote inside an unquoted field")
                }
                quoted = true
                wasQuoted = true
            default:
                field.append(byte)
            }
            index += 1
        }
        if quoted { throw Malformed(description: "record \(records.count + 1): a quoted field is never closed") }
        if !recordStart { try endRecord() }
        return records
    }

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

    /// A parsed XML part: elements with attributes, children and text.
    final class XMLTree: NSObject, XMLParserDelegate {
        final class Element {
            let name: String
            let attributes: [String: String]
            var children: [Element] = []
            var ownText = ""

            init(name: String, attributes: [String: String]) {
                self.name = name
                self.attributes = attributes
            }

            subscript(attribute: String) -> String? { attributes[attribute] }

            var text: String { ownText + children.map(\.text).joined() }
        }

        private var stack: [Element] = []
        private var index: [String: [Element]] = [:]
        private var failure: Error?

        init(data: Data) throws {
            super.init()
            let parser = XMLParser(data: data)
            parser.delegate = self
            guard parser.parse() else {
                throw Malformed(description: "XML does not parse: \(String(describing: parser.parserError ?? failure))")
            }
        }

        func all(_ name: String) -> [Element] { index[name] ?? [] }

        var counts: [String: Int] { index.mapValues(\.count) }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let element = Element(name: elementName, attributes: attributes)
            stack.last?.children.append(element)
            stack.append(element)
            index[elementName, default: []].append(element)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.ownText += string
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            failure = parseError
        }
    }
}
