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

/// The lock that keeps two runs from writing one report folder: an exclusive `flock(2)` on the folder itself,
/// held by the process from the moment the folder is prepared until it ends. A second run is refused at once
/// ("output busy", exit 75) instead of interleaving its files with the first one's.
///
/// The lock lives on the folder's inode, and a switch puts a new folder in its place; the switch locks the new
/// folder before it is exchanged in (``handOver(to:descriptor:)``), and a run that locked a folder that was
/// switched away meanwhile tries again on the one now there.
public enum OutputLock {
    /// The folders this process holds, by absolute path, with their locked descriptors.
    private static let held = Mutex<[String: Int32]>([:])

    /// Creates `directory` when missing and locks it for the rest of the process; a folder this process already
    /// holds is not locked twice.
    ///
    /// - Returns: whether this call locked it (`false`: the process held it already).
    /// - Throws: `ReportError` `.outputBusy` when another run holds it, `.cannotWrite` when it cannot be made.
    @discardableResult
    public static func hold(_ directory: URL) throws -> Bool {
        let path = directory.path
        if held.withLock({ $0[path] != nil }) { return false }
        for _ in 0..<8 {
            try make(path)
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { throw ReportError.cannotWrite(path: path, reason: ReportError.plain(errno)) }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                _ = close(fd)
                if code == EWOULDBLOCK { throw ReportError.outputBusy(path: path) }
                throw ReportError.cannotWrite(path: path, reason: ReportError.plain(code))
            }
            // The folder may have been switched away between open and flock: then lock the one now there.
            var locked = stat()
            if fstat(fd, &locked) == 0, let now = FolderSwap.identity(path),
                now.device == UInt64(locked.st_dev), now.inode == UInt64(locked.st_ino)
            {
                held.withLock { $0[path] = fd }
                return true
            }
            _ = close(fd)
        }
        throw ReportError.outputBusy(path: path)
    }

    /// Locks the folder at `staging` (about to be exchanged in at `directory`), so that the lock stays with
    /// whatever folder `directory` names; returns the descriptor of the folder locked so far, to be closed
    /// once the exchange is done.
    static func lockNew(_ staging: String) throws -> Int32 {
        let fd = open(staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ReportError.cannotWrite(path: staging, reason: ReportError.plain(errno)) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            _ = close(fd)
            throw ReportError.cannotWrite(path: staging, reason: ReportError.plain(code))
        }
        return fd
    }

    /// Records `descriptor` (the folder now at `directory`) as the lock held and releases the one before.
    static func handOver(to directory: String, descriptor: Int32) {
        let old = held.withLock { held -> Int32? in
            let old = held[directory]
            held[directory] = descriptor
            return old
        }
        if let old { _ = close(old) }
    }

    /// Releases `directory` when this process holds it (for tests that run commands in one process).
    public static func release(_ directory: URL) {
        if let fd = held.withLock({ $0.removeValue(forKey: directory.path) }) { _ = close(fd) }
    }

    /// Whether this process holds `directory`.
    static func holds(_ directory: String) -> Bool { held.withLock { $0[directory] != nil } }

    private static func make(_ path: String) throws {
        if let identity = FolderSwap.identity(path, following: true) {
            guard identity.isDirectory else { throw ReportError.cannotWrite(path: path, reason: "it is not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ReportError.cannotWrite(path: path, reason: ReportError.plain(error, path: path))
        }
    }
}
