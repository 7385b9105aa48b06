import ArgumentParser
import Glibc
import HookgateCore
import HookgateServer
import NIOCore
import NIOPosix
import UnixSignals

/// `hookgate sink`: a stand-in payment system on the upstream Unix socket that prints what the gateway
/// delivers and answers as told (fail a share, fail the first few, answer slowly).
struct SinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sink",
        abstract: "Stand in for the payment system: listen on the upstream Unix socket and print each event.",
        discussion: """
            The socket is --socket, else $HOOKGATE_UPSTREAM_SOCKET, else <data dir>/payments.sock (data dir: \
            $HOOKGATE_DATA_DIR or ./data), where 'hookgate serve' delivers by default. Each request is printed \
            on standard output: a readable line on a terminal, one JSON object per line otherwise. SIGINT or \
            SIGTERM removes the socket, prints a summary on standard error and exits 0.
            """
    )

    /// `--format`: how each request is printed.
    enum FormatOption: String, ExpressibleByArgument, CaseIterable {
        case auto, text, json
    }

    @Option(help: ArgumentHelp("The Unix socket to listen on.", valueName: "PATH"))
    var socket: String?

    @Option(help: "auto: text on a terminal, JSON lines otherwise.")
    var format: FormatOption = .auto

    @Option(help: ArgumentHelp("Answer this share of requests (0 to 1) with --fail-status.", valueName: "RATE"))
    var failRate: Double = 0

    @Option(help: ArgumentHelp("Answer the first N requests with --fail-status, then succeed.", valueName: "N"))
    var failFirst: Int = 0

    @Option(help: ArgumentHelp("The status of a deliberate failure.", valueName: "STATUS"))
    var failStatus: Int = 500

    @Option(
        help: ArgumentHelp("Answer every request with this status (e.g. 400 to see dead letters).", valueName: "STATUS")
    )
    var status: Int?

    @Option(help: ArgumentHelp("Wait this long before each answer, e.g. 200ms or 2s.", valueName: "DURATION"))
    var delay = DurationArgument(milliseconds: 0)

    @Option(help: ArgumentHelp("Add 'Retry-After: SECONDS' to deliberate failures.", valueName: "SECONDS"))
    var retryAfter: Int?

    @Option(help: ArgumentHelp("Answer 413 to bodies larger than this.", valueName: "BYTES"))
    var maxBodyBytes: Int = 1024 * 1024

    @Option(
        help: ArgumentHelp(
            "Check the gateway's Standard Webhooks signature with this secret; answer 401 when it fails.",
            valueName: "SECRET"
        )
    )
    var verifySecret: String?

    @Option(help: ArgumentHelp("Like --verify-secret, the secret read from this variable.", valueName: "NAME"))
    var verifySecretEnv: String?

    func validate() throws {
        guard (0...1).contains(self.failRate) else { throw ValidationError("--fail-rate must be between 0 and 1") }
        guard self.failFirst >= 0 else { throw ValidationError("--fail-first must not be negative") }
        for (name, value) in [("--fail-status", self.failStatus), ("--status", self.status ?? 200)]
        where !(200...599).contains(value) {
            throw ValidationError("\(name) must be an HTTP status between 200 and 599")
        }
        if let retryAfter, retryAfter < 0 { throw ValidationError("--retry-after must not be negative") }
        guard self.maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        if self.verifySecret != nil, self.verifySecretEnv != nil {
            throw ValidationError("give --verify-secret or --verify-secret-env, not both")
        }
    }

    func run() async throws {
        let socketFile = UnixSocketFile(path: self.socketPath)
        let settings = SinkHTTPHandler.Settings(
            policy: SinkResponsePolicy(
                forcedStatus: self.status,
                failFirst: self.failFirst,
                failRate: self.failRate,
                failStatus: self.failStatus,
                retryAfter: self.retryAfter,
                delay: self.delay
            ),
            maximumBodyBytes: self.maxBodyBytes,
            signatureCheck: try self.signatureCheck(),
            output: SinkOutput(format: self.outputFormat),
            tally: SinkTally()
        )
        do {
            try FileOutput.createDirectories(for: socketFile.path, mode: 0o700)
            try socketFile.prepare()
        } catch {
            StandardError.write("hookgate sink: \(error)")
            throw ExitCode(1)
        }
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        // One event loop: requests are numbered, answered and printed in arrival order.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel: any Channel
        let inode: ino_t
        do {
            channel = try await socketFile.creating { privatePath in
                try await SinkServer(settings: settings).bind(path: privatePath, group: group)
            } close: { channel in
                try? await channel.close()
            }
            inode = try socketFile.boundInode()
        } catch {
            try? await group.shutdownGracefully()
            StandardError.write("hookgate sink: cannot listen on '\(socketFile.path)': \(error)")
            throw ExitCode(1)
        }
        StandardError.write("hookgate sink: listening on \(socketFile.path) (\(self.behaviourDescription))")
        for await _ in signals { break }
        try? await channel.close()
        socketFile.remove(inode: inode)
        try? await group.shutdownGracefully()
        StandardError.write("hookgate sink: \(settings.tally.summary)")
    }

    /// --socket, else the gateway's default upstream socket.
    private var socketPath: String {
        if let socket { return socket }
        var ignored: [ConfigurationIssue] = []
        let overrides = EnvironmentOverrides(environment: ProcessEnvironment.current(), issues: &ignored)
        return overrides.upstreamSocket ?? overrides.defaultUpstreamSocketPath
    }

    private var outputFormat: SinkOutput.Format {
        switch self.format {
        case .text: .text
        case .json: .json
        case .auto: isatty(STDOUT_FILENO) == 1 ? .text : .json
        }
    }

    private func signatureCheck() throws(UsageError) -> SinkSignatureCheck? {
        if let verifySecret {
            return try SinkSignatureCheck(secrets: [
                LabelledSecret(label: "--verify-secret", secret: Secret(verifySecret))
            ])
        }
        guard let name = self.verifySecretEnv else { return nil }
        guard let pointer = getenv(name), pointer.pointee != 0 else {
            throw UsageError("environment variable \(name) is not set or empty")
        }
        return try SinkSignatureCheck(secrets: [LabelledSecret(label: name, secret: Secret(String(cString: pointer)))])
    }

    /// `answering 200`, `answering 500 to the first 2, then 200; delay 200ms`.
    private var behaviourDescription: String {
        var parts: [String] = []
        if let status {
            parts.append("answering \(status) to everything")
        } else {
            var answer = "answering 200"
            if self.failFirst > 0 { answer = "answering \(self.failStatus) to the first \(self.failFirst), then 200" }
            if self.failRate > 0 { answer += ", \(self.failStatus) to \(Int(self.failRate * 100))% at random" }
            parts.append(answer)
        }
        if self.delay.milliseconds > 0 { parts.append("delay \(self.delay.milliseconds)ms") }
        if let retryAfter { parts.append("Retry-After \(retryAfter)") }
        if self.verifySecret != nil || self.verifySecretEnv != nil {
            parts.append("checking signatures")
        }
        return parts.joined(separator: "; ")
    }
}
