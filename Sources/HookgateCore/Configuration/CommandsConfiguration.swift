/// `commands`: the Unix socket the payment system posts its commands to Stripe on (`payment-requested`,
/// `refund-requested`).
public struct CommandsConfiguration: Sendable, Hashable {
    /// `socket`: the socket's path; `nil` means `HOOKGATE_COMMANDS_SOCKET`, else `<data dir>/commands.sock`.
    public var socketPath: String?
    /// `socket_mode`: the socket file's mode, like the admin socket's. Default 0600 (only this user may connect).
    public var socketMode: UInt16

    public init(socketPath: String? = nil, socketMode: UInt16 = 0o600) {
        self.socketPath = socketPath
        self.socketMode = socketMode
    }
}
