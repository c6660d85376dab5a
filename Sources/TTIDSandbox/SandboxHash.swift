/// FNV-1a 64 with a final avalanche: stable across processes and platforms, unlike `Hasher`.
struct SandboxHash {
    private(set) var state: UInt64 = 0xcbf2_9ce4_8422_2325

    init() {}

    mutating func combine(_ value: UInt64) {
        var value = value
        for _ in 0..<8 {
            self.combine(byte: UInt8(truncatingIfNeeded: value))
            value >>= 8
        }
    }

    mutating func combine(_ text: String) {
        for byte in text.utf8 {
            self.combine(byte: byte)
        }
        // A separator, so ("ab","c") and ("a","bc") differ.
        self.combine(byte: 0xff)
    }

    mutating func combine(byte: UInt8) {
        self.state ^= UInt64(byte)
        self.state &*= 0x0000_0100_0000_01b3
    }

    /// The hash, run through SplitMix64's finalizer so that every bit depends on every input byte.
    var value: UInt64 {
        SandboxRandom.mix(self.state)
    }

    /// Hashes a seed and some strings.
    static func of(seed: UInt64, _ parts: String...) -> UInt64 {
        var hash = SandboxHash()
        hash.combine(seed)
        for part in parts {
            hash.combine(part)
        }
        return hash.value
    }
}
