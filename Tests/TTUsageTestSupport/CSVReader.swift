import Foundation

/// CSV as the writers wrote it, read back for the tests (one reader for every test target).
public enum CSVReader {
    /// The bytes are not the CSV RFC 4180 describes.
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) { self.description = description }
    }

    /// A strict RFC 4180 reader: records end with CRLF or LF outside quotes; a quote may only open a field or be
    /// doubled inside a quoted one; a bare CR outside quotes, text after a closing quote, an unterminated quote or
    /// bytes that are not UTF-8 are errors, not guesses. A byte order mark is *not* removed: it would show in the
    /// first field, which is what a header check must see.
    public static func records(_ data: Data) throws -> [[String]] {
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
                throw CSVReader.Malformed(description: "record \(records.count + 1): a field that is not UTF-8")
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
                        throw CSVReader.Malformed(
                            description: "record \(records.count + 1): text after a closing quote")
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
                    throw CSVReader.Malformed(description: "record \(records.count + 1): a bare CR outside quotes")
                }
                index += 1
                try endRecord()
            case UInt8(ascii: "\""):
                guard field.isEmpty, !wasQuoted else {
                    throw CSVReader.Malformed(
                        description: "record \(records.count + 1): a quote inside an unquoted field")
                }
                quoted = true
                wasQuoted = true
            default:
                field.append(byte)
            }
            index += 1
        }
        if quoted {
            throw CSVReader.Malformed(description: "record \(records.count + 1): a quoted field is never closed")
        }
        if !recordStart { try endRecord() }
        return records
    }

    /// The records of `text` with a leading byte order mark dropped (for tests of content, not of the BOM).
    public static func rows(_ text: String) throws -> [[String]] {
        let content = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        return try records(Data(content.utf8))
    }
}
