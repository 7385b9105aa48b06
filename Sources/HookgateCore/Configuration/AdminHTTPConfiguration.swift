/// The token-guarded HTTP admin listener for browsers (the dashboard and the JSON API), configured by the
/// `admin` object's `http_listen`, `token_env`, `token_file`, `allow_remote` and `http_tls` keys. It runs in
/// addition to the admin listener (``AdminConfiguration``), which stays as it is.
public struct AdminHTTPConfiguration: Sendable, Hashable {
    /// `http_listen`: where it binds, e.g. `127.0.0.1:9090`.
    public var listen: ListenAddress
    /// `token_env`: the variable holding the access token (after `HOOKGATE_ADMIN_TOKEN`).
    public var tokenEnvironmentVariable: String?
    /// `token_file`: the file holding the access token (one final line ending dropped).
    public var tokenFile: String?
    /// `allow_remote`: lets `http_listen` be a non-loopback address (which also needs ``tls``). Default `false`.
    public var allowRemote: Bool
    /// `http_tls`: `{"certificate": PATH, "private_key": PATH}`, as the ingress's `tls`; HTTPS when set.
    public var tls: TLSFiles?

    public init(
        listen: ListenAddress,
        tokenEnvironmentVariable: String? = nil,
        tokenFile: String? = nil,
        allowRemote: Bool = false,
        tls: TLSFiles? = nil
    ) {
        self.listen = listen
        self.tokenEnvironmentVariable = tokenEnvironmentVariable
        self.tokenFile = tokenFile
        self.allowRemote = allowRemote
        self.tls = tls
    }
}
