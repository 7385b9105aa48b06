/// Writes integers as ASCII decimal digits without allocating.
enum DecimalDigits {
    /// Writes `value` (non-negative) into `buffer` (at least 20 bytes) and returns the digit count.
    static func write(_ value: Int64, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(value >= 0, "only non-negative timestamps are signed")
        var remaining = UInt64(value)
        var end = buffer.count
        repeat {
            end -= 1
            buffer[end] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
        } while remaining > 0
        let count = buffer.count - end
        if end > 0 {
            for index in 0..<count { buffer[index] = buffer[end + index] }
        }
        return count
    }

    /// Parses 1 to 18 ASCII digits (no sign, no spaces) as a non-negative integer.
    static func parse(_ digits: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard (1...18).contains(digits.count) else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Parses a string of 1 to 18 ASCII digits.
    static func parse(_ text: Substring) -> Int64? {
        var text = text
        return text.withUTF8 { parse($0) }
    }
}
