import Foundation
import HookgateCore
import HookgateEmulator
import Testing

/// `--state FILE`: a second emulator on the same SQLite file continues where the first stopped.
struct StateFileTests {
    /// A temporary state file path, in a directory removed afterwards.
    private static func withStatePath(_ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hookgate-emulator-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory.appendingPathComponent("state.sqlite").path)
    }

    /// Objects, events (in order, with their delivery), thin ids and idempotency keys survive; new objects
    /// join them.
    @Test func aSecondRunContinuesFromTheFile() async throws {
        try await Self.withStatePath { path in
            let now: @Sendable () -> Int64 = { 1_796_400_000_000 }
            let first = try StripeAPI(forwards: true, now: now, statePath: path)
            let client = EmulatorTestClient(api: first)
            let parameters = [
                ("amount", "2000"), ("currency", "usd"), ("payment_method", "pm_card_visa"), ("confirm", "true"),
            ]
            let payment = try client.post("/v1/payment_intents", parameters, idempotencyKey: "pay-1")
            let paymentID = try #require(payment.string("id"))
            _ = try client.post("/v1/refunds", [("payment_intent", paymentID)])
            let events = try client.get("/v1/events").json
            guard case .array(let listed)? = events["data"], case .string(let newest)? = listed.first?["id"] else {
                Issue.record("no events")
                return
            }
            first.setDelivery(.delivered, eventID: newest)
            let thin = try #require(first.webhookBody(eventID: newest, thin: true))
            let delivered = try client.get("/v1/events", [("delivery_success", "true")]).json
            let before = (
                payment: try client.get("/v1/payment_intents/\(paymentID)").json, all: try client.get("/v1/events").json
            )

            let second = try StripeAPI(forwards: true, now: now, statePath: path)
            let again = EmulatorTestClient(api: second)
            #expect(try again.get("/v1/payment_intents/\(paymentID)").json == before.payment)
            #expect(try again.get("/v1/events").json == before.all)
            #expect(try again.get("/v1/events", [("delivery_success", "true")]).json == delivered)
            #expect(second.webhookBody(eventID: newest, thin: true) == thin)
            let replay = try again.post("/v1/payment_intents", parameters, idempotencyKey: "pay-1")
            #expect(replay.response.header("Idempotent-Replayed") == "true" && replay.string("id") == paymentID)
            let refundAgain = try again.post("/v1/refunds", [("payment_intent", paymentID)])
            #expect(refundAgain.error("code") == "charge_already_refunded", "the charge's refund was kept")
            _ = try again.pay(with: "pm_card_mastercard")
            guard case .array(let after)? = try again.get("/v1/events", [("limit", "100")]).json["data"] else { return }
            #expect(after.count == 8)
        }
    }

    /// Events not yet delivered when the emulator stopped are the first batch the next run sends.
    @Test func pendingEventsAreSentAgain() async throws {
        try await Self.withStatePath { path in
            let now: @Sendable () -> Int64 = { 1_796_400_000_000 }
            let first = try StripeAPI(forwards: true, now: now, statePath: path)
            _ = try EmulatorTestClient(api: first).post("/v1/payment_intents", [("amount", "5"), ("currency", "usd")])
            let second = try StripeAPI(forwards: true, now: now, statePath: path)
            second.finish()
            var batches: [[String]] = []
            for await batch in second.newEvents { batches.append(batch) }
            #expect(batches.count == 1 && batches.first?.count == 1)
        }
    }

    /// A file that is not SQLite is refused.
    @Test func aFileThatIsNotSQLiteIsRefused() async throws {
        try await Self.withStatePath { path in
            try Data("not a database, certainly not one of ours".utf8).write(to: URL(fileURLWithPath: path))
            #expect(throws: (any Error).self) { try StripeAPI(forwards: false, now: { 0 }, statePath: path) }
        }
    }
}
