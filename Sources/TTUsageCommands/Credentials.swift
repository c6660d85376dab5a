import Foundation
import TTID
import UsageCore

/// Where the credentials come from: `TT_APP_KEY` / `TT_APP_SECRET`, or a file only its owner can read.
/// Never from an option value, which every user of the machine can see.
enum CredentialSource {
    static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> TTCredentials
    {
        let credentials = try read(file: file, environment: environment)
        // Refused here rather than sent: the service's answer to a malformed key is a bare 403.
        guard Manifest.isApplicationKey(credentials.appKey) else {
            throw CommandError(
                "\(file.map { "credentials file \(($0 as NSString).lastPathComponent): " } ?? "")TT_APP_KEY is not a TT "
                    + "application key (a GUID of 8-4-4-4-12 hex digits, as TT Setup shows it)",
                category: .usage)
        }
        return credentials
    }

    private static func read(file: String?, environment: [String: String]) throws -> TTCredentials {
        if let file { return try fromFile(file) }
        guard let key = environment["TT_APP_KEY"], !key.isEmpty, let secret = environment["TT_APP_SECRET"],
            !secret.isEmpty
        else {
            throw CommandError(
                "missing credentials: set TT_APP_KEY and TT_APP_SECRET (the secret bare or as TT Setup's key:secret), or give --credentials FILE",
                category: .usage)
        }
        return TTCredentials(appKey: key, secret: secret)
    }

    /// A file of `TT_APP_KEY=…` and `TT_APP_SECRET=…` lines (`app_key:` / `secret:` and a leading `export` also
    /// read); `#` starts a comment.
    static func fromFile(_ path: String) throws -> TTCredentials {
        let name = (path as NSString).lastPathComponent
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CommandError("credentials file \(name): no such file", category: .noInput)
        }
        guard info.st_mode & 0o077 == 0 else {
            throw CommandError(
                "credentials file \(name) can be read by group or others (mode \(String(info.st_mode & 0o777, radix: 8))): run chmod 600 \(path)",
                category: .usage)
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw CommandError("credentials file \(name) cannot be read", category: .noInput) }
        var values: [String: String] = [:]
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            // The README's `export TT_APP_KEY=…` lines, pasted as they are.
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw CommandError(
                    "credentials file \(name) line \(index + 1): expected NAME=value", category: .dataError)
            }
            var value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            let key = line[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            switch key {
            case "tt_app_key", "app_key", "appkey", "key": values["key"] = value
            case "tt_app_secret", "app_secret", "secret": values["secret"] = value
            default: continue
            }
        }
        guard let key = values["key"], !key.isEmpty, let secret = values["secret"], !secret.isEmpty else {
            throw CommandError(
                "credentials file \(name) must hold TT_APP_KEY=… and TT_APP_SECRET=…", category: .dataError)
        }
        return TTCredentials(appKey: key, secret: secret)
    }
}
