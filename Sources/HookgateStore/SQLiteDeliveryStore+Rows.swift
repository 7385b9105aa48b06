import Foundation
import GRDB

extension SQLiteDeliveryStore {
    /// Builds a record from a full `delivery` row.
    static func record(from row: Row) -> DeliveryRecord {
        let received = NewDelivery(
            endpoint: row["endpoint"],
            eventID: row["event_id"],
            eventType: row["event_type"],
            eventCreated: Date(unixMilliseconds: row["event_created_ms"]),
            receivedAt: Date(unixMilliseconds: row["received_at_ms"]),
            body: row["body"],
            headers: DeliveryHeaders(
                signature: row["signature_header"],
                contentType: row["content_type"],
                userAgent: row["user_agent"],
                requestID: row["request_id"]
            ),
            peerAddress: row["peer_address"],
            keyLabel: row["key_label"],
            isRouted: row["routed"]
        )
        return DeliveryRecord(
            id: DeliveryID(row["id"]),
            received: received,
            state: DeliveryState(rawValue: row["state"]) ?? .pending,
            attemptCount: row["attempt_count"],
            nextAttemptAt: (row["next_attempt_at_ms"] as Int64?).map(Date.init(unixMilliseconds:)),
            leaseExpiresAt: (row["lease_expires_at_ms"] as Int64?).map(Date.init(unixMilliseconds:)),
            lastError: row["last_error"],
            replayCount: row["replay_count"],
            updatedAt: Date(unixMilliseconds: row["updated_at_ms"]),
            preparedAt: (row["prepared_at_ms"] as Int64?).map(Date.init(unixMilliseconds:)),
            orderingKey: row["ordering_key"],
            catalogType: row["catalog_type"],
            subject: row["subject"],
            skipReason: row["skip_reason"]
        )
    }

    /// Builds an outbound message from a `delivery_message` row.
    static func message(from row: Row) -> OutboundMessage {
        OutboundMessage(contentType: row["content_type"], body: row["body"])
    }

    /// Builds an attempt from a `delivery_attempt` row.
    static func attempt(from row: Row) -> DeliveryAttempt {
        DeliveryAttempt(
            number: row["number"],
            replayGeneration: row["replay_generation"],
            report: AttemptReport(
                startedAt: Date(unixMilliseconds: row["started_at_ms"]),
                duration: .microseconds(row["duration_us"] as Int64),
                upstreamStatus: row["upstream_status"],
                error: row["error"]
            )
        )
    }
}
