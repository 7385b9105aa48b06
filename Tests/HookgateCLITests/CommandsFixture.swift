import Foundation
import HookgateStore
import HookgateTestSupport

/// Four commands to Stripe's API appended to a store through the real store API, with their attempts recorded
/// as the command worker records them:
///
/// | id | type | CloudEvent id | order | state | attempts |
/// |---|---|---|---|---|---|
/// | 1 | payment-requested | `cmd-pay-1` | `ord_1` (1999 eur) | delivered, `pi_1` succeeded | 500, then 200 |
/// | 2 | payment-requested | `cmd-pay-2` | `ord_2` (500 usd) | dead, `pi_2` requires_payment_method | 402 declined |
/// | 3 | refund-requested | `cmd-refund-3` | `ord_1` (the whole rest of `pi_1`) | pending | timeout (no answer) |
/// | 4 | payment-requested | `1` | ``hostileOrder`` (42 eur) | delivered, `pi_4` succeeded | 200, replayed |
///
/// Command n is received (n - 1) minutes and 123 ms after `t0`; the attempts start 300 s to 302 s after it, and
/// command 3 is due again 100,000 s (about 28 h) after it. Command 4's CloudEvent id is `1`, which is also command
/// 1's store id.
///
/// ``init(t0:)`` writes them to a stopped gateway's store file (nothing reads the clock there: the fixed epoch);
/// ``seed(_:t0:)`` appends them to a store a running gateway uses, with a `t0` after the wall clock's now, so
/// that its worker never finds one due.
struct CommandsFixture {
    /// An order id with markup and control characters (ESC, CR, LF, a C1 control).
    static let hostileOrder = "ord_<img src=x onerror=window.__hookgateXSS=7>\u{1B}[31m\r\nforged\u{85}"
    static let commandIDs = ["cmd-pay-1", "cmd-pay-2", "cmd-refund-3", "1"]
    static let orders = ["ord_1", "ord_2", "ord_1", hostileOrder]
    static let kinds = ["payment-requested", "payment-requested", "refund-requested", "payment-requested"]

    let directory: TemporaryDirectory
    /// `<directory>/data/hookgate.sqlite`.
    let storePath: String

    /// A store file with the four commands, `t0` being 2026-11-26T09:00:00Z.
    init(t0: Date = DeliveriesFixture.fixedEpoch) async throws {
        let file = try await SeededStoreFile { try await Self.seed($0, t0: t0) }
        (self.directory, self.storePath) = (file.directory, file.storePath)
    }

    /// Runs `hookgate commands <arguments> --store <store>`.
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> HookgateProcess.Result {
        try HookgateProcess.run(["commands"] + arguments + ["--store", self.storePath], environment: environment)
    }

    /// The form parameters of command `n` (1-based), in the order they are encoded.
    static func form(_ n: Int) -> [(String, String)] {
        let metadata = [("metadata[order_id]", orders[n - 1]), ("metadata[hookgate_command_id]", commandIDs[n - 1])]
        switch n {
        case 3: return [("payment_intent", "pi_1")] + metadata
        default:
            let (amount, currency) = [("1999", "eur"), ("500", "usd"), ("", ""), ("42", "eur")][n - 1]
            return [
                ("amount", amount), ("currency", currency), ("payment_method", "pm_card_visa"), ("confirm", "true"),
                ("off_session", "true"), ("payment_method_types[0]", "card"),
            ] + metadata
        }
    }

    /// `parameters` as `application/x-www-form-urlencoded`: every byte but the unreserved ones percent-encoded.
    static func encoded(_ parameters: [(String, String)]) -> Data {
        let unreserved = CharacterSet(
            charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"
        )
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: unreserved)! }
        return Data(parameters.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&").utf8)
    }

    /// The command `n` (1-based) as appended, received at `t0` plus its offset.
    static func command(_ n: Int, t0: Date) -> NewCommand {
        let id = commandIDs[n - 1]
        let kind = kinds[n - 1]
        let body = #"{"specversion":"1.0","id":"\#(id)","source":"payments-platform/orders","type":"\#(kind)"}"#
        return NewCommand(
            commandID: id,
            kind: kind,
            source: "payments-platform/orders",
            subject: orders[n - 1],
            receivedAt: t0.addingTimeInterval(Double(n - 1) * 60 + 0.123),
            body: Data(body.utf8),
            request: StripeRequest(
                method: "POST",
                path: kind == "refund-requested" ? "/v1/refunds" : "/v1/payment_intents",
                form: encoded(form(n)),
                idempotencyKey: id
            )
        )
    }

    /// Appends the four commands to `store` (running) and records their attempts.
    static func seed(_ store: any CommandStore, t0: Date) async throws {
        for n in 1...4 { _ = try await store.appendCommand(command(n, t0: t0)) }
        func claim(_ seconds: Double) async throws -> [CommandLease] {
            try await store.claimDueCommands(
                now: t0.addingTimeInterval(seconds),
                leaseDuration: .seconds(30),
                limit: 10
            )
        }
        func report(
            _ seconds: Double,
            _ status: Int?,
            _ requestID: String?,
            _ body: String?,
            error: String?
        )
            -> CommandAttemptReport
        {
            CommandAttemptReport(
                startedAt: t0.addingTimeInterval(seconds),
                duration: .microseconds(45_678),
                status: status,
                requestID: requestID,
                idempotentReplayed: requestID == "req_4",
                response: body.map { Data($0.utf8) },
                error: error
            )
        }
        let first = try await claim(300)
        let lease = { (id: Int64) in first.first { $0.record.id.rawValue == id }! }
        try await store.completeCommandAttempt(
            lease(1),
            report: report(
                300,
                500,
                "req_1a",
                #"{"error":{"type":"api_error","message":"Try again."}}"#,
                error: "api_error: Try again."
            ),
            outcome: .retry(at: t0.addingTimeInterval(301)),
            stripeObject: nil
        )
        try await store.completeCommandAttempt(
            lease(2),
            report: report(
                300,
                402,
                "req_2",
                Self.declined,
                error: "card_error card_declined: Your card was declined."
            ),
            outcome: .dead,
            stripeObject: StripeObjectReference(id: "pi_2", status: "requires_payment_method")
        )
        try await store.completeCommandAttempt(
            lease(4),
            report: report(
                300,
                200,
                "req_4",
                #"{"id":"pi_4","object":"payment_intent","status":"succeeded"}"#,
                error: nil
            ),
            outcome: .delivered,
            stripeObject: StripeObjectReference(id: "pi_4", status: "succeeded")
        )
        // Command 3 stays pending: its lease is given up as a retry long after everything else.
        try await store.completeCommandAttempt(
            lease(3),
            report: report(300, nil, nil, nil, error: "upstream unreachable: timeout"),
            outcome: .retry(at: t0.addingTimeInterval(100_000)),
            stripeObject: nil
        )
        let second = try await claim(302)
        try await store.completeCommandAttempt(
            second[0],
            report: report(
                302,
                200,
                "req_1b",
                #"{"id":"pi_1","object":"payment_intent","status":"succeeded"}"#,
                error: nil
            ),
            outcome: .delivered,
            stripeObject: StripeObjectReference(id: "pi_1", status: "succeeded")
        )
    }

    /// Stripe's answer to a declined card (402), naming the PaymentIntent; a control character in its message.
    static let declined = #"""
        {"error":{"type":"card_error","code":"card_declined","decline_code":"generic_decline","message":"Your card was declined.\u001b[2J","payment_intent":{"id":"pi_2","status":"requires_payment_method"}}}
        """#
}
