import Foundation

/// Reads back an RFC 5322 message with MIME parts (RFC 2045/2046) as a mail client would: headers unfolded and
/// RFC 2047 words decoded, multiparts split at their boundaries, bodies decoded from quoted-printable or base64.
/// Strict where a writer can go wrong: every line ends in CRLF and holds at most 998 characters, every header
/// line is printable ASCII, a multipart has its closing boundary, a base64 or quoted-printable body decodes.
public struct MIMEPart {
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    /// The headers in order, unfolded, their values as written (encoded words not decoded).
    public var headers: [(name: String, value: String)]
    /// The decoded body of a leaf part; empty for a multipart.
    public var body: Data
    /// The parts of a multipart, in order.
    public var parts: [MIMEPart]

    /// The first header `name` (case-insensitive), as written.
    public func rawHeader(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The first header `name` with its encoded words decoded.
    public func header(_ name: String) -> String? { rawHeader(name).map(MIMEPart.decodeWords) }

    /// `type/subtype`, lowercased; `text/plain` when there is no Content-Type.
    public var contentType: String {
        let value = rawHeader("Content-Type") ?? "text/plain"
        return (value.split(separator: ";").first.map(String.init) ?? value).trimmingCharacters(in: .whitespaces)
            .lowercased()
    }

    /// A parameter of a header (`boundary`, `charset`, `filename`), unquoted.
    public func parameter(_ name: String, of header: String) -> String? {
        guard let value = rawHeader(header) else { return nil }
        for item in value.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name.lowercased() else { continue }
            var text = pair[1]
            if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
                text = String(text.dropFirst().dropLast())
            }
            return text
        }
        return nil
    }

    /// Every leaf part, depth first.
    public var leaves: [MIMEPart] { parts.isEmpty ? [self] : parts.flatMap(\.leaves) }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Parses a whole message.
    public init(message data: Data) throws {
        let lines = try MIMEPart.lines(of: data)
        try self.init(lines: lines[...])
    }

    private init(lines: ArraySlice<String>) throws {
        var headers: [(name: String, value: String)] = []
        var index = lines.startIndex
        while index < lines.endIndex, !lines[index].isEmpty {
            let line = lines[index]
            guard line.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) || $0 == "\t" }) else {
                throw Malformed(description: "a header line that is not printable ASCII: \(line)")
            }
            if line.first == " " || line.first == "\t" {
                guard !headers.isEmpty else { throw Malformed(description: "a continuation line with no header") }
                headers[headers.count - 1].value += line
            } else {
                guard let colon = line.firstIndex(of: ":") else {
                    throw Malformed(description: "a header line with no colon: \(line)")
                }
                headers.append(
                    (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            index += 1
        }
        guard index < lines.endIndex else { throw Malformed(description: "no blank line after the headers") }
        self.headers = headers.map { ($0.name, $0.value.trimmingCharacters(in: .whitespaces)) }
        let bodyLines = lines[(index + 1)...]
        body = Data()
        parts = []
        if contentType.hasPrefix("multipart/") {
            guard let boundary = parameter("boundary", of: "Content-Type"), !boundary.isEmpty else {
                throw Malformed(description: "a multipart with no boundary")
            }
            var current: [String]?
            var closed = false
            for line in bodyLines {
                if line == "--" + boundary {
                    if let current { parts.append(try MIMEPart(lines: current[...])) }
                    current = []
                } else if line == "--" + boundary + "--" {
                    if let current { parts.append(try MIMEPart(lines: current[...])) }
                    closed = true
                    break
                } else {
                    current?.append(line)
                }
            }
            guard closed else { throw Malformed(description: "multipart \(boundary) is not closed") }
            guard !parts.isEmpty else { throw Malformed(description: "multipart \(boundary) has no part") }
        } else {
            body = try MIMEPart.decode(Array(bodyLines), encoding: rawHeader("Content-Transfer-Encoding"))
        }
    }

    /// The message's lines: CRLF ends every line, none longer than 998 characters.
    private static func lines(of data: Data) throws -> [String] {
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        for (number, line) in lines.enumerated() {
            if line.contains("\n") || line.contains("\r") {
                throw Malformed(description: "line \(number + 1) has a bare CR or LF")
            }
            if line.utf8.count > 998 { throw Malformed(description: "line \(number + 1) is over 998 characters") }
        }
        return lines
    }

    private static func decode(_ lines: [String], encoding: String?) throws -> Data {
        switch encoding?.lowercased() ?? "7bit" {
        case "base64":
            guard let data = Data(base64Encoded: lines.joined()) else {
                throw Malformed(description: "a base64 body that does not decode")
            }
            return data
        case "quoted-printable":
            var bytes: [UInt8] = []
            for (index, line) in lines.enumerated() {
                if line.utf8.count > 76 { throw Malformed(description: "a quoted-printable line over 76 characters") }
                var utf8 = Array(line.utf8)
                let soft = utf8.last == UInt8(ascii: "=")
                if soft { utf8.removeLast() }
                var position = 0
                while position < utf8.count {
                    if utf8[position] == UInt8(ascii: "=") {
                        guard position + 2 < utf8.count,
                            let value = UInt8(
                                String(decoding: utf8[(position + 1)...(position + 2)], as: UTF8.self), radix: 16)
                        else { throw Malformed(description: "a bad =XX escape in quoted-printable: \(line)") }
                        bytes.append(value)
                        position += 3
                    } else {
                        bytes.append(utf8[position])
                        position += 1
                    }
                }
                if !soft && index < lines.count - 1 { bytes += [0x0D, 0x0A] }
            }
            return Data(bytes)
        default:
            return Data(lines.joined(separator: "\r\n").utf8)
        }
    }

    /// RFC 2047: `=?charset?B|Q?text?=` words decoded (UTF-8), white space between two words dropped.
    public static func decodeWords(_ value: String) -> String {
        var result = ""
        var rest = Substring(value)
        var lastWasWord = false
        while let start = rest.range(of: "=?") {
            let between = rest[..<start.lowerBound]
            guard let word = encodedWord(rest[start.lowerBound...]) else {
                result += rest[..<start.upperBound]
                rest = rest[start.upperBound...]
                lastWasWord = false
                continue
            }
            if !(lastWasWord && between.allSatisfy(\.isWhitespace)) { result += between }
            result += word.text
            rest = rest[word.end...]
            lastWasWord = true
        }
        return result + rest
    }

    private static func encodedWord(_ text: Substring) -> (text: String, end: Substring.Index)? {
        let pieces = text.dropFirst(2).split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
        guard pieces.count == 4, pieces[3].hasPrefix("="), pieces[0].lowercased() == "utf-8" else { return nil }
        let payload = pieces[2]
        let end = pieces[3].index(after: pieces[3].startIndex)
        switch pieces[1].uppercased() {
        case "B":
            guard let data = Data(base64Encoded: String(payload)) else { return nil }
            return (String(decoding: data, as: UTF8.self), end)
        case "Q":
            var bytes: [UInt8] = []
            var utf8 = Array(payload.utf8)[...]
            while let byte = utf8.popFirst() {
                if byte == UInt8(ascii: "_") {
                    bytes.append(0x20)
                } else if byte == UInt8(ascii: "="), utf8.count >= 2,
                    let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
                {
                    bytes.append(value)
                    utf8 = utf8.dropFirst(2)
                } else {
                    bytes.append(byte)
                }
            }
            return (String(decoding: bytes, as: UTF8.self), end)
        default: return nil
        }
    }
}
