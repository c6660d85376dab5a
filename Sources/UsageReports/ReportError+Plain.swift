import Foundation
import UsageCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension ReportError {
    /// The system's words for an `errno` value ("Permission denied").
    public static func plain(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// A Foundation file error in plain words: the system's reason when one lies under it, and for a path through
    /// a file, which part of it is not a folder. Never "NSCocoaErrorDomain error 512".
    public static func plain(_ error: any Error, path: String) -> String {
        let ns = error as NSError
        var code: Int32?
        if ns.domain == NSPOSIXErrorDomain {
            code = Int32(ns.code)
        } else if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain
        {
            code = Int32(underlying.code)
        }
        if let blocker = fileInTheWay(of: path) { return "\(blocker) is a file, not a folder" }
        if let code { return plain(code) }
        switch CocoaError.Code(rawValue: ns.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
        case .fileWriteNoPermission, .fileReadNoPermission: return plain(EACCES)
        case .fileWriteOutOfSpace: return plain(ENOSPC)
        case .fileWriteVolumeReadOnly: return plain(EROFS)
        case .fileWriteFileExists: return plain(EEXIST)
        default: return "the system refused (\(ns.localizedFailureReason ?? "no reason given"))"
        }
    }

    /// The first part of `path` that exists and is not a folder, when a later part is needed as a folder.
    static func fileInTheWay(of path: String) -> String? {
        var prefix = URL(fileURLWithPath: path).standardizedFileURL
        var parts: [URL] = []
        while prefix.path != "/" && !prefix.path.isEmpty {
            parts.append(prefix)
            prefix = prefix.deletingLastPathComponent()
        }
        for part in parts.reversed().dropLast() {
            guard let identity = FolderSwap.identity(part.path, following: true) else { return nil }
            if !identity.isDirectory { return part.path }
        }
        return nil
    }
}
