extension JSONIndex {
    /// The largest document an index can hold: its offsets are 32 bits.
    static let largestDocument = Int(UInt32.max) - 1

    /// Indexes `bytes` in one pass with the strict grammar ``JSONValueParser`` documents, failing at the first
    /// problem (a `limits.maximumBytes` above ``largestDocument`` counts as ``largestDocument``).
    /// - Throws: ``JSONValueParseError`` with the position of the first problem.
    init(parsing bytes: [UInt8], limits: JSONValueParser.Limits) throws(JSONValueParseError) {
        var builder = JSONIndexBuilder(bytes: bytes, maximumDepth: limits.maximumDepth)
        let maximumBytes = min(limits.maximumBytes, Self.largestDocument)
        guard bytes.count <= maximumBytes else {
            throw builder.error(.tooLarge, "the document is larger than \(maximumBytes) bytes", at: 0)
        }
        try builder.indexDocument()
        self.init(bytes: bytes, entries: builder.entries)
    }
}
