import HookgateCore

extension ConfigurationLoader {
    /// The admin Unix socket `serve` would listen on: the file's `admin.socket`, else `HOOKGATE_ADMIN_SOCKET`'s,
    /// else `<data dir>/admin.sock`. Reads no secret. When no file is named (by `configPath` or
    /// `HOOKGATE_CONFIG`) and ``defaultPath`` does not exist, the data directory's socket.
    /// - Throws: ``ConfigurationError`` when the file cannot be read or decoded, or when its admin listener is
    ///   not a Unix socket (TCP, or disabled).
    static func adminSocketPath(
        configPath: String?,
        environment: [String: String]
    ) throws(ConfigurationError) -> String {
        let (configuration, overrides) = try Self.unresolvedConfiguration(
            configPath: configPath,
            environment: environment
        )
        guard let configuration else { return overrides.adminSocket ?? overrides.adminSocketPath }
        let path = JSONPath.root.appending("admin")
        switch configuration.admin {
        case .unixSocket(let socket, _):
            return socket ?? overrides.adminSocketPath
        case .tcp(let address, _):
            throw ConfigurationError(
                ConfigurationIssue(
                    code: .invalidValue,
                    path: path.appending("listen"),
                    reason: "the admin listener is TCP (\(address)), not a Unix socket: give --admin-socket, or "
                        + "reach the dashboard through admin.http_listen"
                )
            )
        case .disabled:
            throw ConfigurationError(
                ConfigurationIssue(
                    code: .invalidValue,
                    path: path.appending("disabled"),
                    reason: "the admin listener is disabled, so there is no socket to reach"
                )
            )
        }
    }
}
