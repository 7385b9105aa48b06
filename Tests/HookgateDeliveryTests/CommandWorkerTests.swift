import Foundation
import HookgateCore
import HookgateDelivery
import HookgateEmulator
import HookgateStore
import Logging
import Metrics
import ServiceLifecycle
import Testing

/// The command worker against Hookgate's Stripe emulator on a real socket and a real SQLite store: payments and
/// refunds delivered with Stripe's objects, a declined card dead with Stripe's error, injected failures retried
/// with the same key (one PaymentIntent), an answer lost after Stripe ran the request replayed by the next
/// worker.
@Suite(.timeLimit(.minutes(2)))
struct CommandWorkerTests {
    /// A pm_card_visa payment is delivered as the succeeded PaymentIntent; Stripe got the stored form, the
    /// command's id as the idempotency key, and ran it once.
    @Test func aPaymentIsDeliveredWithItsPaymentIntent() async throws {
        try await CommandHarness.run { harness in
            let id = try await harness.requestPayment(
                id: "cmd-pay-1",
                order: "ord_1",
                paymentMethod: "pm_card_visa",
                customer: "cus_Order1"
            )
            let (detail, reachable) = try await harness.runWorker { worker in
                (try await harness.waitFor(id), worker.isStripeReachable)
            }
            #expect(reachable == true)
            #expect(detail.record.state == .delivered)
            let object = try #require(detail.record.stripeObject)
            #expect(object.id.hasPrefix("pi_") && object.status == "succeeded")
            #expect(detail.record.lastStatus == 200 && detail.record.lastError == nil)
            let attempt = try #require(detail.attempts.only)
            #expect(attempt.report.status == 200)
            #expect(attempt.report.requestID?.hasPrefix("req_") == true)
            #expect(!attempt.report.idempotentReplayed)
            let answer = try JSONValueParser.parse(Array(try #require(attempt.report.response)))
            #expect(answer["id"] == .string(object.id))

            let intent = try harness.get("/v1/payment_intents/\(object.id)")
            #expect(intent["customer"] == .string("cus_Order1"))
            #expect(intent["metadata"]?["hookgate_command_id"] == .string("cmd-pay-1"))
            #expect(intent["metadata"]?["order_id"] == .string("ord_1"))
            let logged = try harness.requests(idempotencyKey: "cmd-pay-1")
            #expect(logged.count == 1)
        }
    }

    /// Stripe keeps an idempotency key 24 hours: a command claimed 23 hours after it was received is sent, one
    /// claimed 24 hours after (its retry due while the gateway was stopped a day) is not, whether or not an
    /// earlier request reached Stripe. It is dead, saying why, and Stripe is never asked. (The worker's clock is
    /// the wall clock moved on; the commands are received by the wall clock.)
    @Test func aCommandPastTheIdempotencyWindowIsNotSent() async throws {
        try await CommandHarness.run { harness in
            let inTime = try await harness.requestPayment(
                id: "cmd-23h",
                order: "ord_23h",
                paymentMethod: "pm_card_visa"
            )
            let sent = try await harness.runWorker(now: { Date().addingTimeInterval(23 * 3600) }) { _ in
                try await harness.waitFor(inTime)
            }
            #expect(sent.record.state == .delivered)
            #expect(try harness.requests(idempotencyKey: "cmd-23h").count == 1)

            let late = try await harness.requestPayment(id: "cmd-24h", order: "ord_24h", paymentMethod: "pm_card_visa")
            let refused = try await harness.runWorker(now: { Date().addingTimeInterval(24 * 3600) }) { _ in
                try await harness.waitFor(late)
            }
            #expect(refused.record.state == .dead)
            let error = try #require(refused.record.lastError)
            #expect(error.hasPrefix("not sent: received more than 23.5 hours ago"), "\(error)")
            let attempt = try #require(refused.attempts.only)
            #expect(attempt.report.status == nil && attempt.report.response == nil)
            #expect(try harness.requests(idempotencyKey: "cmd-24h").isEmpty)
        }
    }

    /// A declined card is dead at once with Stripe's error and the PaymentIntent it names.
    @Test func aDeclinedCardIsDeadWithItsPaymentIntent() async throws {
        try await CommandHarness.run { harness in
            let id = try await harness.requestPayment(
                id: "cmd-declined",
                order: "ord_2",
                paymentMethod: "pm_card_chargeDeclined"
            )
            let detail = try await harness.runWorker { _ in try await harness.waitFor(id) }
            #expect(detail.record.state == .dead)
            #expect(detail.record.attemptCount == 1)
            #expect(detail.record.lastStatus == 402)
            let error = try #require(detail.record.lastError)
            #expect(error.contains("card_error, card_declined, generic_decline"), "\(error)")
            #expect(error.contains("Your card was declined."))
            #expect(!error.contains(CommandHarness.apiKey))
            let object = try #require(detail.record.stripeObject)
            #expect(object.id.hasPrefix("pi_") && object.status == "requires_payment_method")
            #expect(try harness.get("/v1/payment_intents/\(object.id)")["status"] == .string("requires_payment_method"))
        }
    }

    /// Injected 500s and 429s (Stripe-Should-Retry: true, Retry-After: 1 for 429) are retried with the same key
    /// until Stripe runs the request: delivered on the third attempt, one PaymentIntent.
    @Test(arguments: [500, 429])
    func injectedFailuresAreRetriedThenDelivered(_ status: Int) async throws {
        try await CommandHarness.run(faults: APIFaults(failFirst: 2, status: status)) { harness in
            let id = try await harness.requestPayment(id: "cmd-retried", order: "ord_3", paymentMethod: "pm_card_visa")
            let detail = try await harness.runWorker { _ in try await harness.waitFor(id) }
            #expect(detail.record.state == .delivered)
            #expect(detail.attempts.map(\.report.status) == [status, status, 200])
            #expect(detail.attempts.dropLast().allSatisfy { $0.report.error?.contains("answered \(status)") == true })
            if status == 429 {
                let waited = detail.attempts[1].report.startedAt.timeIntervalSince(detail.attempts[0].report.startedAt)
                #expect(waited >= 0.9, "Retry-After: 1 honoured")
            }
            let logged = try harness.requests(idempotencyKey: "cmd-retried")
            #expect(logged.map { $0["status"] } == [.integer(Int64(status)), .integer(Int64(status)), .integer(200)])
            #expect(logged.allSatisfy { $0["idempotent_replayed"] == .bool(false) })
            #expect(try harness.list("/v1/payment_intents").count == 1)
        }
    }

    /// Stripe runs the payment but its answer comes too late (the worker times out, or is stopped): the next
    /// attempt, by another worker, gets the saved answer (Idempotent-Replayed) and delivers; one PaymentIntent.
    @Test func anAnswerLostAfterStripeRanItIsReplayed() async throws {
        try await CommandHarness.run(faults: APIFaults(answerDelayMilliseconds: 1_000)) { harness in
            let id = try await harness.requestPayment(id: "cmd-late", order: "ord_4", paymentMethod: "pm_card_visa")
            let (first, reachable) = try await harness.runWorker(requestTimeout: .milliseconds(300)) { worker in
                (try await harness.waitFor(id) { $0.record.attemptCount >= 1 }, worker.isStripeReachable)
            }
            #expect(reachable == false, "no answer in time")
            // Pending for its retry; or, when the retry's jitter was short, leased again by the first worker, which
            // is then cancelled as a process dies: its lease expires (after the 30 s margin) for the second.
            #expect([.pending, .delivering].contains(first.record.state))
            #expect(first.attempts.first?.report.status == nil)
            #expect(first.attempts.first?.report.error?.contains("stripe_api_timeout") == true)
            let detail = try await harness.runWorker { _ in try await harness.waitFor(id, timeout: .seconds(60)) }
            #expect(detail.record.state == .delivered)
            #expect(detail.record.stripeObject?.status == "succeeded")
            #expect(detail.attempts.last?.report.idempotentReplayed == true)
            let logged = try harness.requests(idempotencyKey: "cmd-late")
            #expect(logged.filter { $0["idempotent_replayed"] == .bool(false) }.count == 1)
            #expect(logged.last?["idempotent_replayed"] == .bool(true))
            #expect(try harness.list("/v1/payment_intents").count == 1)
        }
    }

    /// A refund of a delivered payment is delivered as the Refund.
    @Test func aRefundAfterAPaymentIsDelivered() async throws {
        try await CommandHarness.run { harness in
            try await harness.runWorker { _ in
                let payment = try await harness.requestPayment(
                    id: "cmd-p",
                    order: "ord_5",
                    paymentMethod: "pm_card_visa"
                )
                let paid = try await harness.waitFor(payment)
                let intent = try #require(paid.record.stripeObject?.id)
                let refund = try await harness.requestRefund(id: "cmd-r", order: "ord_5", payment: intent, amount: 500)
                let refunded = try await harness.waitFor(refund)
                #expect(refunded.record.state == .delivered)
                let object = try #require(refunded.record.stripeObject)
                #expect(object.id.hasPrefix("re_") && object.status == "succeeded")
                let stored = try harness.get("/v1/refunds/\(object.id)")
                #expect(stored["payment_intent"] == .string(intent) && stored["amount"] == .integer(500))
            }
        }
    }

    /// However many commands are due, at most ``CommandWorker/maximumInFlight`` requests are open at once: with
    /// an API that never answers, four of ten commands are sent and leased, the rest wait.
    @Test func atMostMaximumInFlightRequestsAtOnce() async throws {
        try await CommandHarness.run { harness in
            let silent = try await ScriptedStripeAPI { _, _ in nil }
            for number in 0..<10 {
                try await harness.requestPayment(
                    id: "cmd-\(number)",
                    order: "ord_\(number)",
                    paymentMethod: "pm_card_visa"
                )
            }
            let worker = CommandWorker(
                store: harness.store,
                stripeAPI: StripeAPISettings(
                    apiBase: silent.base,
                    apiKey: Secret(CommandHarness.apiKey),
                    keySource: "test"
                ),
                retry: CommandHarness.fastRetry,
                maximumInFlight: 4,
                requestTimeout: .seconds(60),
                metricsFactory: NOOPMetricsHandler.instance,
                logger: Logger(label: "test.commands")
            )
            let running = Task { try await worker.run() }
            let deadline = ContinuousClock.now + .seconds(20)
            while silent.received.count < 4, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            // Three polls and hints in which the worker could claim more if it would.
            try await Task.sleep(for: CommandWorker.pollInterval * 3)
            #expect(silent.received.count == 4)
            #expect(try await harness.store.countCommands(matching: CommandQuery(state: .delivering)) == 4)
            #expect(try await harness.store.countCommands(matching: CommandQuery(state: .pending)) == 6)
            #expect(worker.isStripeReachable == nil, "no answer yet")
            running.cancel()
            _ = try? await running.value
            await silent.close()
        }
    }

    /// A graceful shutdown while Stripe's answer is on its way lets the request finish and be recorded.
    @Test func aGracefulShutdownLetsTheRequestInFlightFinish() async throws {
        try await CommandHarness.run(faults: APIFaults(answerDelayMilliseconds: 1_000)) { harness in
            let id = try await harness.requestPayment(id: "cmd-stop", order: "ord_6", paymentMethod: "pm_card_visa")
            let group = ServiceGroup(
                configuration: .init(services: [.init(service: harness.worker())], logger: Logger(label: "test"))
            )
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                // Stripe ran the payment; its answer is up to a second away.
                let deadline = ContinuousClock.now + .seconds(20)
                while try harness.requests(idempotencyKey: "cmd-stop").isEmpty, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let detail = try #require(try await harness.store.command(id))
            #expect(detail.record.state == .delivered)
            #expect(detail.attempts.count == 1)
            #expect(detail.attempts.first?.report.status == 200)
        }
    }
}

extension Array {
    /// The single element, or nil when there are none or several.
    fileprivate var only: Element? { count == 1 ? first : nil }
}
