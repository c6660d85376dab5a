import Foundation

/// The encodings a statement.eml is written in: RFC 2045's quoted-printable and base64 bodies, RFC 2047's
/// encoded words for header text that is not plain ASCII, and RFC 5322's folding of long header lines.
/// Hand-written because no Swift package mirrored for this project writes MIME; each rule is a few lines.
enum MIMEText {
    static let crlf = "\r\n"

    /// Whether `text` can stand in a header as it is: printable ASCII and spaces only.
    static func isPlain(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) }
    }

    /// `text` with control characters (line breaks included) as spaces: header text is one line.
    static func oneLine(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar)
        }
        return String(scalars)
    }

    /// An unstructured header (`Subject`): folded at spaces when plain, else RFC 2047 encoded words.
    static func unstructured(_ name: String, _ value: String) -> String {
        let text = oneLine(value)
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        guard isPlain(text), words.allSatisfy({ $0.count <= 70 }) else {
            return "\(name): " + encodedWords(text)
        }
        var lines: [String] = []
        var line = "\(name):"
        for word in words {
            if line.count + 1 + word.count > 78, line.count > name.count + 1 {
                lines.append(line)
                line = ""
            }
            line += " " + word
        }
        lines.append(line)
        return lines.joined(separator: crlf)
    }

    /// A mailbox, `"Name" <local@domain>` (the name in encoded words when it is not plain or long), or the bare
    /// address.
    static func mailbox(_ address: String, name: String?) -> String {
        guard let name = name.map(oneLine), !name.trimmingCharacters(in: .whitespaces).isEmpty else { return address }
        if isPlain(name), name.count <= 60 {
            let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(quoted)\" <\(address)>"
        }
        return encodedWords(name) + crlf + " <\(address)>"
    }

    /// An address list header (`To`, `Cc`): one mailbox a line after the first.
    static func addressList(_ name: String, _ mailboxes: [String]) -> String {
        "\(name): " + mailboxes.joined(separator: "," + crlf + " ")
    }

    /// RFC 2047 `B` encoded words of UTF-8, one a line, split between characters (never inside one), so that no
    /// line passes 76 characters: the first word, after a header name of up to 9 characters (`Subject: `), holds
    /// 39 bytes, the others 45.
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        var limit = 39
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
            chunk = []
            limit = 45
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > limit { flush() }
            if bytes.count > limit {
                // A character longer than a word (a long emoji sequence) goes by its scalars.
                for scalar in character.unicodeScalars {
                    let scalarBytes = Array(String(scalar).utf8)
                    if chunk.count + scalarBytes.count > limit { flush() }
                    chunk += scalarBytes
                }
                continue
            }
            chunk += bytes
        }
        flush()
        return words.isEmpty ? "=?UTF-8?B??=" : words.joined(separator: crlf + " ")
    }

    /// Quoted-printable (RFC 2045 6.7) of UTF-8 text: line breaks become CRLF, lines at most 76 characters with
    /// soft breaks, `=` and bytes outside printable ASCII as `=XX`, a space or tab at a line's end encoded, and a
    /// `.` or `F` that would start a line encoded too (a lone `.` ends a message for `sendmail -t`, `From ` at a
    /// line's start is changed by mbox files).
    static func quotedPrintable(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var output: [UInt8] = []
        output.reserveCapacity(normalized.utf8.count + normalized.utf8.count / 8)
        let hex = Array("0123456789ABCDEF".utf8)
        let lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
        for (lineIndex, line) in lines.enumerated() {
            let bytes = Array(line.utf8)
            var column = 0
            for (index, byte) in bytes.enumerated() {
                let last = index == bytes.count - 1
                var encode =
                    !(((33...126).contains(byte) && byte != UInt8(ascii: "="))
                    || ((byte == 0x20 || byte == 0x09) && !last))
                if column + (encode ? 3 : 1) > 75 {
                    output += Array("=\r\n".utf8)
                    column = 0
                }
                if column == 0 && (byte == UInt8(ascii: ".") || byte == UInt8(ascii: "F")) { encode = true }
                if encode {
                    output += [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                    column += 3
                } else {
                    output.append(byte)
                    column += 1
                }
            }
            if lineIndex < lines.count - 1 { output += [0x0D, 0x0A] }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Base64 in lines of 76 characters ending in CRLF.
    static func base64(_ data: Data) -> String {
        let text = Array(data.base64EncodedString().utf8)
        var lines: [String] = []
        lines.reserveCapacity(text.count / 76 + 1)
        var start = 0
        while start < text.count {
            let end = min(start + 76, text.count)
            lines.append(String(decoding: text[start..<end], as: UTF8.self))
            start = end
        }
        return lines.joined(separator: crlf)
    }

    /// `Mon, 07 Dec 2026 09:00:00 +0000`: RFC 5322's date-time, in UTC.
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
