import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// Bodies are kept byte for byte: every byte value, empty and large bodies, real Stripe payloads.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct BodyContractTests {
    static let fixtureDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/stripe-events")

    static let fixtureNames = [
        "charge.refunded.json", "customer.created.json", "invoice.paid.json",
        "payment_intent.payment_failed.json", "payment_intent.succeeded.json", "refund.updated.json",
    ]

    /// Bodies holding every byte value, NUL and invalid UTF-8 included, come back byte for byte.
    @Test(
        arguments: StoreBackend.all,
        [
            Data((0...255).map { UInt8($0) }),
            Data((0...255).reversed().map { UInt8($0) } + [0, 0, 0]),
            Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }),
            Data([0]),
            Data(),
        ]
    )
    func bodyBytesRoundTrip(_ backend: StoreBackend, _ body: Data) async throws {
        try await assertRoundTrip(body, eventID: "evt_bytes", in: backend)
    }

    /// Real Stripe payloads (raw UTF-8, escaped slashes, final newline) come back byte for byte.
    @Test(arguments: StoreBackend.all, fixtureNames)
    func stripeFixtureRoundTrips(_ backend: StoreBackend, _ name: String) async throws {
        let body = try Data(contentsOf: Self.fixtureDirectory.appendingPathComponent(name))
        #expect(body.last == UInt8(ascii: "\n"))
        try await assertRoundTrip(body, eventID: name, in: backend)
    }

    /// Appends `body`, reopens the store, and checks the stored body by get and by list.
    private func assertRoundTrip(_ body: Data, eventID: String, in backend: StoreBackend) async throws {
        try await withTemporaryDirectory { directory in
            let id = try await backend.withRunningStore(in: directory) { store in
                try #require(try await store.append(sampleDelivery(eventID: eventID, body: body)).storedID)
            }
            let (detail, listed) = try await backend.withRunningStore(in: directory) { store in
                (try await store.delivery(id), try await store.deliveries(matching: DeliveryQuery(eventID: eventID)))
            }
            #expect(detail?.record.received.body == body)
            #expect(listed.map(\.received.body) == [body])
        }
    }
}
