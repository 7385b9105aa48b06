/// SplitMix64: a small random number generator that repeats its sequence for a seed, so that `--seed N`
/// makes the emulator's misbehaviour repeatable.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var value = self.state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A number in 0..<1 from the next 53 bits (the generator's own, not the standard library's, mapping).
    mutating func unitInterval() -> Double {
        Double(self.next() >> 11) / Double(UInt64(1) << 53)
    }
}
