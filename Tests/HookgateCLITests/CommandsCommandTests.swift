import Foundation
import HookgateCore
import HookgateStore
import HookgateTestSupport
import ServiceLifecycle
import Testing

@testable import hookgate

/// `hookgate commands list | show | retry` on a real store file filled through the real store API
/// (``CommandsFixture``), through the real binary.
@Suite(.onItsOwnThread, .timeLimit(.minutes(2)))
struct CommandsCommandTests {
    /// The store ids of `list --json`'s lines, in order.
    private func ids(_ result: HookgateProcess.Result) throws -> [Int64] {
        try result.stdout.split(separator: "\n").map { line in
            guard case .integer(let id)? = try JSONValueParser.parse(String(line))["id"] else {
                throw GatewayProcessError(message: "no id in \(line)")
            }
            return id
        }
    }

    /// The table, piped (every value whole): one row per command, newest first, the amount from the form, the
    /// object Stripe named, the CloudEvent id and the last error.
    @Test func listShowsEveryCommandNewestFirst() async throws {
        let fixture = try await CommandsFixture()
        let listed = try fixture.run(["list"], environment: ["COLUMNS": "80"])
        #expect(listed.status == 0, "\(listed.output)")
        #expect(
            listed.stdout == #"""
                ID RECEIVED             TYPE              STATE     ATT ORDER                                                                      AMOUNT STRIPE                       COMMAND      LAST ERROR
                 4 2026-11-26T09:03:00Z payment-requested delivered   1 ord_<img src=x onerror=window.__hookgateXSS=7>\u{1B}[31m\r\nforged\u{85}   42 eur pi_4 succeeded               1
                 3 2026-11-26T09:02:00Z refund-requested  pending     1 ord_1                                                                        rest -                            cmd-refund-3 upstream unreachable: timeout
                 2 2026-11-26T09:01:00Z payment-requested dead        1 ord_2                                                                     500 usd pi_2 requires_payment_method cmd-pay-2    card_error card_declined: Your card was declined.
                 1 2026-11-26T09:00:00Z payment-requested delivered   2 ord_1                                                                    1999 eur pi_1 succeeded               cmd-pay-1

                """#
        )
        // On a terminal too narrow for it all, only the last error is cut.
        let reader = try SQLiteDeliveryReader(path: fixture.storePath)
        let records = try await reader.commands(matching: CommandQuery(subject: "ord_2"))
        #expect(
            CommandTable.render(records, width: 150) == """
                ID RECEIVED             TYPE              STATE ATT ORDER  AMOUNT STRIPE                       COMMAND   LAST ERROR
                 2 2026-11-26T09:01:00Z payment-requested dead    1 ord_2 500 usd pi_2 requires_payment_method cmd-pay-2 card_error card_declined: Your card was decl…

                """
        )
        let empty = try fixture.run(["list", "--state", "delivering"])
        #expect(empty.status == 0 && empty.stdout.isEmpty && empty.stderr == "no commands match\n")
    }

    /// Every filter of `list`, alone, selects exactly its commands.
    @Test(
        arguments: [
            (["--state", "dead"], [2]), (["--state", "delivered"], [4, 1]), (["--type", "refund-requested"], [3]),
            (["--id", "cmd-pay-2"], [2]), (["--id", "1"], [4]), (["--subject", "ord_1"], [3, 1]),
            (["--stripe-object", "pi_1"], [1]), (["--since", "2026-11-26T09:01:00Z"], [4, 3, 2]),
            (["--until", "2026-11-26T09:01:00Z"], [1]),
            (
                ["--since", "2026-11-26T09:01:00Z", "--until", "2026-11-26T09:03:00Z", "--type", "payment-requested"],
                [2]
            ),
            (["--limit", "2"], [4, 3]),
        ] as [([String], [Int64])]
    )
    func eachFilterSelectsItsCommands(arguments: [String], expected: [Int64]) async throws {
        let fixture = try await CommandsFixture()
        let listed = try fixture.run(["list", "--json"] + arguments)
        #expect(listed.status == 0, "\(listed.output)")
        #expect(try self.ids(listed) == expected)
    }

    /// Bad filters are usage errors, as for `deliveries list`.
    @Test func badFiltersAreUsageErrors() async throws {
        let fixture = try await CommandsFixture()
        for arguments in [["--state", "lost"], ["--since", "yesterday"], ["--limit", "0"]] {
            let result = try fixture.run(["list"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.output)")
        }
        let order = try fixture.run(["list", "--since", "2026-11-26T10:00:00Z", "--until", "2026-11-26T09:00:00Z"])
        #expect(order.status == 2 && order.stderr.contains("--since must be before --until"))
    }

    /// `list --json`: one object per line with the documented members.
    @Test func listJSONHasTheDocumentedShape() async throws {
        let fixture = try await CommandsFixture()
        let listed = try fixture.run(["list", "--json", "--id", "cmd-pay-2"])
        let line = try JSONValueParser.parse(listed.stdout.trimmingCharacters(in: .newlines))
        guard case .object(let members) = line else { throw GatewayProcessError(message: "not an object") }
        #expect(
            members.map(\.key) == [
                "id", "command_id", "kind", "source", "subject", "order_id", "amount", "currency", "state", "attempts",
                "received_at", "next_attempt_at", "last_status", "last_error", "stripe_object", "updated_at",
            ]
        )
        #expect(line["command_id"] == .string("cmd-pay-2"))
        #expect(line["kind"] == .string("payment-requested"))
        #expect(line["order_id"] == .string("ord_2"))
        #expect(line["amount"] == .integer(500) && line["currency"] == .string("usd"))
        #expect(line["state"] == .string("dead") && line["attempts"] == .integer(1))
        #expect(line["received_at"] == .string("2026-11-26T09:01:00.123Z"))
        #expect(line["last_status"] == .integer(402))
        #expect(
            line["stripe_object"]
                == .object([
                    .init(key: "id", value: .string("pi_2")),
                    .init(key: "status", value: .string("requires_payment_method")),
                ])
        )
        let refund = try JSONValueParser.parse(try fixture.run(["list", "--json", "--id", "cmd-refund-3"]).stdout)
        #expect(refund["amount"] == .null && refund["currency"] == .null && refund["stripe_object"] == .null)
    }

    /// `show` by store id and by CloudEvent id: the request (form one parameter per line), every attempt with
    /// Stripe's status, Request-Id, replayed, duration, error and answer.
    @Test func showByEitherIDHasTheRequestAndEveryAttempt() async throws {
        let fixture = try await CommandsFixture()
        let byID = try fixture.run(["show", "2"])
        #expect(byID.status == 0, "\(byID.output)")
        #expect(
            byID.stdout == #"""
                command 2
                  state          dead
                  command id     cmd-pay-2
                  type           payment-requested
                  source         payments-platform/orders
                  subject        ord_2
                  received       2026-11-26T09:01:00.123Z
                  attempts       1
                  last status    402
                  last error     card_error card_declined: Your card was declined.
                  stripe object  pi_2 requires_payment_method

                request
                  POST /v1/payment_intents
                  Idempotency-Key: cmd-pay-2
                    amount                         500
                    currency                       usd
                    payment_method                 pm_card_visa
                    confirm                        true
                    off_session                    true
                    payment_method_types[0]        card
                    metadata[order_id]             ord_2
                    metadata[hookgate_command_id]  cmd-pay-2

                attempts (1)

                  #1  2026-11-26T09:05:00.000Z  45.7 ms  HTTP 402
                    request id  req_2
                    error       card_error card_declined: Your card was declined.
                    response (198 bytes)
                      {
                        "error": {
                          "type": "card_error",
                          "code": "card_declined",
                          "decline_code": "generic_decline",
                          "message": "Your card was declined.\u001b[2J",
                          "payment_intent": {
                            "id": "pi_2",
                            "status": "requires_payment_method"
                          }
                        }
                      }

                """#
        )
        let byCloudEventID = try fixture.run(["show", "cmd-pay-2"])
        #expect(byCloudEventID.status == 0 && byCloudEventID.stdout == byID.stdout)
        // A number is a store id first; the replayed answer of command 4 is marked.
        let one = try fixture.run(["show", "1"])
        #expect(one.stdout.hasPrefix("command 1\n") && one.stdout.contains("  #2  "))
        let replayed = try fixture.run(["show", "cmd-refund-3"])
        #expect(replayed.stdout.contains("POST /v1/refunds") && replayed.stdout.contains("no answer"))
        let missing = try fixture.run(["show", "cmd-nope"])
        #expect(missing.status == 1 && missing.stderr == "hookgate commands show: no command cmd-nope\n")
    }

    /// `show --json`: the summary, the request with its form decoded, the CloudEvent and the attempt log.
    @Test func showJSONHasTheRequestAndTheAttemptLog() async throws {
        let fixture = try await CommandsFixture()
        let shown = try fixture.run(["show", "--json", "cmd-pay-1"])
        #expect(shown.status == 0, "\(shown.output)")
        let detail = try JSONValueParser.parse(shown.stdout)
        #expect(detail["id"] == .integer(1) && detail["state"] == .string("delivered"))
        let request = try #require(detail["request"])
        #expect(request["method"] == .string("POST") && request["path"] == .string("/v1/payment_intents"))
        #expect(request["idempotency_key"] == .string("cmd-pay-1"))
        guard case .array(let form)? = request["form"] else { throw GatewayProcessError(message: "no form") }
        #expect(form.count == 8)
        #expect(
            form[6]
                == .object([
                    .init(key: "name", value: .string("metadata[order_id]")),
                    .init(key: "value", value: .string("ord_1")),
                ])
        )
        #expect(detail["event"]?["type"] == .string("payment-requested"))
        guard case .array(let attempts)? = detail["attempt_log"] else { throw GatewayProcessError(message: "no log") }
        #expect(attempts.count == 2)
        #expect(attempts[0]["status"] == .integer(500) && attempts[0]["request_id"] == .string("req_1a"))
        #expect(attempts[0]["error"] == .string("api_error: Try again."))
        #expect(attempts[1]["response"]?["id"] == .string("pi_1"))
        #expect(attempts[1]["idempotent_replayed"] == .bool(false) && attempts[1]["duration_ms"] == .number(45.678))
        let replayed = try JSONValueParser.parse(try fixture.run(["show", "--json", "4"]).stdout)
        guard case .array(let replayedAttempts)? = replayed["attempt_log"] else {
            throw GatewayProcessError(message: "no log")
        }
        #expect(replayedAttempts.first?["idempotent_replayed"] == .bool(true))
    }

    /// A stored value with control characters (the order id, Stripe's message) never reaches the terminal raw.
    @Test func controlCharactersAreEscaped() async throws {
        let fixture = try await CommandsFixture()
        for arguments in [["list"], ["show", "4"], ["show", "2"]] {
            let result = try fixture.run(arguments)
            #expect(result.status == 0)
            let controls = result.stdout.unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value)
            }
            #expect(controls.isEmpty, "\(arguments)")
        }
        let shown = try fixture.run(["show", "4"]).stdout
        #expect(
            shown.contains(
                #"  subject        ord_<img src=x onerror=window.__hookgateXSS=7>\u{1B}[31m\r\nforged\u{85}"#
            )
        )
        #expect(
            shown.contains(
                #"    metadata[order_id]             ord_<img src=x onerror=window.__hookgateXSS=7>\u{1B}[31m\r\nforged\u{85}"#
            )
        )
        #expect(shown.contains("    replayed    yes (Stripe's saved answer to this key)"))
    }

    /// `retry` re-queues a dead command (due now, its attempts and key kept) and refuses any other, or none.
    @Test func retryRequeuesOnlyADeadCommand() async throws {
        let fixture = try await CommandsFixture(t0: DeliveriesFixture.wallClockEpoch())
        let retried = try fixture.run(["retry", "cmd-pay-2"])
        #expect(retried.status == 0, "\(retried.output)")
        #expect(retried.stderr == "command 2 re-queued: the gateway sends it again\n")
        let reader = try SQLiteDeliveryReader(path: fixture.storePath)
        let detail = try #require(try await reader.command(CommandID(2)))
        #expect(detail.record.state == .pending && detail.attempts.count == 1)
        #expect(detail.record.received.request.idempotencyKey == "cmd-pay-2")
        #expect(try #require(detail.record.nextAttemptAt) > Date().addingTimeInterval(-60))

        let delivered = try fixture.run(["retry", "1"])
        #expect(delivered.status == 1)
        #expect(
            delivered.stderr
                == "hookgate commands retry: command 1 is delivered, not dead: only a dead command is retried\n"
        )
        let again = try fixture.run(["retry", "2"])
        #expect(again.status == 1 && again.stderr.contains("command 2 is pending, not dead"))
        let missing = try fixture.run(["retry", "999"])
        #expect(missing.status == 1 && missing.stderr == "hookgate commands retry: no command 999\n")
        #expect(try await reader.command(CommandID(1))?.record.state == .delivered)
    }

    /// A dead command received more than 23.5 hours ago is not re-queued: Stripe may have forgotten its key, and
    /// a request now could charge twice. (Received two days before the wall clock's last hour: `retry` reads the
    /// wall clock.)
    @Test func retryRefusesACommandPastTheIdempotencyWindow() async throws {
        let fixture = try await CommandsFixture(t0: DeliveriesFixture.wallClockEpoch().addingTimeInterval(-2 * 86_400))
        let refused = try fixture.run(["retry", "cmd-pay-2"])
        #expect(refused.status == 1)
        #expect(
            refused.stderr.hasPrefix(
                "hookgate commands retry: command 2 not re-queued: received more than 23.5 hours ago"
            ),
            "\(refused.stderr)"
        )
        let reader = try SQLiteDeliveryReader(path: fixture.storePath)
        let detail = try #require(try await reader.command(CommandID(2)))
        #expect(detail.record.state == .dead && detail.attempts.count == 1)
    }

    /// The same commands on PostgreSQL: `--store postgres://...` lists, shows and retries them.
    @Test(.timeLimit(.minutes(2))) func listShowAndRetryOnPostgreSQL() async throws {
        let cluster = try PostgresCluster()
        let store = try DeliveryStores.open(DeliveryStoreConfiguration(backend: .postgres, location: cluster.url))
        let running = Task { try await store.run() }
        do {
            try await CommandsFixture.seed(store, t0: DeliveriesFixture.wallClockEpoch())
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        try await running.value
        let commands = { (arguments: [String]) in
            try HookgateProcess.run(["commands"] + arguments + ["--store", cluster.url])
        }
        #expect(try self.ids(try commands(["list", "--json"])) == [4, 3, 2, 1])
        #expect(try self.ids(try commands(["list", "--json", "--state", "dead"])) == [2])
        let shown = try JSONValueParser.parse(try commands(["show", "--json", "cmd-pay-2"]).stdout)
        #expect(shown["id"] == .integer(2) && shown["last_status"] == .integer(402))
        let retried = try commands(["retry", "cmd-pay-2"])
        #expect(retried.status == 0, "\(retried.output)")
        #expect(try self.ids(try commands(["list", "--json", "--state", "pending"])) == [3, 2])
        #expect(try commands(["retry", "1"]).status == 1)
    }
}
