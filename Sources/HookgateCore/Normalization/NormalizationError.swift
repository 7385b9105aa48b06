/// Why a stored Stripe event cannot be normalized. The reason names JSON paths and types, never values.
public struct NormalizationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, bounded identifier of the problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as text, e.g. `missing_field`.
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// The body is not JSON (or too large or too deeply nested to read).
        public static let notJSON = Code("not_json")
        /// A field the event type needs is absent or `null`.
        public static let missingField = Code("missing_field")
        /// A field has the wrong JSON type or an unusable value.
        public static let invalidField = Code("invalid_field")
        /// The event's object is of a kind the catalog event cannot be made from.
        public static let unsupportedObject = Code("unsupported_object")

        public var description: String { self.rawValue }
    }

    /// What is wrong.
    public let code: Code
    /// A sentence for people.
    public let reason: String
    /// Where in the Stripe event, e.g. `$.data.object.amount`; `nil` for the whole body.
    public let path: JSONPath?

    public init(code: Code, reason: String, path: JSONPath? = nil) {
        self.code = code
        self.reason = reason
        self.path = path
    }

    /// `path: reason`, or the reason alone.
    public var description: String { self.path.map { "\($0): \(self.reason)" } ?? self.reason }
}
