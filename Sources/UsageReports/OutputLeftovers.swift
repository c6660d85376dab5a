import Foundation
import UsageCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What runs leave beside a report folder and how it goes: a staging folder (`.NAME.ttusage-stage-TOKEN`) of a
/// run that was killed or failed, or the folder a switch replaced. Every file ttusage wrote in one is removed; a
/// file it did not write (carried over from the report folder) goes back there, or stays with a warning when
/// the report folder has another file of that name. Nothing the user made is ever deleted.
enum OutputLeftovers {
    static let stageMarker = ".ttusage-stage-"
    static let oldMarker = ".ttusage-old-"

    /// The prefix of the leftovers of report folder `directory` (a hidden name beside it).
    static func prefix(of directory: URL, _ marker: String) -> String {
        "." + directory.lastPathComponent + marker
    }

    /// Puts back a report folder that a switch without an atomic exchange left renamed away, if the folder is
    /// missing; called before the folder is made.
    static func restoreSwitchedAway(_ directory: URL) {
        guard FolderSwap.identity(directory.path) == nil else { return }
        let parent = directory.deletingLastPathComponent().path
        let prefix = prefix(of: directory, oldMarker)
        for name in FolderSwap.entries(parent) where name.hasPrefix(prefix) {
            if rename(parent + "/" + name, directory.path) == 0 { return }
        }
    }

    /// Removes every leftover beside `directory` but the staging folders `skipping` (of this process's renders
    /// still running); returns a warning for each file left in place.
    @discardableResult
    static func clean(beside directory: URL, skipping: Set<String> = []) -> [String] {
        let parent = directory.deletingLastPathComponent().path
        let stages = prefix(of: directory, stageMarker)
        let olds = prefix(of: directory, oldMarker)
        var warnings: [String] = []
        for name in FolderSwap.entries(parent) where name.hasPrefix(stages) || name.hasPrefix(olds) {
            if skipping.contains(parent + "/" + name) { continue }
            let token = String(name.dropFirst(name.hasPrefix(stages) ? stages.count : olds.count))
            warnings += remove(parent + "/" + name, token: token, beside: directory)
        }
        return warnings
    }

    /// Removes leftover folder `path` (made by the run `token`); returns a warning for each entry kept.
    static func remove(_ path: String, token: String, beside directory: URL) -> [String] {
        guard let identity = FolderSwap.identity(path), identity.isDirectory else { return [] }
        let record = OutputRecord.read(in: path)
        var kept: [String] = []
        for name in FolderSwap.entries(path) {
            let entry = path + "/" + name
            let ours: Bool
            switch record {
            case nil:
                // A staging folder killed before its record: it holds only what the run wrote.
                ours = true
            case let record? where record.token == token:
                // A staging folder never switched in: all but what it carried from the report folder.
                ours = !record.carried.contains(name)
            case let record?:
                // A report folder switched out.
                ours = name == OutputRecord.fileName || record.files.contains(name)
            }
            if ours {
                FolderSwap.remove(entry)
                continue
            }
            let home = directory.path + "/" + name
            if let there = FolderSwap.identity(home) {
                if there == FolderSwap.identity(entry) {
                    _ = unlink(entry)
                    continue
                }
                kept.append(name)
            } else if rename(entry, home) != 0 {
                kept.append(name)
            }
        }
        if kept.isEmpty {
            if rmdir(path) == 0 { return [] }
            return ["\(path) could not be removed: \(ReportError.plain(errno))"]
        }
        return kept.map { "\(path)/\($0) was left in place: \(directory.path) has another \($0)" }
    }
}
