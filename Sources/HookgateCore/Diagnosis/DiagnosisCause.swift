/// A known reason for a signature failure. The raw values are stable (scripts read them from
/// `hookgate verify --json`); new causes may be added.
public struct DiagnosisCause: Hashable, Sendable, CustomStringConvertible {
    /// The cause as printed, e.g. `trailing_newline_stripped`.
    public let rawValue: String

    private init(_ rawValue: String) { self.rawValue = rawValue }

    /// The header value was given with its `Stripe-Signature:` name in front.
    public static let headerIncludesName = DiagnosisCause("header_includes_name")
    /// The header has only `v0` signatures, which are never accepted.
    public static let onlyLegacySignatures = DiagnosisCause("only_v0_signatures")
    /// The signature is genuine but its timestamp lies outside the tolerance.
    public static let timestampSkew = DiagnosisCause("timestamp_skew")
    /// The signature matches a key that has expired.
    public static let secretExpired = DiagnosisCause("secret_expired")
    /// The secret has surrounding whitespace (a newline from a file or `echo`, a space from copy and paste).
    public static let secretWhitespace = DiagnosisCause("secret_whitespace")
    /// The secret has surrounding quotes (from a `.env` file or a YAML value).
    public static let secretQuotes = DiagnosisCause("secret_quotes")
    /// The signature matches the secret of the other mode (test vs live).
    public static let otherModeSecret = DiagnosisCause("other_mode_secret")
    /// The final newline of the body was lost before verification.
    public static let trailingNewlineStripped = DiagnosisCause("trailing_newline_stripped")
    /// A final newline was added to the body before verification.
    public static let trailingNewlineAdded = DiagnosisCause("trailing_newline_added")
    /// The body's line endings were converted from LF to CRLF.
    public static let crlfLineEndings = DiagnosisCause("crlf_line_endings")
    /// The body's line endings were converted from CRLF to LF.
    public static let lfLineEndings = DiagnosisCause("lf_line_endings")
    /// The body was parsed and serialized again (compact, or with other whitespace or escaping).
    public static let bodyReserialized = DiagnosisCause("body_reserialized")
    /// The body was pretty-printed (the signed body was compact).
    public static let bodyPrettyPrinted = DiagnosisCause("body_pretty_printed")
    /// The secret is not a webhook signing secret (an API key, or not `whsec_...`).
    public static let notAWebhookSecret = DiagnosisCause("not_a_webhook_secret")
    /// None of the known culprits reproduces the signature.
    public static let unexplained = DiagnosisCause("unexplained")

    public var description: String { self.rawValue }
}

/// One conclusion of a diagnosis.
public struct DiagnosisFinding: Sendable, Hashable {
    /// What went wrong.
    public let cause: DiagnosisCause
    /// `true` when the signature was reproduced with the culprit undone; `false` for a likely explanation.
    public let confirmed: Bool
    /// What happened and what to do, for people. Never contains a secret or a signature.
    public let explanation: String

    public init(cause: DiagnosisCause, confirmed: Bool, explanation: String) {
        self.cause = cause
        self.confirmed = confirmed
        self.explanation = explanation
    }
}
