import Foundation
import GRDB

extension SQLiteDeliveryStore {
    /// The columns of a `delivery` row, in the order ``record(from:body:)`` reads them: by index, because a
    /// lookup by name lowercases and compares the name against every column of the row.
    static let deliveryColumns = """
        id, endpoint, event_id, event_type, event_created_ms, received_at_ms, signature_header, content_type, \
        user_agent, request_id, peer_address, key_label, routed, state, attempt_count, next_attempt_at_ms, \
        lease_expires_at_ms, last_error, replay_count, updated_at_ms, prepared_at_ms, ordering_key, catalog_type, \
        subject, skip_reason, origin
        """

    /// ``deliveryColumns`` of `delivery d`, then the body of ``bodyJoin``: what ``record(from:)`` reads.
    static let deliveryColumnsWithBody =
        deliveryColumns.split(separator: ", ").map { "d.\($0)" }.joined(separator: ", ") + ", b.body"

    /// Joins each `delivery d` to its body, `b` (every delivery has one).
    static let bodyJoin = "JOIN delivery_body b ON b.delivery_id = d.id"

    /// Builds a record from a row of ``deliveryColumnsWithBody``.
    static func record(from row: Row) -> DeliveryRecord {
        record(from: row, body: row[26])
    }

    /// Builds a record from a row of ``deliveryColumns`` and the delivery's body.
    static func record(from row: Row, body: Data) -> DeliveryRecord {
        let received = NewDelivery(
            endpoint: row[1],
            eventID: row[2],
            eventType: row[3],
            eventCreated: Date(unixMilliseconds: row[4]),
            receivedAt: Date(unixMilliseconds: row[5]),
            body: body,
            headers: DeliveryHeaders(
                signature: row[6],
                contentType: row[7],
                userAgent: row[8],
                requestID: row[9]
            ),
            peerAddress: row[10],
            keyLabel: row[11],
            isRouted: row[12],
            origin: DeliveryOrigin(storedValue: row[25])
        )
        return DeliveryRecord(
            id: DeliveryID(row[0]),
            received: received,
            state: DeliveryState(rawValue: row[13]) ?? .pending,
            attemptCount: row[14],
            nextAttemptAt: (row[15] as Int64?).map(Date.init(unixMilliseconds:)),
            leaseExpiresAt: (row[16] as Int64?).map(Date.init(unixMilliseconds:)),
            lastError: row[17],
            replayCount: row[18],
            updatedAt: Date(unixMilliseconds: row[19]),
            preparedAt: (row[20] as Int64?).map(Date.init(unixMilliseconds:)),
            orderingKey: row[21],
            catalogType: row[22],
            subject: row[23],
            skipReason: row[24]
        )
    }

    /// The columns of a `delivery_message` row, in the order ``message(from:)`` reads them.
    static let messageColumns = "content_type, body"

    /// Builds an outbound message from a row of ``messageColumns``.
    static func message(from row: Row) -> OutboundMessage {
        OutboundMessage(contentType: row[0], body: row[1])
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
