import Foundation
import PostgresNIO

extension PostgresRandomAccessRow {
    /// The value of `column`.
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }

    /// The value of a millisecond column as a date, nil when NULL.
    func date(_ column: String) throws -> Date? {
        try value(column, as: Int64?.self).map(Date.init(unixMilliseconds:))
    }
}

extension PostgresDeliveryStore {
    /// Builds a record from a full `delivery` row.
    static func record(from row: PostgresRow) throws -> DeliveryRecord {
        let row = row.makeRandomAccess()
        let received = NewDelivery(
            endpoint: try row.value("endpoint"),
            eventID: try row.value("event_id"),
            eventType: try row.value("event_type"),
            eventCreated: Date(unixMilliseconds: try row.value("event_created_ms")),
            receivedAt: Date(unixMilliseconds: try row.value("received_at_ms")),
            body: try row.value("body"),
            headers: DeliveryHeaders(
                signature: try row.value("signature_header"),
                contentType: try row.value("content_type"),
                userAgent: try row.value("user_agent"),
                requestID: try row.value("request_id")
            ),
            peerAddress: try row.value("peer_address"),
            keyLabel: try row.value("key_label"),
            isRouted: try row.value("routed"),
            origin: DeliveryOrigin(storedValue: try row.value("origin"))
        )
        return DeliveryRecord(
            id: DeliveryID(try row.value("id")),
            received: received,
            state: DeliveryState(rawValue: try row.value("state")) ?? .pending,
            attemptCount: try row.value("attempt_count"),
            nextAttemptAt: try row.date("next_attempt_at_ms"),
            leaseExpiresAt: try row.date("lease_expires_at_ms"),
            lastError: try row.value("last_error"),
            replayCount: try row.value("replay_count"),
            updatedAt: Date(unixMilliseconds: try row.value("updated_at_ms")),
            preparedAt: try row.date("prepared_at_ms"),
            orderingKey: try row.value("ordering_key"),
            catalogType: try row.value("catalog_type"),
            subject: try row.value("subject"),
            skipReason: try row.value("skip_reason")
        )
    }

    /// Builds an outbound message from a `delivery_message` row (with `delivery_id`, `content_type`, `body`).
    static func message(from row: PostgresRow) throws -> (DeliveryID, OutboundMessage) {
        let row = row.makeRandomAccess()
        return (
            DeliveryID(try row.value("delivery_id")),
            OutboundMessage(contentType: try row.value("content_type"), body: try row.value("body"))
        )
    }

    /// Builds an attempt from a `delivery_attempt` row.
    static func attempt(from row: PostgresRow) throws -> DeliveryAttempt {
        let row = row.makeRandomAccess()
        return DeliveryAttempt(
            number: try row.value("number"),
            replayGeneration: try row.value("replay_generation"),
            report: AttemptReport(
                startedAt: Date(unixMilliseconds: try row.value("started_at_ms")),
                duration: .microseconds(try row.value("duration_us", as: Int64.self)),
                upstreamStatus: try row.value("upstream_status"),
                error: try row.value("error")
            )
        )
    }
}
