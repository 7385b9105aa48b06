import ArgumentParser
import Foundation
import Glibc
import HookgateCore
import NIOCore
import NIOHTTP1

/// `hookgate send-command`: posts a payment-requested or refund-requested to the gateway's commands socket,
/// which stores it and sends it to Stripe's API.
struct SendStripeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-command",
        abstract: "Post a payment-requested or refund-requested command to the gateway's commands socket.",
        discussion: """
            Builds the CloudEvent from the options (or sends --file as it is) and POSTs it to /commands on the \
            commands socket: --socket, else $HOOKGATE_COMMANDS_SOCKET, else the configuration's commands.socket \
            (default <data dir>/commands.sock). The gateway answers 202 once the command is stored; it then \
            sends it to Stripe with the CloudEvent id as the Idempotency-Key. The id is a fresh UUID unless --id \
            gives one; it is printed, so that a retry can reuse it (the same command again is answered as a \
            duplicate, the same id with other values 409). \
            Prints one line (--json: the answer as JSON with its status). \
            With --wait it then asks GET /commands/{id} every 100 ms until Stripe answered the command, and \
            prints `delivered: pi_... succeeded` or `dead: <Stripe's error>` instead (--json: the status \
            object), the answer going to standard error. \
            Exit codes: 0 accepted (or a duplicate; with --wait: delivered), 1 refused, the socket did not \
            answer, or (--wait) dead, 2 usage error, 3 (--wait) still pending or delivering after \
            --wait-timeout: the command stays stored and is still sent.
            """
    )

    @Argument(
        help: ArgumentHelp("payment-requested or refund-requested (not with --file).", valueName: "TYPE")
    )
    var type: String?

    @Option(help: ArgumentHelp("The order id (data.orderId and subject).", valueName: "ID"))
    var order: String?

    @Option(
        help: ArgumentHelp("Minor units (cents); for a refund, omit it to refund all that is left.", valueName: "N")
    )
    var amount: Int64?

    @Option(help: ArgumentHelp("payment-requested: three lowercase letters, e.g. usd.", valueName: "C"))
    var currency: String?

    @Option(help: ArgumentHelp("payment-requested: the PaymentMethod to charge, e.g. pm_card_visa.", valueName: "PM"))
    var paymentMethod: String?

    @Option(help: ArgumentHelp("payment-requested: the Customer the payment method belongs to.", valueName: "CUS"))
    var customer: String?

    @Option(help: ArgumentHelp("payment-requested: a description for Stripe's dashboard.", valueName: "TEXT"))
    var description: String?

    @Option(help: ArgumentHelp("refund-requested: the PaymentIntent to refund (pi_...).", valueName: "PI"))
    var payment: String?

    @Option(
        help: ArgumentHelp(
            "refund-requested: duplicate, fraudulent or requested_by_customer.",
            valueName: "REASON"
        )
    )
    var reason: String?

    @Option(help: ArgumentHelp("The CloudEvent id (default: a fresh UUID).", valueName: "ID"))
    var id: String?

    @Option(help: ArgumentHelp("The CloudEvent source.", valueName: "SOURCE"))
    var source = "hookgate-cli"

    @Option(
        help: ArgumentHelp("Send this CloudEvent as it is instead (- for standard input).", valueName: "PATH")
    )
    var file: String?

    @Option(help: ArgumentHelp("The commands socket.", valueName: "PATH"))
    var socket: String?

    @Option(help: ArgumentHelp("The configuration file naming the socket.", valueName: "PATH"))
    var config: String?

    @Flag(help: "Print the answer as JSON, with its HTTP status.")
    var json = false

    @Flag(help: "After the 202, wait until Stripe answered the command (delivered or dead); see the exit codes.")
    var wait = false

    @Option(help: ArgumentHelp("With --wait: how long to wait (default 30).", valueName: "SECONDS"))
    var waitTimeout = 30

    func validate() throws {
        guard self.waitTimeout > 0 else { throw ValidationError("--wait-timeout must be positive") }
    }

    func run() async throws {
        let body: [UInt8]
        let id: String?
        do {
            (body, id) = try self.commandBody()
        } catch {
            throw ValidationError(error.message)
        }
        let socketPath = try self.socketPath()
        guard access(socketPath, F_OK) == 0 else {
            throw self.unreachable(socketPath, "there is no socket at this path (is hookgate serve running?)")
        }
        let client = AdminSocketClient(socketPath: socketPath)
        do {
            try await self.post(body, id: id, client: client, socketPath: socketPath)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }

    /// Posts the command and prints the answer; with `--wait`, then waits for its outcome.
    private func post(_ body: [UInt8], id: String?, client: AdminSocketClient, socketPath: String) async throws {
        let answer: AdminSocketClient.Answer
        do {
            answer = try await client.send(
                method: "POST",
                uri: "/commands",
                headers: ["content-type": "application/cloudevents+json"],
                body: body
            )
        } catch {
            throw self.unreachable(socketPath, "\(error)")
        }
        let result = SentCommandAnswer(status: answer.status, body: Array(answer.body.readableBytesView), id: id)
        guard result.isAccepted else {
            if self.json { print(result.json) } else { StandardError.write("hookgate send-command: " + result.line) }
            throw ExitCode(1)
        }
        guard self.wait, let commandID = result.commandID else {
            print(self.json ? result.json : result.line)
            return
        }
        // The outcome is the result (standard output); that the command is stored, and its id, is progress.
        if !self.json { StandardError.write(result.line) }
        try await self.waitForOutcome(of: commandID, client: client, socketPath: socketPath)
    }

    /// The body to send and its id (nil for `--file`, whose id the answer names).
    private func commandBody() throws(UsageError) -> ([UInt8], String?) {
        if let file {
            guard self.type == nil else { throw UsageError("give TYPE or --file, not both") }
            return (try InputFile.read(file, limit: StripeCommand.maximumBodyBytes, what: "command file"), nil)
        }
        guard let type, let kind = CommandKind(rawValue: type) else {
            throw UsageError("TYPE must be payment-requested or refund-requested (or give --file)")
        }
        guard let order else { throw UsageError("\(type) needs --order") }
        let event = try self.event(kind: kind, orderID: order, id: self.id ?? UUID().uuidString)
        return (event.body, event.id)
    }

    /// Says on standard error that the socket did not answer, and why; exit code 1.
    func unreachable(_ socketPath: String, _ reason: String) -> ExitCode {
        StandardError.write("hookgate send-command: cannot reach the commands socket \(socketPath): \(reason)")
        return ExitCode(1)
    }

    private func socketPath() throws -> String {
        if let socket { return socket }
        do {
            return try ConfigurationLoader.commandsSocketPath(
                configPath: self.config,
                environment: ProcessEnvironment.current()
            )
        } catch {
            StandardError.write("hookgate send-command: the configuration is invalid:\n\(error)")
            throw ExitCode(2)
        }
    }
}
