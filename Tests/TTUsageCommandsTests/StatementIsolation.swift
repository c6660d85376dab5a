import Foundation
import TTUsageTestSupport
import ZIPFoundation

/// Everything a customer's statement folder holds, as bytes to search: every file as written, every part of
/// every workbook unzipped, every header and part of every message decoded (the attached workbook unzipped
/// too), and each markup text once more with its entities resolved.
enum StatementIsolation {
    struct View {
        var name: String
        var bytes: [UInt8]
    }

    static func views(of folder: URL) throws -> [View] {
        var result: [View] = []
        let names = try FileManager.default.subpathsOfDirectory(atPath: folder.path).sorted()
        for name in names {
            let url = folder.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            let data = try Data(contentsOf: url)
            result += try views(name: name, data: data)
        }
        return result
    }

    private static func views(name: String, data: Data) throws -> [View] {
        var result = [View(name: name, bytes: Array(data))]
        if name.hasSuffix(".xlsx") {
            result += try unzipped(name: name, data: data)
        } else if name.hasSuffix(".html") {
            result.append(View(name: name + " (entities resolved)", bytes: resolved(Array(data))))
        } else if name.hasSuffix(".eml") {
            let message = try MIMEPart(message: data)
            func headers(_ part: MIMEPart) -> [String] {
                part.headers.map { "\($0.name): \(MIMEPart.decodeWords($0.value))" } + part.parts.flatMap(headers)
            }
            result.append(View(name: name + " headers", bytes: Array(headers(message).joined(separator: "\n").utf8)))
            for (index, leaf) in message.leaves.enumerated() {
                let partName = "\(name) part \(index + 1) (\(leaf.contentType))"
                result.append(View(name: partName, bytes: Array(leaf.body)))
                if leaf.contentType == "text/html" {
                    result.append(View(name: partName + " (entities resolved)", bytes: resolved(Array(leaf.body))))
                }
                if leaf.contentType.contains("spreadsheetml") {
                    result += try unzipped(name: partName, data: leaf.body)
                }
            }
        }
        return result
    }

    /// Every entry of a zip, decompressed, raw and with its XML entities resolved.
    private static func unzipped(name: String, data: Data) throws -> [View] {
        let archive = try Archive(data: data, accessMode: .read)
        var result: [View] = []
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry, skipCRC32: true) { bytes.append($0) }
            result.append(View(name: "\(name)#\(entry.path)", bytes: Array(bytes)))
            result.append(View(name: "\(name)#\(entry.path) (entities resolved)", bytes: resolved(Array(bytes))))
        }
        return result
    }

    /// Markup with XML's entities and numeric references resolved.
    static func resolved(_ bytes: [UInt8]) -> [UInt8] {
        var text = String(decoding: bytes, as: UTF8.self)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&#39;", "'")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return Array(text.replacingOccurrences(of: "&amp;", with: "&").utf8)
    }

    /// A value as it may be written in markup or a header.
    static func forms(of value: String) -> Set<String> {
        let escaped = value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return [
            value, escaped, escaped.replacingOccurrences(of: "\"", with: "&quot;"),
            escaped.replacingOccurrences(of: "\"", with: "&#34;"), value.replacingOccurrences(of: "\"", with: "\\\""),
        ]
    }

    /// `bytes` with every written form of the `own` names taken out, longest first, so that the search for
    /// another customer's `Acme` does not find it inside this customer's own `Acme Capital`.
    static func removing(_ own: [String], from bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        for form in own.flatMap(forms).sorted(by: { $0.utf8.count > $1.utf8.count }) {
            result = removing(Array(form.utf8), from: result)
        }
        return result
    }

    private static func removing(_ needle: [UInt8], from bytes: [UInt8]) -> [UInt8] {
        guard !needle.isEmpty, bytes.count >= needle.count else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if index + needle.count <= bytes.count, bytes[index] == needle[0],
                bytes[index..<(index + needle.count)].elementsEqual(needle)
            {
                result.append(0)
                index += needle.count
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }

    /// Whether `needle`'s UTF-8 bytes occur in `bytes` (Foundation's search: this runs thousands of times).
    static func contains(_ bytes: [UInt8], _ needle: String) -> Bool {
        guard !needle.isEmpty else { return false }
        return Data(bytes).range(of: Data(needle.utf8)) != nil
    }
}
