import Foundation
import UsageCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system calls that switch a report folder: exchanging two folders in one step, syncing a folder's entries,
/// and identifying a file by device and inode.
enum FolderSwap {
    /// `renameat2(2)`, which Glibc declares only under `_GNU_SOURCE`, looked up at run time.
    private typealias RenameAt2 =
        @convention(c) (
            Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32
        ) -> Int32

    #if os(Linux)
        private static let renameat2: RenameAt2? = {
            // RTLD_DEFAULT is the null handle on glibc and musl.
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
            return unsafeBitCast(symbol, to: RenameAt2.self)
        }()
    #endif

    /// Exchanges the folders at `first` and `second` in one step, so that every reader sees one or the other
    /// whole. Returns `false` when the file system cannot exchange (the caller then renames twice).
    static func exchange(_ first: String, _ second: String) throws -> Bool {
        #if os(Linux)
            guard let renameat2 else { return false }
            // RENAME_EXCHANGE is 1 << 1 in <linux/fs.h>.
            if renameat2(AT_FDCWD, first, AT_FDCWD, second, 2) == 0 { return true }
            let code = errno
            if code == EINVAL || code == ENOSYS || code == ENOTSUP { return false }
            throw ReportError.cannotWrite(path: second, reason: String(cString: strerror(code)))
        #elseif canImport(Darwin)
            if renamex_np(first, second, UInt32(RENAME_SWAP)) == 0 { return true }
            let code = errno
            if code == ENOTSUP || code == EINVAL { return false }
            throw ReportError.cannotWrite(path: second, reason: String(cString: strerror(code)))
        #else
            return false
        #endif
    }

    /// Flushes `path` (a file or a folder's entries) to the disk.
    static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReportError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        defer { _ = close(fd) }
        guard fsync(fd) == 0 else {
            throw ReportError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// The device and inode of `path`, or `nil` when it does not exist; a last symbolic link is followed only
    /// when `following`.
    static func identity(_ path: String, following: Bool = false) -> FileIdentity? {
        var info = stat()
        guard (following ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), mode: UInt32(info.st_mode))
    }

    /// The names in folder `path`, without `.` and `..`; empty when it cannot be read.
    static func entries(_ path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }

    /// Removes `path`, a file or a folder with all it holds; a missing path is no error.
    static func remove(_ path: String) {
        guard identity(path) != nil else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Where a file lives: two names with the same identity are links to one file.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64
    var mode: UInt32

    var isDirectory: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFDIR) }

    static func == (lhs: FileIdentity, rhs: FileIdentity) -> Bool {
        lhs.device == rhs.device && lhs.inode == rhs.inode
    }
}
