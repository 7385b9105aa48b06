import ArgumentParser
import Glibc
import HookgateCore
import HookgateServer
import NIOCore
import NIOHTTP1
import UnixSignals

/// `hookgate dashboard`: the dashboard of a gateway whose admin listener is a Unix socket, through a loopback
/// proxy that a one-time URL opens (as Jupyter does).
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the dashboard of a running gateway through a local proxy to its admin Unix socket.",
        discussion: """
            Starts an HTTP proxy on a loopback address (--listen, default 127.0.0.1:0, a free port) to the \
            gateway's admin socket (--admin-socket, else the one serve uses with the same configuration and \
            environment), prints http://127.0.0.1:PORT/?token=... on standard output and, on a desktop ($DISPLAY \
            or $WAYLAND_DISPLAY set), opens it with xdg-open unless --no-open. The token is new at every start \
            and works once: the first visit trades it for a session cookie (HttpOnly, SameSite=Strict) and the \
            URL is refused after that. Requests that change state (replay) also need the page's CSRF token and \
            its own origin. Runs until SIGINT or SIGTERM.

            On a remote server: run hookgate dashboard --no-open --listen 127.0.0.1:8765 there, forward the port \
            with ssh -L 8765:127.0.0.1:8765 SERVER, and open the printed URL on your machine.

            Exit codes: 0 after SIGINT or SIGTERM, 1 when the admin socket is absent or does not answer or the \
            address cannot be bound, 2 on a usage error (e.g. a --listen address that is not loopback).
            """
    )

    @Option(
        help: ArgumentHelp(
            "The loopback address to listen on; port 0 picks a free one. Other hosts are refused.",
            valueName: "HOST:PORT"
        )
    )
    var listen = "127.0.0.1:0"

    @Option(help: ArgumentHelp("The gateway's admin Unix socket (default: the configuration's).", valueName: "PATH"))
    var adminSocket: String?

    @Option(
        help: ArgumentHelp(
            "The configuration naming the admin socket (default: $HOOKGATE_CONFIG, else \(ConfigurationLoader.defaultPath)).",
            valueName: "PATH"
        )
    )
    var config: String?

    @Flag(help: "Print the URL only; do not start a browser.")
    var noOpen = false

    func run() async throws {
        guard let address = ListenAddress(parsing: self.listen) else {
            throw UsageError("--listen: \(ListenAddress.expectedForm)")
        }
        guard address.isLoopback else {
            throw UsageError(
                "--listen: \(address.host) is not a loopback address; the proxy only listens on this machine "
                    + "(reach it from elsewhere with ssh -L)"
            )
        }
        let environment = ProcessEnvironment.current()
        let socketPath = try self.socketPath(environment: environment)
        let admin = AdminSocketClient(socketPath: socketPath)
        do {
            try await Self.check(admin)
            let token = AdminAccessToken.random()
            let proxy = DashboardProxy(access: AdminAccess(token: token, singleUseToken: true), admin: admin)
            try await self.run(proxy, on: address, token: token, environment: environment)
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
    }

    /// Binds, prints (and opens) the URL, serves until SIGINT or SIGTERM.
    private func run(
        _ proxy: DashboardProxy,
        on address: ListenAddress,
        token: Secret,
        environment: [String: String]
    ) async throws {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let listener: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
        do {
            listener = try await proxy.bind(address)
        } catch {
            StandardError.write("hookgate dashboard: cannot listen on \(address): \(error)")
            throw ExitCode(1)
        }
        let port = listener.channel.localAddress?.port ?? address.port
        // The token goes to standard output only (and to xdg-open), never to a log or standard error.
        let url = "http://\(ListenAddress(host: address.host, port: port))/?token=\(token.value)"
        try StandardOutput.write(Array("\(url)\n".utf8))
        StandardError.write(
            "hookgate dashboard: proxying to \(proxy.admin.socketPath); the URL works once (its first visit sets a "
                + "session cookie). Ctrl-C stops."
        )
        let opener = !self.noOpen && BrowserOpener.hasDesktop(environment) ? BrowserOpener.open(url) : nil
        defer { opener?.remove() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await proxy.serve(listener) }
            for await _ in signals { break }
            try? await listener.channel.close()
            group.cancelAll()
        }
    }

    /// --admin-socket, else the configuration's socket.
    private func socketPath(environment: [String: String]) throws -> String {
        if let adminSocket { return adminSocket }
        do {
            return try ConfigurationLoader.adminSocketPath(configPath: self.config, environment: environment)
        } catch {
            StandardError.write("hookgate dashboard: cannot find the admin socket:\n\(error)")
            throw ExitCode(1)
        }
    }

    /// Fails with a clear message unless the admin socket answers `/healthz`.
    private static func check(_ admin: AdminSocketClient) async throws {
        let path = admin.socketPath
        guard access(path, F_OK) == 0 else {
            StandardError.write(
                "hookgate dashboard: there is no admin socket at '\(path)': is hookgate serve running with this "
                    + "configuration and data directory? (--admin-socket names another socket)"
            )
            throw ExitCode(1)
        }
        do {
            let answer = try await admin.send(method: "GET", uri: "/healthz", headers: [:], body: [])
            guard answer.status == 200 else { throw AdminSocketError("it answered /healthz with \(answer.status)") }
        } catch {
            StandardError.write("hookgate dashboard: the admin socket '\(path)' does not answer: \(error)")
            throw ExitCode(1)
        }
    }
}
