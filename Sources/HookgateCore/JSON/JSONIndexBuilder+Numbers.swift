extension JSONIndexBuilder {
    /// Integers of at most this many digits fit in `Int64` without a check.
    private static let digitsThatAlwaysFit = 18

    /// Indexes the number at the next byte as ``JSONIndex/Kind/integer`` when it has no fraction or exponent
    /// and fits in `Int64`, else as ``JSONIndex/Kind/number``, which must be finite.
    mutating func indexNumber() throws(JSONValueParseError) {
        let start = self.index
        var isInteger = true
        let isNegative = self.consume(UInt8(ascii: "-"))
        if self.consume(UInt8(ascii: "0")) {
            if self.peekIsDigit() { throw self.error(.invalidNumber, "a number must not have leading zeros") }
        } else {
            try self.digits()
        }
        if self.consume(UInt8(ascii: ".")) {
            isInteger = false
            try self.digits()
        }
        if self.consume(UInt8(ascii: "e")) || self.consume(UInt8(ascii: "E")) {
            isInteger = false
            if !self.consume(UInt8(ascii: "+")) { _ = self.consume(UInt8(ascii: "-")) }
            try self.digits()
        }
        let digitCount = self.index - start - (isNegative ? 1 : 0)
        if isInteger, digitCount <= Self.digitsThatAlwaysFit {
            return self.append(.integer, from: start, to: self.index)
        }
        let text = String(decoding: self.bytes[start..<self.index], as: UTF8.self)
        if isInteger, Int64(text) != nil { return self.append(.integer, from: start, to: self.index) }
        guard let number = Double(text), number.isFinite else {
            throw self.error(.invalidNumber, "the number is out of range", at: start)
        }
        self.append(.number, from: start, to: self.index)
    }

    private mutating func digits() throws(JSONValueParseError) {
        guard self.peekIsDigit() else {
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd, "expected a digit") }
            throw self.error(.invalidNumber, "expected a digit")
        }
        while self.peekIsDigit() { self.index += 1 }
    }

    private func peekIsDigit() -> Bool {
        self.index < self.bytes.count
            && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self.bytes[self.index])
    }
}
