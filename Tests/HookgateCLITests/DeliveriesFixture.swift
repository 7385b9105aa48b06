import Foundation
import HookgateStore
import HookgateTestSupport

/// A stopped gateway's store with five deliveries at fixed offsets from `t0`, for the `deliveries` commands:
///
/// | id | endpoint | type | state | attempts |
/// |---|---|---|---|---|
/// | 1 | stripe | payment_intent.succeeded → payment-succeeded `pi_1` | delivered | 503, timeout, 200 |
/// | 2 | stripe | payment_intent.payment_failed → payment-failed `pi_2` | dead | 400 |
/// | 3 | connect | charge.refunded → refund-processed `re_3` | pending | 500 |
/// | 4 | stripe | customer.created (no route) | skipped | — |
/// | 5 | connect | payment_intent.succeeded, the same event id as 1 → payment-succeeded `pi_1` | delivering | — |
///
/// Every time in it is `t0` plus a fixed offset: delivery n is received (n - 1) minutes and 123 ms after `t0`,
/// the attempts start 300 s to 304.5 s after it, and delivery 3 is due again 100,000 s (about 28 h) after it.
/// Delivery 5 was leased 300 s after `t0` and never finished: from 330 s after `t0`, when its lease ran out, until
/// delivery 3 is due, delivery 5 is the only one due.
///
/// `t0` is one of two, chosen by the test:
/// - ``fixedEpoch`` (the default) when nothing in the test reads the clock (`list`, `show`, `stats`, `export`
///   with absolute times only): what the commands print is then the same on any date.
/// - ``wallClockEpoch()`` when the test or the binary reads the wall clock (`replay`, which re-queues as of
///   now and leaves leased deliveries alone; a lease taken by the test; a time ago such as `--since 30m`): the
///   fixture is then an hour or two old by the clock the binary reads. Never mix the fixed epoch with the wall
///   clock.
struct DeliveriesFixture {
    /// 2026-11-26T09:00:00Z: the fixture's `t0` for tests in which nothing reads the clock.
    static let fixedEpoch = Date(timeIntervalSince1970: 1_795_683_600)

    /// The start of the hour before the current one, by the wall clock read now: the fixture's `t0` for tests
    /// in which the wall clock is read, at least an hour (and less than 28 hours) before anything reads it.
    static func wallClockEpoch() -> Date {
        let hour = (Date().timeIntervalSince1970 / 3600).rounded(.down) * 3600
        return Date(timeIntervalSince1970: hour - 3600)
    }

    static let eventIDs = [
        "evt_3QmA1b2C3d4E5f6G7h8I9j0K", "evt_3QmB1b2C3d4E5f6G7h8I9j0K", "evt_3QmC1b2C3d4E5f6G7h8I9j0K",
        "evt_3QmD1b2C3d4E5f6G7h8I9j0K", "evt_3QmA1b2C3d4E5f6G7h8I9j0K",
    ]
    /// The `v1` of every stored `Stripe-Signature` header (made up: only shown, never verified).
    static let signatureHex = "5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd"
    static let endpoints = ["stripe", "stripe", "connect", "stripe", "connect"]
    static let types = [
        "payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded", "customer.created",
        "payment_intent.succeeded",
    ]
    static let plans: [OutboundPlan?] = [
        Self.plan("payment-succeeded", "pi_1"), Self.plan("payment-failed", "pi_2"),
        Self.plan("refund-processed", "re_3"), nil, Self.plan("payment-succeeded", "pi_1"),
    ]

    let directory: TemporaryDirectory
    /// `<directory>/data/hookgate.sqlite`.
    let storePath: String
    /// When delivery 1 was received (less 123 ms); every other time of the fixture is counted from it.
    let t0: Date

    init(t0: Date = DeliveriesFixture.fixedEpoch) async throws {
        self.t0 = t0
        let file = try await SeededStoreFile { try await Self.seed($0, t0: t0) }
        (self.directory, self.storePath) = (file.directory, file.storePath)
    }

    /// The raw body of delivery `n` (1-based).
    static func body(_ n: Int) -> Data {
        Data(#"{"id":"\#(eventIDs[n - 1])","object":"event","type":"\#(types[n - 1])"}"#.utf8 + [0x0A])
    }

    /// Runs `hookgate deliveries <arguments> --store <store>`.
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> HookgateProcess.Result {
        try HookgateProcess.run(["deliveries"] + arguments + ["--store", self.storePath], environment: environment)
    }

    private static func plan(_ catalogType: String, _ subject: String) -> OutboundPlan {
        let event = #"{"specversion":"1.0","type":"\#(catalogType)","subject":"\#(subject)"}"#
        return OutboundPlan(
            messages: [OutboundMessage(contentType: "application/cloudevents+json", body: Data(event.utf8))],
            catalogType: catalogType,
            subject: subject
        )
    }

    private static func seed(_ store: SQLiteDeliveryStore, t0: Date) async throws {
        let t0Seconds = Int64(t0.timeIntervalSince1970)
        for n in 1...5 {
            let received = t0.addingTimeInterval(Double(n - 1) * 60 + 0.123)
            _ = try await store.append(
                NewDelivery(
                    endpoint: endpoints[n - 1],
                    eventID: eventIDs[n - 1],
                    eventType: types[n - 1],
                    eventCreated: received.addingTimeInterval(-2.123),
                    receivedAt: received,
                    body: body(n),
                    headers: DeliveryHeaders(
                        signature: "t=\(t0Seconds - 2 + Int64(60 * (n - 1))),v1=\(Self.signatureHex)",
                        contentType: "application/json; charset=utf-8",
                        userAgent: "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                        requestID: "req_\(n)"
                    ),
                    peerAddress: "203.0.113.7:5123\(n)",
                    keyLabel: "current",
                    isRouted: n != 4
                )
            )
        }
        func claim(_ seconds: Double) async throws -> [DeliveryLease] {
            try await store.prepareAndClaim(now: t0.addingTimeInterval(seconds), leaseDuration: .seconds(30), limit: 10)
            {
                record in
                plans[Int(record.id.rawValue) - 1].map(DeliveryPreparation.forward) ?? .forward(.raw)
            }
        }
        func complete(
            _ lease: DeliveryLease,
            at seconds: Double,
            status: Int?,
            error: String?,
            _ outcome: AttemptOutcome
        )
            async throws
        {
            try await store.completeAttempt(
                lease,
                report: AttemptReport(
                    startedAt: t0.addingTimeInterval(seconds),
                    duration: .microseconds(12_345),
                    upstreamStatus: status,
                    error: error
                ),
                outcome: outcome
            )
        }
        let first = try await claim(300)
        let lease = { (id: Int64) in first.first { $0.record.id.rawValue == id }! }
        try await complete(
            lease(1),
            at: 300,
            status: 503,
            error: "upstream status 503",
            .retry(at: t0.addingTimeInterval(301))
        )
        try await complete(lease(2), at: 300, status: 400, error: "upstream status 400", .dead)
        try await complete(
            lease(3),
            at: 300,
            status: 500,
            error: "upstream status 500",
            .retry(at: t0.addingTimeInterval(100_000))
        )
        let second = try await claim(302)
        try await complete(
            second[0],
            at: 302,
            status: nil,
            error: "upstream unreachable: timeout",
            .retry(at: t0.addingTimeInterval(303))
        )
        let third = try await claim(304)
        try await complete(third[0], at: 304.5, status: 200, error: nil, .delivered)
    }
}
