extension JSONValueParseError {
    /// The error `code` with `reason` at byte `offset` of `bytes`, its line and column counted from the start.
    static func located(
        _ code: Code,
        _ reason: String,
        at offset: Int,
        in bytes: [UInt8]
    ) -> JSONValueParseError {
        var line = 1
        var lineStart = 0
        for position in 0..<min(offset, bytes.count) where bytes[position] == UInt8(ascii: "\n") {
            line += 1
            lineStart = position + 1
        }
        let column = offset - lineStart + 1
        return JSONValueParseError(code: code, reason: reason, offset: offset, line: line, column: column)
    }
}
