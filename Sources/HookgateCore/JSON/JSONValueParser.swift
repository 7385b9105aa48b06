/// A strict RFC 8259 JSON parser producing ``JSONValue``s, with limits for untrusted input: the tree of the
/// one-pass ``JSONIndex``, so that one grammar serves both.
///
/// Strict means: no comments, no trailing commas, no leading zeros, no raw control characters or lone
/// surrogates in strings, valid UTF-8 only, and no duplicate keys in an object. A UTF-8 byte order mark
/// at the start is skipped.
public struct JSONValueParser {
    /// Bounds on the input, so hostile documents cannot exhaust the stack or memory.
    public struct Limits: Sendable, Hashable {
        /// The deepest nesting of arrays and objects accepted. Default: 64.
        public var maximumDepth: Int
        /// The longest input accepted, in bytes. Default: 4 MiB.
        public var maximumBytes: Int

        public init(maximumDepth: Int = 64, maximumBytes: Int = 4 * 1024 * 1024) {
            self.maximumDepth = maximumDepth
            self.maximumBytes = maximumBytes
        }
    }

    /// Parses one JSON value that fills the whole input (surrounding whitespace aside).
    /// - Throws: ``JSONValueParseError`` with the position of the first problem.
    public static func parse(_ bytes: [UInt8], limits: Limits = Limits()) throws(JSONValueParseError) -> JSONValue {
        try JSONIndex(parsing: bytes, limits: limits).value(JSONIndex.root)
    }

    /// Parses the UTF-8 text of `text`.
    /// - Throws: ``JSONValueParseError``.
    public static func parse(_ text: String, limits: Limits = Limits()) throws(JSONValueParseError) -> JSONValue {
        try self.parse(Array(text.utf8), limits: limits)
    }
}
