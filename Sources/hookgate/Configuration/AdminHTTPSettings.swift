import HookgateCore

/// The token-guarded HTTP admin listener as `serve` runs it: where, with which TLS files, and its token.
struct AdminHTTPSettings: Sendable {
    /// Where it binds.
    var listen: ListenAddress
    /// The certificate and key of HTTPS; `nil` for plain HTTP (loopback only).
    var tls: TLSFiles?
    /// The access token (its description is redacted).
    var token: Secret
    /// Whether the token was generated because none was configured (development mode): `serve` prints it once.
    var tokenIsGenerated: Bool
}
