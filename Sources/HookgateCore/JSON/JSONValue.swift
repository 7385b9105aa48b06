/// A decoded JSON value.
///
/// Numbers written without a fraction or exponent that fit in 64 bits are kept exactly as ``integer(_:)``;
/// every other number is a ``number(_:)``. Object members keep their order; keys are unique (the parser
/// rejects duplicates).
public enum JSONValue: Sendable, Hashable {
    /// One member of an object.
    public struct Member: Sendable, Hashable {
        /// The key, unescaped.
        public var key: String
        /// The value.
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integral number written without fraction or exponent, within `Int64`.
    case integer(Int64)
    /// Any other number.
    case number(Double)
    /// A string, unescaped.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in document order.
    case object([Member])

    /// The value of the member `key` when this is an object holding it; `nil` otherwise.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// A short name of the value's type for messages (`a string`, `an object`, ...); never the value itself.
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
