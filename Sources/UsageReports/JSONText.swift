import Foundation
import UsageAnalysis
import UsageCore

/// Writes JSON values as UTF-8 bytes: strings escaped per RFC 8259, numbers without exponent where possible.
enum JSONText {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string.
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends `"name": `.
    @inline(__always)
    static func appendKey(_ name: String, to bytes: inout [UInt8]) {
        appendString(name, to: &bytes)
        bytes.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
    }

    static func appendOptionalInteger(_ value: Int?, to bytes: inout [UInt8]) {
        if let value { TextEncoding.appendInteger(value, to: &bytes) } else { appendNull(to: &bytes) }
    }

    /// Appends an exact decimal with exactly `places` places, or `null`.
    static func appendOptionalDecimal(_ value: Decimal?, places: Int, to bytes: inout [UInt8]) {
        if let value {
            bytes.append(contentsOf: ExactFigures.text(value, places: places).utf8)
        } else {
            appendNull(to: &bytes)
        }
    }

    static func appendOptionalDay(_ value: Day?, to bytes: inout [UInt8]) {
        if let value { appendString(value.isoText, to: &bytes) } else { appendNull(to: &bytes) }
    }

    static func appendNull(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    /// Appends one table cell: text and dates as strings, numbers, or `null`.
    static func appendCell(_ cell: ReportCell, to bytes: inout [UInt8]) {
        switch cell {
        case let .text(text): appendString(text, to: &bytes)
        case let .integer(value): TextEncoding.appendInteger(value, to: &bytes)
        case let .decimal(value, places):
            bytes.append(contentsOf: ReportCell.decimalText(value, places: places).utf8)
        case let .date(day): appendString(day.isoText, to: &bytes)
        case let .money(amount, currency): appendString(Money.text(amount, currency: currency), to: &bytes)
        case .empty: appendNull(to: &bytes)
        }
    }

    /// `2026-11-01T08:00:00Z`: whole seconds, UTC.
    static func timestamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = Day(ordinal: Int((Double(seconds) / 86_400).rounded(.down)))
        let secondOfDay = seconds - day.ordinal * 86_400
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(day.isoText)T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
    }

    /// Parses an ISO 8601 timestamp with a zone (`Z` or an offset), with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
