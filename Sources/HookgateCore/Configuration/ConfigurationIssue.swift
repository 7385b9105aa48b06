/// One problem with a configuration: where it is, a stable code and a reason.
///
/// Neither the location nor the reason ever contains a secret.
public struct ConfigurationIssue: Sendable, Hashable, CustomStringConvertible {
    /// A stable, bounded identifier of the kind of problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as text, e.g. `unknown_key`.
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// The file is not JSON (the reason gives line and column).
        public static let invalidJSON = Code("invalid_json")
        /// A key the schema does not have (often a typo).
        public static let unknownKey = Code("unknown_key")
        /// A required key is absent.
        public static let missingKey = Code("missing_key")
        /// A value of the wrong JSON type.
        public static let wrongType = Code("wrong_type")
        /// A value of the right type that is not allowed (out of range, unparsable, unknown name).
        public static let invalidValue = Code("invalid_value")
        /// A value that must be unique appears twice (endpoint names and paths, secret labels, listeners).
        public static let duplicateValue = Code("duplicate_value")
        /// A setting that production mode refuses (literal secrets, development fallbacks).
        public static let notAllowedInProduction = Code("not_allowed_in_production")
        /// An environment override has a bad value.
        public static let invalidEnvironmentOverride = Code("invalid_environment_override")
        /// A file the configuration names cannot be read (the configuration itself, a secret, a certificate).
        public static let unreadableFile = Code("unreadable_file")
        /// A secret cannot be resolved or used (unset variable, empty file, wrong format for the scheme).
        public static let unusableSecret = Code("unusable_secret")

        public var description: String { self.rawValue }
    }

    /// The kind of problem.
    public let code: Code
    /// Where: a JSON path such as `$.endpoints[0].path`, or an environment variable's name.
    public let location: String
    /// What is wrong, for people.
    public let reason: String

    public init(code: Code, location: String, reason: String) {
        self.code = code
        self.location = location
        self.reason = reason
    }

    /// An issue located at a JSON path.
    public init(code: Code, path: JSONPath, reason: String) {
        self.init(code: code, location: path.description, reason: reason)
    }

    /// `location: reason`.
    public var description: String { "\(self.location): \(self.reason)" }
}
