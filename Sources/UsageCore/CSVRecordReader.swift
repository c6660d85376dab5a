/// Reads RFC 4180 CSV records, knowing the line each record starts on.
///
/// Written by hand rather than taken from a CSV package because error messages must name the physical line a
/// record starts on (quoted fields may span lines) and an unterminated quote must be an error, not a silent
/// merge of the rest of the file.
struct CSVRecordReader {
    struct Record {
        /// The 1-based physical line the record starts on.
        var line: Int
        var fields: [String]
    }

    struct Malformed: Error {
        var line: Int
        var message: String
    }

    /// Splits `text` (BOM already removed) into records; blank lines are skipped.
    static func records(in text: String) throws(Malformed) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedField = false
        var afterQuote = false
        var quoteStartLine = 1
        let bytes = Array(text.utf8)
        var index = 0

        func finishField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quotedField = false
            afterQuote = false
        }
        func finishRecord() {
            finishField()
            let blank = fields.count == 1 && fields[0].isEmpty
            if !blank { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                finishField()
            case UInt8(ascii: "\r"):
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                finishRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\n"):
                finishRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\""):
                if field.isEmpty && !quotedField && !afterQuote {
                    inQuotes = true
                    quotedField = true
                    quoteStartLine = line
                } else {
                    throw Malformed(line: line, message: "a quote inside an unquoted field (RFC 4180: quote the field)")
                }
            default:
                if afterQuote {
                    if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { break }
                    throw Malformed(line: line, message: "text after a closing quote")
                }
                field.append(byte)
            }
            index += 1
        }
        if inQuotes { throw Malformed(line: quoteStartLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || quotedField { finishRecord() }
        return records
    }
}
