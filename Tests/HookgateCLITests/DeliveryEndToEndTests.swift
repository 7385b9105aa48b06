import Foundation
import Glibc
import HookgateCore
import HookgateStore
import HookgateTestSupport
import Testing

/// Every real Stripe fixture through the whole path: `hookgate send --body-file` → `hookgate serve` (real
/// TLS) → store → delivery worker → `hookgate sink` on a real Unix socket.
@Suite(.onItsOwnThread, .serialized, .timeLimit(.minutes(2)))
struct DeliveryEndToEndTests {
    /// What becomes of one fixture: the catalog type it arrives as, or the skip reason's code.
    struct Expectation: Sendable {
        let file: String
        let eventID: String
        let catalogType: String?
        let skipCode: String?
    }

    static let expectations = [
        Expectation(
            file: "payment_intent.succeeded.json",
            eventID: "evt_WRAPPED0000000000000001",
            catalogType: "payment-succeeded",
            skipCode: nil
        ),
        Expectation(
            file: "payment_intent.payment_failed.json",
            eventID: "evt_WRAPPED0000000000000002",
            catalogType: "payment-failed",
            skipCode: nil
        ),
        Expectation(
            file: "refund.updated.json",
            eventID: "evt_WRAPPED0000000000000006",
            catalogType: "refund-processed",
            skipCode: nil
        ),
        // The 2012 API's refunded charge does not list its refunds.
        Expectation(
            file: "charge.refunded.json",
            eventID: "evt_00000000000000",
            catalogType: nil,
            skipCode: "refunds_not_listed"
        ),
        Expectation(
            file: "customer.created.json",
            eventID: "evt_1BoJ2IKrZ43eBVAbVHmOB2o5",
            catalogType: nil,
            skipCode: "unmapped_type"
        ),
        Expectation(
            file: "invoice.paid.json",
            eventID: "evt_WRAPPED0000000000000009",
            catalogType: nil,
            skipCode: "unmapped_type"
        ),
    ]

    @Test func mappedFixturesArriveAsSchemaValidCloudEventsAndTheOthersAreSkipped() async throws {
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: CLIFixtures.path("stripe-events"))
            .filter { $0.hasSuffix(".json") && $0 != "MANIFEST.json" }
        #expect(Set(fixtures) == Set(Self.expectations.map(\.file)), "a fixture without an expectation")

        let scenario = try DeliveryScenario()
        let sink = try scenario.startSink()
        for expectation in Self.expectations {
            let result = try scenario.send(["--body-file", CLIFixtures.path("stripe-events/" + expectation.file)])
            #expect(result.status == 0, "\(expectation.file): \(result.output)")
            let answer = result.stdout.split(separator: "\n").first
            #expect(answer == "200 {\"id\":\"\(expectation.eventID)\",\"duplicate\":false}")
        }

        let store = try scenario.openStore()
        let records = try await store.waitUntilAll(Self.expectations.count) { $0.state.isFinal }
        await store.close()
        let mapped = Self.expectations.filter { $0.catalogType != nil }
        let received = try sink.waitForRecords(mapped.count)
        #expect(received.count == mapped.count, "\(sink.stdout)")

        for expectation in Self.expectations {
            let record = try #require(
                records.first(where: { $0.received.eventID == expectation.eventID }),
                "\(expectation.file) not stored"
            )
            let arrivals = received.filter { $0.deliveryID == record.id.rawValue }
            if let catalogType = expectation.catalogType {
                #expect(record.state == .delivered, "\(expectation.file)")
                #expect(record.attemptCount == 1)
                #expect(record.catalogType == catalogType)
                let arrival = try #require(arrivals.first, "\(expectation.file) never reached the sink")
                #expect(arrivals.count == 1)
                #expect(arrival.attempt == 1 && arrival.status == 200)
                #expect(arrival.contentType == "application/cloudevents+json")
                #expect(arrival.attribute("type") == catalogType, "\(expectation.file)")
                #expect(arrival.attribute("id") == expectation.eventID)
                #expect(arrival.attribute("stripetype") == String(expectation.file.dropLast(".json".count)))
                #expect(arrival.attribute("specversion") == "1.0")
                let event = try #require(arrival.event)
                #expect(CatalogSchemas.violations(of: event) == [], "\(expectation.file): \(event.serialized())")
            } else {
                #expect(record.state == .skipped, "\(expectation.file)")
                #expect(record.attemptCount == 0)
                #expect(
                    record.skipReason?.hasPrefix(expectation.skipCode! + ": ") == true,
                    "\(record.skipReason ?? "")"
                )
                #expect(arrivals.isEmpty, "\(expectation.file) reached the sink")
            }
        }
    }

    /// Thin events from an event destination (`created` an RFC 3339 time, a `related_object` instead of
    /// `data.object`) are answered 200, stored byte for byte, and forwarded as received to the payment system.
    @Test func thinEventsAreStoredAndForwardedAsReceived() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: CLIFixtures.path("thin-events"))
            .filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.count == 3)
        let scenario = try DeliveryScenario()
        let sink = try scenario.startSink()
        var bodies: [String: [UInt8]] = [:]
        for file in files {
            let bytes = try CLIFixtures.bytes("thin-events/" + file)
            let id = try #require(EventEnvelope.read(bytes)).id
            bodies[id] = bytes
            let result = try scenario.send(["--body-file", CLIFixtures.path("thin-events/" + file)])
            #expect(result.status == 0, "\(file): \(result.output)")
            #expect(result.stdout.split(separator: "\n").first == "200 {\"id\":\"\(id)\",\"duplicate\":false}")
        }

        let store = try scenario.openStore()
        let records = try await store.waitUntilAll(files.count) { $0.state.isFinal }
        await store.close()
        let received = try sink.waitForRecords(files.count)
        for record in records {
            let body = try #require(bodies[record.received.eventID])
            #expect(Array(record.received.body) == body, "stored byte for byte")
            #expect(record.state == .delivered && record.attemptCount == 1, "\(record.received.eventID)")
            let arrival = try #require(received.first { $0.deliveryID == record.id.rawValue })
            #expect(arrival.contentType?.hasPrefix("application/json") == true)
            #expect(arrival.event == (try JSONValueParser.parse(body)), "forwarded as received")
        }
        let payment = try #require(records.first { $0.received.eventType == "v1.payment_intent.succeeded" })
        #expect(payment.orderingKey == "pi_3SxThinPayment0000000001")
    }
}
