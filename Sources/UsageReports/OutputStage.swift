import Foundation
import Synchronization
import UsageCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The files of one render, built apart and switched in at once.
///
/// The files are written into a staging folder beside the report folder (`.NAME.ttusage-stage-TOKEN`, the same
/// file system), each flushed to the disk. The commit records what the run wrote (``OutputRecord``), carries over
/// the report folder's files that ttusage did not write (hard links; folders are moved), and exchanges the two
/// folders with one `renameat2(RENAME_EXCHANGE)`: a reader sees the previous report whole or the new one whole,
/// and a `kill -9` at any moment leaves one of them. The folder switched out is then removed. Whatever a killed
/// run left beside the folder is removed by the next run (``OutputLeftovers``). The process holds the folder's
/// lock (``OutputLock``) throughout.
public final class OutputStage {
    /// The report folder.
    let directory: URL
    private let staging: String
    private let token: String
    private var names: [String] = []
    private var open = true
    /// Whether the stage locked the folder itself (and unlocks it when done), rather than the command.
    private let ownsLock: Bool

    /// The staging folders of this process not yet switched in or discarded, removed on a hard exit.
    private static let active = Mutex<[String: (token: String, directory: URL)]>([:])

    /// Locks `directory` (made when missing), removes what earlier runs left beside it and makes a staging folder.
    ///
    /// - Throws: `ReportError` `.outputBusy` when another run writes it, `.cannotWrite` when it cannot be written.
    init(directory: URL) throws {
        let directory = Self.folder(directory)
        self.directory = directory
        ownsLock = try Self.prepare(directory)
        token = Self.newToken()
        staging =
            directory.deletingLastPathComponent().path + "/"
            + OutputLeftovers.prefix(of: directory, OutputLeftovers.stageMarker) + token
        guard mkdir(staging, 0o700) == 0 else {
            if ownsLock { OutputLock.release(directory) }
            throw ReportError.cannotWrite(
                path: staging,
                reason: "the staging folder beside the report cannot be made: "
                    + ReportError.plain(errno))
        }
        Self.active.withLock { $0[staging] = (token, directory) }
    }

    deinit { if open { discard() } }

    /// The report folder `url` names, as the lock and the leftovers know it (absolute, symbolic links followed).
    static func folder(_ url: URL) -> URL {
        url.standardizedFileURL.resolvingSymlinksInPath()
    }

