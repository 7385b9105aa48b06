/// The header fields on every admin answer, on every listener: a strict Content-Security-Policy (no inline
/// script or style, nothing from elsewhere), no sniffing, no referrer, no framing, no caching.
public enum AdminSecurityHeaders {
    /// The `content-security-policy` value.
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    /// The fields, names lowercased.
    public static let fields: [(name: String, value: String)] = [
        ("content-security-policy", Self.contentSecurityPolicy),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
        ("cache-control", "no-store"),
    ]
}
