import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The files of one render: each is written to a temporary file beside its target and, once every file is
/// written, all are renamed into place. Should anything fail before that, the temporary files are removed and the
/// report files already there stay as they were.
final class OutputStage {
    private struct Entry {
        var temporary: URL
        var target: URL
    }

    let directory: URL
    private var entries: [Entry] = []
    private let token = UUID().uuidString.prefix(8)

    /// Prepares `directory`, creating it when missing.
    init(directory: URL) throws {
        self.directory = directory
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ReportError.cannotWrite(path: directory.path, reason: "not a directory")
            }
        } else {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw ReportError.cannotWrite(path: directory.path, reason: "the folder cannot be created")
            }
        }
    }

    deinit { discard() }

    /// A new temporary file's URL for the report file `name` (created by the caller).
    func temporaryURL(for name: String) -> URL {
        let temporary = directory.appendingPathComponent(".\(name).\(token).tmp")
        entries.append(Entry(temporary: temporary, target: directory.appendingPathComponent(name)))
        return temporary
    }

    /// Renames every temporary file into place, in the order they were made; returns the report files.
    func commit() throws -> [URL] {
        var done: [URL] = []
        for (index, entry) in entries.enumerated() {
            guard rename(entry.temporary.path, entry.target.path) == 0 else {
                let reason = ByteSink.lastError()
                entries.removeFirst(index)
                throw ReportError.cannotWrite(path: entry.target.path, reason: reason)
            }
            done.append(entry.target)
        }
        entries = []
        return done
    }

    /// Removes every temporary file not yet renamed.
    func discard() {
        for entry in entries { _ = unlink(entry.temporary.path) }
        entries = []
    }
}
