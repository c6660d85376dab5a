import Foundation

/// A JSON document of unknown shape, as TT's pass-through bodies are.
enum JSONValue: Sendable, Hashable, Decodable {
    /// The deepest nesting of arrays and objects read. Foundation's JSONDecoder traps on some deeply nested
    /// inputs, and no ttid answer nests more than a few levels, so deeper bodies are refused before decoding.
    static let maxDepth = 64

    /// Decodes `data`, or `nil` when it is not JSON or nests deeper than `maxDepth`.
    static func parse(_ data: Data) -> JSONValue? {
        guard nestingIsShallow(data) else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Whether the arrays and objects of `data` nest at most `maxDepth` deep (strings skipped).
    static func nestingIsShallow(_ data: Data) -> Bool {
        data.withUnsafeBytes { nestingIsShallow($0) }
    }

    private static func nestingIsShallow(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxDepth { return false }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return true
    }

    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Every failed `try?` builds a DecodingError, so the likeliest kinds of a keyusage body come first:
        // integers and the `[used, remaining]` pairs. A 250-key page of 90 days parsed in 3.2 s (debug build)
        // with booleans tried first, when each pair cost four errors and each number one.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else {
            self = .number(try container.decode(Double.self))
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var object: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    var string: String? {
        switch self {
        case .string(let value): value
        case .integer(let value): String(value)
        case .bool(let value): String(value)
        default: nil
        }
    }

    /// A whole number, from a JSON integer, an integral float or a numeric string.
    var wholeNumber: Int? {
        switch self {
        case .integer(let value): return Int(exactly: value)
        case .number(let value):
            guard value.isFinite, value.rounded() == value, abs(value) < 9e15 else { return nil }
            return Int(value)
        case .string(let text):
            return Int(text.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }
}
