/// A flat index of a validated JSON document: one entry per value, in document order (a "tape", as simdjson
/// calls it), over the document's bytes.
///
/// An object's entry is followed by its members, each a key entry (a string) then the value's entries; an
/// array's entry by its elements' entries. Every entry records where the entry after the value and all its
/// descendants is, so a lookup steps over a whole subtree at once. Strings and numbers stay bytes until they
/// are read. Built by ``init(parsing:limits:)`` with the strict grammar ``JSONValueParser`` documents (whose tree
/// is this index's).
struct JSONIndex {
    /// What a value is.
    enum Kind: UInt8 {
        case null, `false`, `true`
        /// A number without fraction or exponent that fits in `Int64` (``JSONValue/integer(_:)``).
        case integer
        /// Any other number (``JSONValue/number(_:)``).
        case number
        case string, array, object
    }

    /// One value of the document: 16 bytes.
    struct Entry {
        /// Set on a string with a backslash escape.
        static let hasEscapes: UInt8 = 1
        /// Set on a string with a byte above 0x7F.
        static let hasNonASCII: UInt8 = 2

        /// What the value is.
        var kind: Kind
        /// ``hasEscapes`` and ``hasNonASCII`` for strings, else 0.
        var flags: UInt8
        /// The first byte: the bracket of a container, the first digit or sign of a number, the first byte
        /// after the opening quote of a string.
        var start: UInt32
        /// The byte after the value; for a string, its closing quote.
        var end: UInt32
        /// The index of the entry after this value and all its descendants.
        var next: UInt32
    }

    /// The document.
    let bytes: [UInt8]
    /// The values, the root first.
    let entries: [Entry]

    /// The entry of the document's root value.
    static let root = 0

    /// The kind of the value at `node`.
    func kind(_ node: Int) -> Kind {
        self.entries[node].kind
    }

    /// The index of the entry after the value at `node` and all its descendants.
    func next(_ node: Int) -> Int {
        Int(self.entries[node].next)
    }

    /// The bytes of the value at `node`; for a string, the text between its quotes (escapes undecoded).
    func text(_ node: Int) -> ArraySlice<UInt8> {
        let entry = self.entries[node]
        return self.bytes[Int(entry.start)..<Int(entry.end)]
    }

    /// A short name of the type of the value at `node` for messages, as ``JSONValue/kindDescription``.
    func kindDescription(_ node: Int) -> String {
        switch self.kind(node) {
        case .null: "null"
        case .false, .true: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
