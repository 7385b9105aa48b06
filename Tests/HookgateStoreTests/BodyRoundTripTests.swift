import Foundation
import HookgateStore
import Testing

@Suite(.timeLimit(.minutes(1)))
struct BodyRoundTripTests {
    static let fixtureDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/stripe-events")

    static let fixtureNames = [
        "charge.refunded.json", "customer.created.json", "invoice.paid.json",
        "payment_intent.payment_failed.json", "payment_intent.succeeded.json", "refund.updated.json",
    ]

    /// Bodies holding every byte value, NUL and invalid UTF-8 included, come back byte for byte.
    @Test(arguments: [
        Data((0...255).map { UInt8($0) }),
        Data((0...255).reversed().map { UInt8($0) } + [0, 0, 0]),
        Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }),
        Data([0]),
        Data(),
    ])
    func bodyBytesRoundTrip(_ body: Data) async throws {
        try await assertRoundTrip(body, eventID: "evt_bytes")
    }

    /// Real Stripe payloads (raw UTF-8, escaped slashes, final newline) come back byte for byte.
    @Test(arguments: fixtureNames)
    func stripeFixtureRoundTrips(_ name: String) async throws {
        let body = try Data(contentsOf: Self.fixtureDirectory.appendingPathComponent(name))
        #expect(body.last == UInt8(ascii: "\n"))
        try await assertRoundTrip(body, eventID: name)
    }

    /// Appends `body`, reopens the file, and checks the stored body by get and by list.
    private func assertRoundTrip(_ body: Data, eventID: String) async throws {
        try await withTemporaryDirectory { directory in
            let configuration = SQLiteDeliveryStore.Configuration(
                path: directory.appendingPathComponent("s.sqlite").path
            )
            let store = try SQLiteDeliveryStore(configuration: configuration)
            let id = try #require(try await store.append(sampleDelivery(eventID: eventID, body: body)).storedID)
            await store.close()

            let reopened = try SQLiteDeliveryStore(configuration: configuration)
            let detail = try await reopened.delivery(id)
            let listed = try await reopened.deliveries(matching: DeliveryQuery(eventID: eventID))
            await reopened.close()
            #expect(detail?.record.received.body == body)
            #expect(listed.map(\.received.body) == [body])
        }
    }
}
