import Foundation

/// The sending slots of every run on this host that paces against one app key of one service.
///
/// Runs that share a key's rate limit book their calls' slots in one schedule: a small file holding the time of the
/// next free slot (the generic cell rate algorithm), read and advanced under an exclusive `flock`. Each call books
/// the next free slot, one interval after the last one booked by any run, so two or three runs together keep to the
/// limit instead of each taking all of it and being throttled; no share is held, so a run that ends gives its share
/// back at once. Times are `CLOCK_MONOTONIC`, which every process of the host shares. Clients on other hosts
/// or in other programs are not seen here: adaptive pacing still answers for them.
public final class SharedSlots: Sendable {
    public let path: String

    /// The slot file for `key` (the service's address and the app key) in `directory`, made readable by the user
    /// only; the file's name is a hash, so that neither address nor key is written anywhere.
    public init(directory: String, key: String) throws {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        path = (directory as NSString).appendingPathComponent("pace-\(String(hash, radix: 16)).slots")
    }

    /// The folder of the slot files: `$XDG_RUNTIME_DIR/ttusage`, else `ttusage-<uid>` in the temporary folder.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String
    {
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            return (runtime as NSString).appendingPathComponent("ttusage")
        }
        let temporary = environment["TMPDIR"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
        return (temporary as NSString).appendingPathComponent("ttusage-\(getuid())")
    }

    /// Books the next free slot of the shared schedule, at least `interval` after the slot booked before it, and
    /// returns how long the caller waits for it (zero: send now); `nil` when the file cannot be used (the caller
    /// then paces on its own).
    ///
    /// Slots are booked ahead, so a run woken late by a busy machine loses none of the limit: its call leaves late,
    /// and the next run's call still leaves at its own slot. Only calls about to be sent book (a run books at most
    /// its concurrency ahead), so a run that ends leaves nothing booked past the calls it had in flight.
    public func book(interval: Duration) -> Duration? {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else { return nil }
        defer { flock(descriptor, LOCK_UN) }
        var stored: Int64 = 0
        let read = pread(descriptor, &stored, MemoryLayout<Int64>.size, 0)
        let now = Self.now()
        // A file from before a reboot (the monotonic clock starts again at zero) holds a time far ahead: no run books
        // an hour ahead.
        let free = read == MemoryLayout<Int64>.size && stored <= now + 3_600_000_000_000 ? stored : 0
        let slot = max(free, now)
        var next = slot + max(0, interval.nanoseconds)
        guard pwrite(descriptor, &next, MemoryLayout<Int64>.size, 0) == MemoryLayout<Int64>.size else { return nil }
        return .nanoseconds(slot - now)
    }

    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
