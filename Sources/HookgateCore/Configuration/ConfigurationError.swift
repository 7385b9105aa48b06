/// A configuration that cannot be used, with every problem found (not just the first).
///
/// The description lists one issue per line; it never contains a secret.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in document order as far as possible.
    public var issues: [ConfigurationIssue]

    /// - Precondition: `issues` is not empty.
    public init(issues: [ConfigurationIssue]) {
        precondition(!issues.isEmpty, "a configuration error has at least one issue")
        self.issues = issues
    }

    /// A single problem.
    public init(_ issue: ConfigurationIssue) {
        self.init(issues: [issue])
    }

    /// One line per issue: `location: reason`.
    public var description: String {
        self.issues.map(\.description).joined(separator: "\n")
    }
}
