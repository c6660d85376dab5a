import Foundation

/// The sending slots of every run on this host that paces against one app key of one service.
///
/// Runs that share a key's rate limit take their slots in one place: a small file holding the time the next call may
/// leave (the generic cell rate algorithm), read and advanced under an exclusive `flock`. A call leaves only once a
/// whole interval has passed since the last call any run sent, so two or three runs together keep to the limit
/// instead of each taking all of it and being throttled; nothing is reserved, so a run that ends gives its share
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

    /// Takes the slot when it is free: the last call any run sent was `interval` ago or more. Returns zero when the
    /// caller may send now (the next free slot is then `interval` from now), or how long to wait before asking
    /// again; `nil` when the file cannot be used (the caller then paces on its own).
    ///
    /// A slot is taken at the moment of sending, not booked ahead: a run woken late by a busy machine takes the
    /// slot late, and the next run's call still leaves a whole interval after it, so calls never bunch up at the
    /// service.
    ///
    /// A call that leaves at most `lateness` after its slot (a run woken late) keeps the slot's time: the next slot
    /// is still one interval after the slot, not after the late call, so a busy machine does not lose the limit a
    /// little at a time. Calls may then arrive up to `lateness` closer than an interval; the pacer forgives lateness
    /// only until the service first throttles.
    public func take(interval: Duration, lateness: Duration = .zero) -> Duration? {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else { return nil }
        defer { flock(descriptor, LOCK_UN) }
        var stored: Int64 = 0
        let read = pread(descriptor, &stored, MemoryLayout<Int64>.size, 0)
        let now = Self.now()
        // A file from before a reboot (or of another clock) holds a time far ahead: no slot is more than a second
        // away.
        let free = read == MemoryLayout<Int64>.size && stored <= now + 1_000_000_000 ? stored : 0
        guard free <= now else { return .nanoseconds(free - now) }
        let start = free > 0 ? max(free, now - max(0, lateness.nanoseconds)) : now
        var next = start + max(0, interval.nanoseconds)
        guard pwrite(descriptor, &next, MemoryLayout<Int64>.size, 0) == MemoryLayout<Int64>.size else { return nil }
        return .zero
    }

    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
