import Logging
import PostgresNIO

extension PostgresDeliveryStore {
    /// A dedup key: the endpoint and the provider's event id.
    private struct DedupKey: Hashable, Sendable {
        var endpoint: String
        var eventID: String
    }

    /// The id a dedup key has after the batch's transaction, and whether this batch stored it.
    private struct KeyedID: Sendable {
        var id: DeliveryID
        var isNew: Bool
    }

    /// The `delivery` columns an append writes, with their types (every placeholder is cast, so a NULL binds too).
    private static let appendColumns: [(name: String, type: String)] = [
        ("endpoint", "text"), ("event_id", "text"), ("event_type", "text"), ("event_created_ms", "bigint"),
        ("received_at_ms", "bigint"), ("body", "bytea"), ("signature_header", "text"), ("content_type", "text"),
        ("user_agent", "text"), ("request_id", "text"), ("peer_address", "text"), ("key_label", "text"),
        ("routed", "boolean"), ("state", "text"), ("next_attempt_at_ms", "bigint"), ("updated_at_ms", "bigint"),
        ("origin", "text"),
    ]

    /// Writes one batch of appends in one transaction: one multi-row `INSERT ... ON CONFLICT DO NOTHING
    /// RETURNING` for the batch's distinct dedup keys, then (only when some key existed) one read of the
    /// existing ids. A concurrent insert of the same key by a replica makes this insert wait for its outcome,
    /// so the unique constraint decides, and the read that follows (a new snapshot) sees the winner.
    ///
    /// A key appended twice in one batch is stored by its first append; the later ones are its duplicates.
    static func insert(
        _ batch: [NewDelivery],
        pool: PostgresPool,
        logger: Logger
    ) async throws(StoreError) -> [AppendResult] {
        var distinct: [NewDelivery] = []
        var firstIndex: [DedupKey: Int] = [:]
        for (index, delivery) in batch.enumerated() {
            let key = DedupKey(endpoint: delivery.endpoint, eventID: delivery.eventID)
            if firstIndex[key] == nil {
                firstIndex[key] = index
                distinct.append(delivery)
            }
        }
        // In key order, so two replicas inserting overlapping batches wait on each other's keys in one order
        // (a cycle would be a deadlock, which PostgreSQL breaks by aborting one of them).
        distinct.sort { ($0.endpoint, $0.eventID) < ($1.endpoint, $1.eventID) }
        let insert = try insertQuery(distinct)
        let keys = distinct.map { DedupKey(endpoint: $0.endpoint, eventID: $0.eventID) }
        let ids = try await pool.transaction(logger: logger) { connection -> [DedupKey: KeyedID] in
            var ids: [DedupKey: KeyedID] = [:]
            for row in try await connection.rows(insert, logger: logger) {
                let (id, endpoint, eventID) = try row.decode((Int64, String, String).self)
                ids[DedupKey(endpoint: endpoint, eventID: eventID)] = KeyedID(id: DeliveryID(id), isNew: true)
            }
            let existing = keys.filter { ids[$0] == nil }
            guard !existing.isEmpty else { return ids }
            let endpoints = existing.map(\.endpoint)
            let eventIDs = existing.map(\.eventID)
            let rows = try await connection.rows(
                """
                SELECT id, endpoint, event_id FROM delivery
                WHERE (endpoint, event_id) IN (SELECT * FROM unnest(\(endpoints)::text[], \(eventIDs)::text[]))
                """,
                logger: logger
            )
            for row in rows {
                let (id, endpoint, eventID) = try row.decode((Int64, String, String).self)
                ids[DedupKey(endpoint: endpoint, eventID: eventID)] = KeyedID(id: DeliveryID(id), isNew: false)
            }
            guard keys.allSatisfy({ ids[$0] != nil }) else {
                throw StoreError.storeUnavailable(detail: "dedup conflict without an existing row")
            }
            return ids
        }
        var results: [AppendResult] = []
        results.reserveCapacity(batch.count)
        for (index, delivery) in batch.enumerated() {
            let key = DedupKey(endpoint: delivery.endpoint, eventID: delivery.eventID)
            guard let keyed = ids[key] else {
                throw StoreError.storeUnavailable(detail: "dedup conflict without an existing row")
            }
            results.append(keyed.isNew && firstIndex[key] == index ? .stored(keyed.id) : .duplicate(keyed.id))
        }
        return results
    }

    /// The multi-row insert of `deliveries`, returning the id, endpoint and event id of each row it stored.
    private static func insertQuery(_ deliveries: [NewDelivery]) throws(StoreError) -> PostgresQuery {
        var binds = PostgresBindings(capacity: deliveries.count * appendColumns.count)
        var rows: [String] = []
        rows.reserveCapacity(deliveries.count)
        do {
            for delivery in deliveries {
                let first = binds.count + 1
                let received = delivery.receivedAt.unixMilliseconds
                let state: DeliveryState = delivery.isRouted ? .pending : .skipped
                binds.append(delivery.endpoint)
                binds.append(delivery.eventID)
                binds.append(delivery.eventType)
                binds.append(delivery.eventCreated.unixMilliseconds)
                binds.append(received)
                try binds.append(delivery.body)
                binds.append(delivery.headers.signature)
                binds.append(delivery.headers.contentType)
                binds.append(delivery.headers.userAgent)
                binds.append(delivery.headers.requestID)
                binds.append(delivery.peerAddress)
                binds.append(delivery.keyLabel)
                binds.append(delivery.isRouted)
                binds.append(state.rawValue)
                binds.append(delivery.isRouted ? received : nil)
                binds.append(received)
                binds.append(delivery.origin.storedValue)
                let placeholders = appendColumns.enumerated().map { offset, column in
                    "$\(first + offset)::\(column.type)"
                }
                rows.append("(" + placeholders.joined(separator: ", ") + ")")
            }
        } catch {
            throw StoreError.postgres(error)
        }
        let columns = appendColumns.map(\.name).joined(separator: ", ")
        return PostgresQuery(
            unsafeSQL: """
                INSERT INTO delivery (\(columns))
                VALUES \(rows.joined(separator: ", "))
                ON CONFLICT (endpoint, event_id) DO NOTHING
                RETURNING id, endpoint, event_id
                """,
            binds: binds
        )
    }
}
