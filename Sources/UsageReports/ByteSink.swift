import UsageCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A write-only file created for one report file. Writers collect bytes in a local buffer and hand it over in
/// large blocks (`drain`), so that rendering a million rows makes a few hundred system calls.
final class ByteSink {
    /// The size of the blocks writers hand over.
    static let blockSize = 1 << 20

    let path: String
    private var descriptor: Int32
    /// Looked at before each block is written: an interrupt stops the render there.
    private let stop: RenderStop?

    /// Creates `path`, which must not exist (temporary names are unique).
    init(path: String, stop: RenderStop? = nil) throws {
        self.path = path
        self.stop = stop
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ReportError.cannotWrite(path: path, reason: ByteSink.lastError()) }
        descriptor = fd
    }

    deinit {
        if descriptor >= 0 { _ = systemClose(descriptor) }
    }

    /// Writes `bytes` out and empties it once it holds a block.
    @inline(__always)
    func drain(_ bytes: inout [UInt8]) throws {
        if bytes.count >= ByteSink.blockSize {
            try write(bytes)
            bytes.removeAll(keepingCapacity: true)
        }
    }

    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) throws {
        try stop?.check()
        var written = 0
        try bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            while written < raw.count {
                let result = systemWrite(descriptor, base + written, raw.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw ReportError.cannotWrite(path: path, reason: ByteSink.lastError())
                }
                written += result
            }
        }
    }

    /// Writes `bytes`, syncs and closes the file.
    func close(writing bytes: [UInt8]) throws {
        try write(bytes)
        guard descriptor >= 0 else { return }
        let fd = descriptor
        descriptor = -1
        if fsync(fd) != 0 {
            let reason = ByteSink.lastError()
            _ = systemClose(fd)
            throw ReportError.cannotWrite(path: path, reason: reason)
        }
        guard systemClose(fd) == 0 else { throw ReportError.cannotWrite(path: path, reason: ByteSink.lastError()) }
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// `close(2)` and `write(2)`, which `ByteSink`'s own methods hide inside the class.
@inline(__always)
private func systemClose(_ fd: Int32) -> Int32 {
    close(fd)
}

@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
