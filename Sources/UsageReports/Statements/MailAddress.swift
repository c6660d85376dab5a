import Foundation

/// An e-mail address as RFC 5322 writes it without comments or quoted local parts: `local@domain.example`,
/// optionally with a display name (`Billing <billing@tt.example>`). Only ASCII: a statement's headers carry no
/// internationalised address, which not every transfer agent accepts.
public struct MailAddress: Sendable, Hashable {
    /// The addr-spec, `local@domain`.
    public var address: String
    /// The display name, when given.
    public var name: String?

    /// `address` when it is a valid addr-spec (dot-atom local part, a domain of at least two labels).
    public init?(address: String) {
        guard MailAddress.isValid(address) else { return nil }
        self.address = address
        self.name = nil
    }

    /// `Name <local@domain>` or a bare `local@domain`.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else {
            self.init(address: trimmed)
            return
        }
        let spec = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        var name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
        guard MailAddress.isValid(spec), !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return nil }
        self.init(spec: spec, name: name.isEmpty ? nil : name)
    }

    private init(spec: String, name: String?) {
        self.address = spec
        self.name = name
    }

    /// The domain part, for the Message-ID.
    public var domain: String {
        String(address[address.index(after: address.lastIndex(of: "@") ?? address.startIndex)...])
    }

    /// Whether `text` is an addr-spec this tool writes: RFC 5322's dot-atom on both sides of one `@`, the local
    /// part at most 64 characters, the domain labels of letters, digits and inner hyphens, at most 254 in all.
    public static func isValid(_ text: String) -> Bool {
        guard text.utf8.count <= 254, let at = text.lastIndex(of: "@") else { return false }
        let local = text[..<at]
        let domain = text[text.index(after: at)...]
        guard !local.isEmpty, local.utf8.count <= 64 else { return false }
        let atoms = local.split(separator: ".", omittingEmptySubsequences: false)
        guard atoms.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy(isAtomText) }) else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy {
                    $0.isASCII && ($0.properties.isAlphabetic || isDigit($0) || $0 == "-")
                }
        }
    }

    /// RFC 5322 `atext`: ASCII letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
    private static func isAtomText(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return false }
        if scalar.properties.isAlphabetic || isDigit(scalar) { return true }
        return "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
}