    /// Locks `directory` for this process, makes it when missing, removes what earlier runs left beside it and
    /// checks that a staging folder can be made beside it; before any call of a run. Returns whether this call
    /// locked it.
    @discardableResult
    public static func prepare(_ directory: URL) throws -> Bool {
        let directory = folder(directory)
        OutputLeftovers.restoreSwitchedAway(directory)
        let locked = try OutputLock.hold(directory)
        for warning in OutputLeftovers.clean(beside: directory, skipping: activePaths) {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        // The staging folder goes beside the report folder: its parent must take a new entry.
        let parent = directory.deletingLastPathComponent().path
        guard access(parent, W_OK | X_OK) == 0 else {
            let reason = ReportError.plain(errno)
            if locked { OutputLock.release(directory) }
            throw ReportError.cannotWrite(
                path: parent,
                reason: "a report is built beside its folder, and this folder cannot be written: " + reason)
        }
        return locked
    }

    /// The path of the report file `name` in the staging folder (created by the caller); a name may hold a
    /// subfolder (`statements/x/statement.csv`).
    func temporaryURL(for name: String) -> URL {
        let top = String(name.split(separator: "/", maxSplits: 1).first ?? Substring(name))
        if !names.contains(top) { names.append(top) }
        let url = URL(fileURLWithPath: staging + "/" + name)
        if name.contains("/") {
            try? FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        return url
    }

    /// Switches the staging folder in as the report folder; returns the report's files, in the order written.
    ///
    /// The switch holds the lock of this process's stages, so that a second Ctrl-C (``discardAll()``) waits for
    /// it to end or finds the staging folder whole.
    func commit() throws -> [URL] {
        guard open else { return [] }
        for name in names { try Self.syncTree(staging + "/" + name) }
        let replaced = try Self.active.withLock { active throws -> String in
            guard active[staging] != nil else { throw ReportError.interrupted }
            let replaced = try switchIn()
            active.removeValue(forKey: staging)
            return replaced
        }
        open = false
        try? FolderSwap.sync(directory.deletingLastPathComponent().path)
        for warning in OutputLeftovers.remove(replaced, token: token, beside: directory) {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        if ownsLock { OutputLock.release(directory) }
        return names.map { directory.appendingPathComponent($0) }
    }

    /// Records the run, carries the files ttusage did not write over and exchanges the folders; returns where the
    /// folder switched out now is.
    private func switchIn() throws -> String {
        let path = directory.path
        let carried = try carryOver()
        try OutputRecord(token: token, files: names, carried: carried.map(\.name)).write(in: staging)
        for entry in carried {
            let source = path + "/" + entry.name
            let target = staging + "/" + entry.name
            let moved = entry.isFolder ? rename(source, target) : link(source, target)
            guard moved == 0 else {
                throw ReportError.cannotWrite(
                    path: source, reason: "a file ttusage did not write cannot be kept: " + ReportError.plain(errno))
            }
        }
        try FolderSwap.sync(staging)
        if let before = FolderSwap.identity(path, following: true) {
            _ = chmod(staging, mode_t(before.mode & 0o7777))
        }
        let lock = try OutputLock.lockNew(staging)
        var replaced = staging
        do {
            if try !FolderSwap.exchange(staging, path) {
                replaced =
                    directory.deletingLastPathComponent().path + "/"
                    + OutputLeftovers.prefix(of: directory, OutputLeftovers.oldMarker) + token
                guard rename(path, replaced) == 0, rename(staging, path) == 0 else {
                    throw ReportError.cannotWrite(path: path, reason: ReportError.plain(errno))
                }
            }
        } catch {
            _ = close(lock)
            throw error
        }
        OutputLock.handOver(to: path, descriptor: lock)
        return replaced
    }

    /// Removes the staging folder (giving back what it carried); the report folder stays as it was.
    func discard() {
        guard open else { return }
        open = false
        Self.active.withLock { active in
            guard active.removeValue(forKey: staging) != nil else { return }
            _ = OutputLeftovers.remove(staging, token: token, beside: directory)
        }
        if ownsLock { OutputLock.release(directory) }
    }

    /// Removes every staging folder of this process: for an exit that does not unwind (a second Ctrl-C). A
    /// render may still be making files in one, so each is removed until it is gone (a few tries).
    public static func discardAll() {
        active.withLock { active in
            for (path, stage) in active {
                for _ in 0..<20 {
                    _ = OutputLeftovers.remove(path, token: stage.token, beside: stage.directory)
                    if FolderSwap.identity(path) == nil { break }
                    usleep(5_000)
                }
            }
            active = [:]
        }
    }

    /// The staging folders of this process still being built.
    static var activePaths: Set<String> { active.withLock { Set($0.keys) } }

    /// The entries of the report folder that ttusage did not write and that the new report does not replace.
    ///
    /// - Throws: `ReportError` `.cannotWrite` when the new report needs the name of an entry ttusage did not
    ///   write (or a folder where it writes a file): that entry is never replaced, and nothing has changed yet.
    private func carryOver() throws -> [(name: String, isFolder: Bool)] {
        let path = directory.path
        let present = FolderSwap.entries(path)
        guard !present.isEmpty else { return [] }
        let record = OutputRecord.read(in: path)
        let written = Set(record?.files ?? present.filter(OutputRecord.writtenBeforeRecords))
        for name in present where names.contains(name) {
            guard let there = FolderSwap.identity(path + "/" + name) else { continue }
            let isFolder = FolderSwap.identity(staging + "/" + name)?.isDirectory ?? false
            // A folder of an earlier version has no record: a file it holds under a report name was its own.
            let ttusageWrote = written.contains(name) || (record == nil && !there.isDirectory)
            guard ttusageWrote, there.isDirectory == isFolder else {
                throw ReportError.cannotWrite(
                    path: path + "/" + name,
                    reason: "it is a \(there.isDirectory ? "folder" : "file") ttusage did not write, and the report "
                        + "needs its name; move it away and run again (the report folder was left as it was)")
            }
        }
        if record == nil {
            // Recorded in the folder before it is switched out, so that it is known for a report folder then.
            try OutputRecord(token: "earlier", files: written.sorted(), carried: []).write(in: path)
        }
        return present.filter { $0 != OutputRecord.fileName && !written.contains($0) && !names.contains($0) }
            .map { ($0, FolderSwap.identity(path + "/" + $0)?.isDirectory ?? false) }
    }

    /// Flushes a file, or a folder and all it holds.
    private static func syncTree(_ path: String) throws {
        guard let identity = FolderSwap.identity(path) else {
            throw ReportError.cannotWrite(path: path, reason: "the file was not written")
        }
        if identity.isDirectory {
            for name in FolderSwap.entries(path) { try syncTree(path + "/" + name) }
        }
        try FolderSwap.sync(path)
    }

    private static func newToken() -> String {
        String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())
    }
}
