/// Why a text is not JSON that ``JSONValueParser`` accepts, and where.
///
/// The reason never quotes string contents (they may be secrets); only a duplicate key is named.
public struct JSONValueParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, bounded identifier of the problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as text, e.g. `duplicate_key`.
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// A byte that cannot start or continue a value here.
        public static let unexpectedCharacter = Code("unexpected_character")
        /// The text ends inside a value.
        public static let unexpectedEnd = Code("unexpected_end")
        /// Something other than whitespace follows the value.
        public static let trailingContent = Code("trailing_content")
        /// A number that breaks the JSON grammar or is out of range.
        public static let invalidNumber = Code("invalid_number")
        /// A bad escape, a raw control character, a lone surrogate or invalid UTF-8 in a string.
        public static let invalidString = Code("invalid_string")
        /// An object has the same key twice.
        public static let duplicateKey = Code("duplicate_key")
        /// Arrays and objects are nested deeper than allowed.
        public static let tooDeep = Code("too_deep")
        /// The text is longer than allowed.
        public static let tooLarge = Code("too_large")

        public var description: String { self.rawValue }
    }

    /// What is wrong.
    public let code: Code
    /// A sentence for people.
    public let reason: String
    /// The byte offset of the problem, from 0.
    public let offset: Int
    /// The line of the problem, from 1.
    public let line: Int
    /// The column of the problem in bytes, from 1.
    public let column: Int

    public init(code: Code, reason: String, offset: Int, line: Int, column: Int) {
        self.code = code
        self.reason = reason
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var description: String { "line \(self.line), column \(self.column): \(self.reason)" }
}
