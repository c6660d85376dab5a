import Foundation

/// The textual rules of the service: request IDs, GUIDs, form bodies and paging tokens.
enum SandboxSyntax {
    /// `<app>-<company>--<guid>`: names of ASCII letters, digits, `_` and `.`; a GUID 8-4-4-4-12 of hex digits.
    static func isRequestID(_ text: String) -> Bool {
        guard let separator = text.range(of: "--") else { return false }
        let names = text[..<separator.lowerBound].split(separator: "-", omittingEmptySubsequences: false)
        guard names.count == 2 else { return false }
        for name in names {
            guard !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isNameCharacter) else { return false }
        }
        return Self.isGUID(text[separator.upperBound...])
    }

    /// Whether `text` is a GUID: 8-4-4-4-12 hex digits of either case (Foundation's reading of a UUID).
    static func isGUID(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 36 && UUID(uuidString: String(text)) != nil
    }

    /// An `application/x-www-form-urlencoded` body; the first value of each name wins.
    static func decodeForm(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.formDecode(parts[0])
            let value = parts.count > 1 ? Self.formDecode(parts[1]) : ""
            if fields[name] == nil {
                fields[name] = value
            }
        }
        return fields
    }

    /// The opaque `position` of a paged answer: the same request always gets the same token.
    ///
    /// It is standard Base64, so it may hold `+` and `/`: a client has to percent-encode it when it sends it back.
    static func position(seed: UInt64, appKey: String, start: SandboxDay, end: SandboxDay) -> String {
        var bytes: [UInt8] = []
        for salt in ["a", "b", "c"] {
            var value = SandboxHash.of(seed: seed, "position", salt, appKey, start.text, end.text)
            for _ in 0..<8 {
                bytes.append(UInt8(truncatingIfNeeded: value))
                value >>= 8
            }
        }
        return Data(bytes).base64EncodedString()
    }

    /// The other key whose series fills the first page of a paged answer.
    static func decoyKey(seed: UInt64, appKey: String) -> String {
        let high = SandboxHash.of(seed: seed, "decoy-high", appKey)
        let low = SandboxHash.of(seed: seed, "decoy-low", appKey)
        let hex = Self.hex(high) + Self.hex(low)
        let cuts = [8, 4, 4, 4, 12]
        var parts: [Substring] = []
        var rest = Substring(hex)
        for length in cuts {
            parts.append(rest.prefix(length))
            rest = rest.dropFirst(length)
        }
        return parts.joined(separator: "-")
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", ".": return true
        default: return false
        }
    }

    private static func formDecode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
