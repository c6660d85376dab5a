import Foundation

/// The keys to report on, read from a CSV manifest with the header `app_key,user_id,label`.
public struct Manifest: Sendable, Hashable {
    /// One entry per distinct app key, in file order.
    public var keys: [KeyEntry]
    /// Warnings for the user (a repeated key), one line each.
    public var warnings: [String]

    public init(keys: [KeyEntry], warnings: [String] = []) {
        self.keys = keys
        self.warnings = warnings
    }

    /// Reads and checks the manifest at `path`.
    public static func load(path: String) throws(ManifestError) -> Manifest {
        let name = (path as NSString).lastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ManifestError(file: path, line: nil, message: "does not exist", category: .noInput)
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw ManifestError(file: name, line: nil, message: "cannot be read", category: .noInput)
        }
        return try parse(data, name: name)
    }

    /// Parses manifest bytes; `name` is used in messages.
    public static func parse(_ data: Data, name: String) throws(ManifestError) -> Manifest {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw ManifestError(
                file: name, line: firstLineNotUTF8(bytes), message: "is not UTF-8 text", category: .dataError)
        }
        let records: [CSVRecordReader.Record]
        do {
            records = try CSVRecordReader.records(in: text)
        } catch {
            throw ManifestError(file: name, line: error.line, message: error.message, category: .dataError)
        }
        guard let header = records.first else {
            throw ManifestError(
                file: name, line: nil, message: "is empty: expected the header app_key,user_id,label",
                category: .dataError)
        }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let keyColumn = columns.firstIndex(of: "app_key"), let userColumn = columns.firstIndex(of: "user_id")
        else {
            throw ManifestError(
                file: name, line: header.line,
                message:
                    "the header must name the columns app_key,user_id,label (found \(header.fields.joined(separator: ",")))",
                category: .dataError)
        }
        let labelColumn = columns.firstIndex(of: "label")
        var keys: [KeyEntry] = []
        var warnings: [String] = []
        // GUIDs are case-insensitive: the same key written in two cases is one key, fetched with its first spelling.
        var firstLine: [String: (line: Int, index: Int)] = [:]
        // The lines that repeat each kept key (by its index), with what they wrote.
        var repeats: [Int: [(entry: KeyEntry, line: Int)]] = [:]
        for record in records.dropFirst() {
            func field(_ column: Int?) -> String {
                guard let column, column < record.fields.count else { return "" }
                return record.fields[column]
            }
            let appKey = trimmed(field(keyColumn))
            let userId = trimmed(field(userColumn))
            guard isApplicationKey(appKey) else {
                throw ManifestError(
                    file: name, line: record.line,
                    message: "app_key \"\(appKey.prefix(80))\" is not a TT application key", category: .dataError)
            }
            guard !userId.isEmpty else {
                throw ManifestError(
                    file: name, line: record.line, message: "user_id is missing for app_key \(appKey)",
                    category: .dataError)
            }
            guard userId.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
                throw ManifestError(
                    file: name, line: record.line,
                    message: "user_id \"\(userId.prefix(80))\" of app_key \(appKey) is not a TT user id (digits only)",
                    category: .dataError)
            }
            let folded = appKey.lowercased()
            if let first = firstLine[folded] {
                repeats[first.index, default: []].append(
                    (KeyEntry(appKey: appKey, userId: userId, label: field(labelColumn)), record.line))
                continue
            }
            firstLine[folded] = (record.line, keys.count)
            keys.append(KeyEntry(appKey: appKey, userId: userId, label: field(labelColumn)))
        }
        for (index, lines) in repeats.sorted(by: { $0.key < $1.key }) {
            guard let first = firstLine[keys[index].appKey.lowercased()] else { continue }
            warnings.append(Self.repeatWarning(file: name, kept: keys[index], line: first.line, repeats: lines))
        }
        guard !keys.isEmpty else {
            throw ManifestError(file: name, line: nil, message: "has no keys below its header", category: .dataError)
        }
        return Manifest(keys: keys, warnings: warnings)
    }

    /// One warning for a key written on several lines: which line is kept (its spelling, user id and label), which
    /// lines repeat it, whether one differs only in case, and what of theirs is not used.
    static func repeatWarning(file: String, kept: KeyEntry, line: Int, repeats: [(entry: KeyEntry, line: Int)])
        -> String
    {
        let lines = repeats.map { String($0.line) }.joined(separator: ", ")
        var text =
            "\(file) line\(repeats.count == 1 ? "" : "s") \(lines): app_key \(kept.appKey) repeats line \(line); it is "
            + "fetched once, as line \(line) writes it (user id \(kept.userId), label \"\(kept.label.prefix(80))\")"
        let cased = repeats.filter { $0.entry.appKey != kept.appKey }
        if !cased.isEmpty {
            text +=
                "; line \(cased.map { String($0.line) }.joined(separator: ", ")) writes it in another case "
                + "(\(cased[0].entry.appKey)): GUIDs ignore case, so it is the same key"
        }
        var unused: [String] = []
        for repeated in repeats {
            if repeated.entry.userId != kept.userId {
                unused.append("line \(repeated.line)'s user id \(repeated.entry.userId)")
            }
            if repeated.entry.label != kept.label {
                unused.append("line \(repeated.line)'s label \"\(repeated.entry.label.prefix(80))\"")
            }
        }
        if !unused.isEmpty { text += "; not used: " + unused.joined(separator: ", ") }
        return text
    }

    /// The line (1 the first) that holds the first byte sequence that is not UTF-8, or `nil` when all are.
    static func firstLineNotUTF8(_ bytes: Data) -> Int? {
        var line = 1
        for piece in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if String(validating: piece, as: UTF8.self) == nil { return line }
            line += 1
        }
        return nil
    }

    /// Whether `text` is a TT application key: a GUID of 8-4-4-4-12 hex digits, in any case.
    public static func isApplicationKey(_ text: String) -> Bool {
        // One pass over the bytes: a 100,000-row manifest checks 3.6 million of them.
        var count = 0
        for byte in text.utf8 {
            switch count {
            case 8, 13, 18, 23:
                guard byte == UInt8(ascii: "-") else { return false }
            default:
                guard hexDigit(byte) else { return false }
            }
            count += 1
            if count > 36 { return false }
        }
        return count == 36
    }

    private static func hexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            true
        default: false
        }
    }

    /// `text` without the white space (`CharacterSet.whitespaces`) at either end; when there is none, the usual
    /// case, without the trip through Foundation's `trimmingCharacters`.
    static func trimmed(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return text }
        guard CharacterSet.whitespaces.contains(first) || CharacterSet.whitespaces.contains(last) else { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }
}

/// A manifest that cannot be used.
public struct ManifestError: CategorizedError, Hashable {
    public var file: String
    /// The line at fault (the header is line 1), when one is.
    public var line: Int?
    public var message: String
    public var category: ExitCategory

    public var description: String {
        if let line { return "\(file) line \(line): \(message)" }
        return "\(file) \(message)"
    }
}
