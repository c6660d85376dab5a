import UsageCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pull parser over JSON bytes, for reading report.json without building a document tree: values are read
/// where the caller expects them and everything else is skipped, so a report of a million days is read in one
/// pass with little memory.
struct JSONScanner {
    /// A syntax or type error, with the byte offset where it was found.
    struct Failure: Error {
        var message: String
        var offset: Int
    }

    private let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    // MARK: - Structure

    /// Whether the input is used up, whitespace aside.
    mutating func atEnd() -> Bool {
        skipSpace()
        return offset == bytes.count
    }

    /// The next significant byte, without consuming it; `nil` at the end.
    mutating func peek() -> UInt8? {
        skipSpace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    /// Reads an object, calling `member` with each key; `member` must read (or skip) the value.
    mutating func object(_ member: (inout JSONScanner, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), "an object")
        if peek() == UInt8(ascii: "}") {
            offset += 1
            return
        }
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw syntax("a key in quotes") }
            let key = try string()
            try expect(UInt8(ascii: ":"), "\":\" after a key")
            try member(&self, key)
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                return
            default: throw syntax("\",\" or \"}\" in an object")
            }
        }
    }

    /// Reads an array, calling `element` with each index; `element` must read (or skip) the value.
    mutating func array(_ element: (inout JSONScanner, Int) throws -> Void) throws {
        try expect(UInt8(ascii: "["), "a list")
        if peek() == UInt8(ascii: "]") {
            offset += 1
            return
        }
        var index = 0
        while true {
            try element(&self, index)
            index += 1
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                return
            default: throw syntax("\",\" or \"]\" in a list")
            }
        }
    }

    /// Skips one value of any kind.
    mutating func skipValue() throws {
        switch peek() {
        case UInt8(ascii: "{"): try object { scanner, _ in try scanner.skipValue() }
        case UInt8(ascii: "["): try array { scanner, _ in try scanner.skipValue() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case .some: _ = try number()
        case nil: throw syntax("a value")
        }
    }

    /// Skips the next value and gives back its bytes, for a member read by a `Decodable` type instead.
    mutating func rawValue() throws -> UnsafeRawBufferPointer {
        let start = peekOffset()
        try skipValue()
        return UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
    }

    // MARK: - Values

    /// Reads `null` if it comes next.
    mutating func null() throws -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// Reads a string.
    mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""), "text")
        let start = offset
        // Fast path: no escape.
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
                offset += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw syntax("no control character in text") }
            offset += 1
        }
        var scalars: [UInt8] = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard offset < bytes.count else { break }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                        bytes[offset + 1] == UInt8(ascii: "u")
                    {
                        offset += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw syntax("a low surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    scalars.append(contentsOf: String(Character(scalar)).utf8)
                default: throw syntax("a valid escape")
                }
            default:
                guard byte >= 0x20 else { throw syntax("no control character in text") }
                scalars.append(byte)
            }
        }
        throw syntax("the end of the text")
    }

    /// Reads a whole number.
    mutating func integer() throws -> Int {
        let start = peekOffset()
        if let value = plainInteger() { return value }
        let text = try number()
        guard let value = Int(text) else {
            offset = start
            throw Failure(message: "expected a whole number, found \(text)", offset: start)
        }
        return value
    }

    /// Reads a text that should be a UTC day written `YYYY-MM-DD`: the day, or `nil` and the text for a message.
    mutating func dayAndText() throws -> (day: Day?, text: String) {
        // The common case, read from the bytes where they are: `"` ten digits and dashes `"`.
        if let parsed = plainDay() { return (parsed, "") }
        let text = try string()
        return (Day(iso: text), text)
    }

    // MARK: - Exact layouts

    /// Consumes `text` when the bytes at the reading position (after whitespace) are exactly it.
    mutating func match(_ text: StaticString) -> Bool {
        let start = peekOffset()
        let count = text.utf8CodeUnitCount
        guard start + count <= bytes.count, let base = bytes.baseAddress,
            memcmp(base + start, text.utf8Start, count) == 0
        else { return false }
        offset = start + count
        return true
    }

    /// A quoted `YYYY-MM-DD` day read from the bytes, or `nil` (nothing consumed).
    mutating func plainDay() -> Day? {
        let start = peekOffset()
        guard start + 12 <= bytes.count, bytes[start] == UInt8(ascii: "\""), bytes[start + 11] == UInt8(ascii: "\""),
            bytes[start + 5] == UInt8(ascii: "-"), bytes[start + 8] == UInt8(ascii: "-"),
            let year = digits(start + 1, 4), let month = digits(start + 6, 2), let day = digits(start + 9, 2),
            let parsed = Day(year: year, month: month, day: day)
        else { return nil }
        offset = start + 12
        return parsed
    }

    /// `null` or a whole number of at most 18 digits without a sign: `.some(nil)`, `.some(value)`, or `nil`
    /// (nothing consumed) for anything else.
    mutating func plainCount() -> Int?? {
        if match("null") { return .some(nil) }
        guard peek() != UInt8(ascii: "-"), let value = plainInteger() else { return nil }
        return .some(value)
    }

    /// The number written by the `count` ASCII digits at `position`, or `nil` when one is not a digit.
    private func digits(_ position: Int, _ count: Int) -> Int? {
        var value = 0
        for index in position..<position + count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// A whole number of at most 18 digits read straight from the bytes, or `nil` (nothing consumed) for anything
    /// else (a fraction, an exponent, a longer number), which `number()` then reads as text.
    private mutating func plainInteger() -> Int? {
        var position = offset
        let negative = position < bytes.count && bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        let first = position
        var value = 0
        while position < bytes.count, position - first < 18 {
            let digit = bytes[position] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            value = value * 10 + Int(digit)
            position += 1
        }
        guard position > first else { return nil }
        if position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                UInt8(ascii: "+"), UInt8(ascii: "-"):
                return nil
            default: break
            }
        }
        offset = position
        return negative ? -value : value
    }

    /// The kind of value that comes next, for messages.
    mutating func nextKind() -> String {
        switch peek() {
        case UInt8(ascii: "{"): "an object"
        case UInt8(ascii: "["): "a list"
        case UInt8(ascii: "\""): "text"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "true or false"
        case UInt8(ascii: "n"): "null"
        case .some(UInt8(ascii: "-")), .some(UInt8(ascii: "0")...UInt8(ascii: "9")): "a number"
        default: describeNext()
        }
    }

    /// Whether a value (rather than a bracket, a comma, a colon or the end) comes next.
    mutating func valueComesNext() -> Bool {
        switch peek() {
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "t"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "-"), .some(UInt8(ascii: "0")...UInt8(ascii: "9")):
            true
        default: false
        }
    }

    /// The byte at the reading position, for messages: `"}"`, `byte 7` or `the end`.
    private func describeNext() -> String {
        guard offset < bytes.count else { return "the end" }
        let byte = bytes[offset]
        return byte >= 0x20 && byte < 0x7F ? "\"\(Character(Unicode.Scalar(byte)))\"" : "byte \(byte)"
    }

    /// The 1-based line of `offset`, for messages.
    func line(of position: Int) -> Int {
        var line = 1
        for index in 0..<min(position, bytes.count) where bytes[index] == 0x0A { line += 1 }
        return line
    }

    // MARK: - Lexing

    private mutating func skipSpace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    private mutating func peekOffset() -> Int {
        skipSpace()
        return offset
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard peek() == byte else { throw syntax(what) }
        offset += 1
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw syntax("\(word)") }
        for index in 0..<count where bytes[offset + index] != word.utf8Start[index] {
            throw syntax("\(word)")
        }
        offset += count
    }

    private mutating func number() throws -> Substring {
        let start = peekOffset()
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                offset += 1
            default:
                guard offset > start else { throw syntax("a value") }
                return Substring(
                    String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self))
            }
        }
        guard offset > start else { throw syntax("a value") }
        return Substring(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self))
    }

    private mutating func hex4() throws -> UInt32 {
        guard offset + 4 <= bytes.count else { throw syntax("four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            offset += 1
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw syntax("four hex digits")
            }
            value = value << 4 | digit
        }
        return value
    }

    private mutating func syntax(_ expected: String) -> Failure {
        Failure(message: "not valid JSON: expected \(expected), found \(describeNext())", offset: offset)
    }
}
