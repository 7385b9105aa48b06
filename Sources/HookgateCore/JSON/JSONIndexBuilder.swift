/// Builds the entries of a ``JSONIndex`` in one pass over the bytes, validating the strict grammar and limits
/// ``JSONValueParser`` documents (the differential tests hold it to the recursive-descent parser it replaced).
struct JSONIndexBuilder {
    let bytes: [UInt8]
    private let maximumDepth: Int
    /// The entries so far; a container's `end` and `next` are filled in when it closes.
    private(set) var entries: [JSONIndex.Entry]
    /// The next byte to read.
    var index = 0
    private var depth = 0

    init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
        // Pretty-printed events hold about one value per 15 bytes: room for them in one allocation.
        self.entries = []
        self.entries.reserveCapacity(bytes.count / 8 + 16)
    }

    /// Indexes the one value that fills the whole input (surrounding whitespace aside, a UTF-8 byte order mark
    /// at the start skipped).
    mutating func indexDocument() throws(JSONValueParseError) {
        if self.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { self.index = 3 }
        self.skipWhitespace()
        try self.indexValue()
        self.skipWhitespace()
        guard self.index == self.bytes.count else {
            throw self.error(.trailingContent, "unexpected content after the JSON value")
        }
    }

    private mutating func indexValue() throws(JSONValueParseError) {
        guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd, "expected a value") }
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"): try self.indexObject()
        case UInt8(ascii: "["): try self.indexArray()
        case UInt8(ascii: "\""): try self.indexString()
        case UInt8(ascii: "t"): try self.indexLiteral("true", .true)
        case UInt8(ascii: "f"): try self.indexLiteral("false", .false)
        case UInt8(ascii: "n"): try self.indexLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try self.indexNumber()
        default: throw self.unexpectedCharacter(expecting: "a value")
        }
    }

    private mutating func indexObject() throws(JSONValueParseError) {
        let object = try self.enterContainer(.object)
        self.skipWhitespace()
        if self.consume(UInt8(ascii: "}")) { return self.closeContainer(object) }
        var keys = JSONObjectKeys()
        while true {
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd, "expected a key") }
            guard self.bytes[self.index] == UInt8(ascii: "\"") else {
                throw self.unexpectedCharacter(expecting: "a string key")
            }
            let keyOffset = self.index
            try self.indexString()
            let key = self.entries.count - 1
            if keys.insertIsDuplicate(key, inObject: object, entries: self.entries, bytes: self.bytes) {
                let name = JSONIndex.decodedString(self.entries[key], in: self.bytes)
                throw self.error(.duplicateKey, "duplicate key \"\(name)\"", at: keyOffset)
            }
            self.skipWhitespace()
            try self.expect(UInt8(ascii: ":"), "':' after the key")
            self.skipWhitespace()
            try self.indexValue()
            self.skipWhitespace()
            if self.consume(UInt8(ascii: "}")) { break }
            try self.expect(UInt8(ascii: ","), "',' or '}'")
            self.skipWhitespace()
        }
        self.closeContainer(object)
    }

    private mutating func indexArray() throws(JSONValueParseError) {
        let array = try self.enterContainer(.array)
        self.skipWhitespace()
        if self.consume(UInt8(ascii: "]")) { return self.closeContainer(array) }
        while true {
            try self.indexValue()
            self.skipWhitespace()
            if self.consume(UInt8(ascii: "]")) { break }
            try self.expect(UInt8(ascii: ","), "',' or ']'")
            self.skipWhitespace()
        }
        self.closeContainer(array)
    }

    /// Checks the depth, appends the container's entry (completed by ``closeContainer(_:)``) and steps over
    /// its opening bracket.
    /// - Returns: the container's entry.
    private mutating func enterContainer(_ kind: JSONIndex.Kind) throws(JSONValueParseError) -> Int {
        self.depth += 1
        guard self.depth <= self.maximumDepth else {
            throw self.error(.tooDeep, "arrays and objects are nested deeper than \(self.maximumDepth) levels")
        }
        self.append(kind, from: self.index, to: self.index)
        self.index += 1
        return self.entries.count - 1
    }

    /// Records where the container at entry `container` ends, its closing bracket just consumed.
    private mutating func closeContainer(_ container: Int) {
        self.depth -= 1
        self.entries[container].end = UInt32(truncatingIfNeeded: self.index)
        self.entries[container].next = UInt32(truncatingIfNeeded: self.entries.count)
    }

    private mutating func indexLiteral(_ word: StaticString, _ kind: JSONIndex.Kind) throws(JSONValueParseError) {
        let start = self.index
        for position in 0..<word.utf8CodeUnitCount {
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd, "expected \(word)") }
            guard self.bytes[self.index] == word.utf8Start[position] else {
                throw self.unexpectedCharacter(expecting: word.description)
            }
            self.index += 1
        }
        self.append(kind, from: start, to: self.index)
    }

    /// Appends an entry without descendants (the `next` entry is the one after it).
    mutating func append(_ kind: JSONIndex.Kind, flags: UInt8 = 0, from start: Int, to end: Int) {
        self.entries.append(
            JSONIndex.Entry(
                kind: kind,
                flags: flags,
                start: UInt32(truncatingIfNeeded: start),
                end: UInt32(truncatingIfNeeded: end),
                next: UInt32(truncatingIfNeeded: self.entries.count + 1)
            )
        )
    }

    private mutating func skipWhitespace() {
        self.index = self.bytes.withUnsafeBufferPointer { buffer in
            var index = self.index
            while index < buffer.count {
                switch buffer[index] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
                default: return index
                }
            }
            return index
        }
    }

    /// Steps over `byte` when it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard self.index < self.bytes.count, self.bytes[self.index] == byte else { return false }
        self.index += 1
        return true
    }

    private mutating func expect(_ byte: UInt8, _ expectation: String) throws(JSONValueParseError) {
        guard self.consume(byte) else { throw self.unexpectedCharacter(expecting: expectation) }
    }

    private func unexpectedCharacter(expecting expectation: String) -> JSONValueParseError {
        guard self.index < self.bytes.count else {
            return self.error(.unexpectedEnd, "the document ends where \(expectation) was expected")
        }
        let byte = self.bytes[self.index]
        let found = (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte \(byte)"
        return self.error(.unexpectedCharacter, "expected \(expectation), found \(found)")
    }

    /// The error `code` at `offset`, by default the next byte.
    func error(_ code: JSONValueParseError.Code, _ reason: String, at offset: Int? = nil) -> JSONValueParseError {
        .located(code, reason, at: offset ?? self.index, in: self.bytes)
    }
}
