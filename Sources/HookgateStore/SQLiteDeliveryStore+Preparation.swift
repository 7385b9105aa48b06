import Foundation
import GRDB

extension SQLiteDeliveryStore {
    /// Up to `limit` deliveries not prepared yet, oldest received first, read outside any write transaction.
    /// The partial index holds only the unprepared rows, in this order; `INDEXED BY` keeps SQLite from walking
    /// every row by `delivery_received` instead (a whole-table scan per claim, which made the worker fall behind).
    static func unpreparedDeliveries(limit: Int, in db: Database) throws -> [DeliveryRecord] {
        try Row.fetchAll(
            try db.cachedStatement(
                sql: """
                    SELECT \(deliveryColumnsWithBody) FROM delivery d INDEXED BY delivery_unprepared \(bodyJoin)
                    WHERE d.prepared_at_ms IS NULL AND d.state IN ('pending', 'delivering')
                    ORDER BY d.received_at_ms, d.id LIMIT ?
                    """
            ),
            arguments: [max(0, limit)]
        ).map(Self.record(from:))
    }

    /// Applies the worker's decisions to deliveries still unprepared, claiming the facts of their
    /// messages; a delivery prepared meanwhile (by a replica) is left as it is.
    static func apply(_ preparations: [PreparedDelivery], nowMS: Int64, in db: Database) throws {
        for prepared in preparations {
            let id = prepared.id
            guard
                let replayCount = try Int.fetchOne(
                    try db.cachedStatement(
                        sql: """
                            SELECT replay_count FROM delivery
                            WHERE id = ? AND prepared_at_ms IS NULL AND state IN ('pending', 'delivering')
                            """
                    ),
                    arguments: [id.rawValue]
                )
            else { continue }
            switch prepared.preparation {
            case .skip(let reason):
                try finish(id, as: .skipped, skipReason: reason, lastError: nil, nowMS: nowMS, in: db)
            case .reject(let error):
                try finish(id, as: .dead, skipReason: nil, lastError: error, nowMS: nowMS, in: db)
            case .forward(let plan):
                // An operator's replay forwards even what the facts would suppress.
                let (kept, dropped) = try claimFacts(of: plan.messages, for: id, enforcing: replayCount == 0, in: db)
                if !plan.messages.isEmpty && kept.isEmpty {
                    try finish(
                        id,
                        as: .skipped,
                        skipReason: dropped.joined(separator: "; "),
                        lastError: nil,
                        nowMS: nowMS,
                        in: db
                    )
                    continue
                }
                try db.cachedStatement(sql: "DELETE FROM delivery_message WHERE delivery_id = ?").execute(arguments: [
                    id.rawValue
                ])
                for (position, message) in kept.enumerated() {
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO delivery_message (delivery_id, position, content_type, body) VALUES (?, ?, ?, ?)
                            """
                    ).execute(
                        arguments: [id.rawValue, position, message.contentType, message.body]
                    )
                }
                try db.cachedStatement(
                    sql: """
                        UPDATE delivery
                        SET prepared_at_ms = ?, ordering_key = ?, catalog_type = ?, subject = ?, skip_reason = NULL
                        WHERE id = ?
                        """
                ).execute(
                    arguments: [nowMS, plan.orderingKey, plan.catalogType, plan.subject, id.rawValue]
                )
            }
        }
    }

    /// The messages whose facts this delivery may forward, and why the others are dropped.
    private static func claimFacts(
        of messages: [OutboundMessage],
        for id: DeliveryID,
        enforcing: Bool,
        in db: Database
    ) throws -> (kept: [OutboundMessage], dropped: [String]) {
        var kept: [OutboundMessage] = []
        var dropped: [String] = []
        for message in messages {
            if enforcing, let superseding = message.supersededBy,
                let owner = try factOwner(superseding, db), owner != id.rawValue
            {
                dropped.append("superseded: \(superseding) arrived first (delivery \(owner))")
                continue
            }
            if let fact = message.factKey {
                try db.cachedStatement(
                    sql: "INSERT INTO delivery_fact (fact_key, delivery_id) VALUES (?, ?) ON CONFLICT DO NOTHING"
                ).execute(
                    arguments: [fact, id.rawValue]
                )
                if enforcing, db.changesCount == 0, let owner = try factOwner(fact, db), owner != id.rawValue {
                    dropped.append("duplicate fact: \(fact) is forwarded by delivery \(owner)")
                    continue
                }
            }
            kept.append(message)
        }
        return (kept, dropped)
    }

    private static func factOwner(_ fact: String, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT delivery_id FROM delivery_fact WHERE fact_key = ?"),
            arguments: [fact]
        )
    }

    /// Ends an unprepared delivery without forwarding it.
    private static func finish(
        _ id: DeliveryID,
        as state: DeliveryState,
        skipReason: String?,
        lastError: String?,
        nowMS: Int64,
        in db: Database
    ) throws {
        try db.cachedStatement(
            sql: """
                UPDATE delivery
                SET state = ?, prepared_at_ms = ?, skip_reason = ?, last_error = COALESCE(?, last_error),
                    next_attempt_at_ms = NULL, lease_token = NULL, lease_expires_at_ms = NULL, updated_at_ms = ?
                WHERE id = ?
                """
        ).execute(
            arguments: [state.rawValue, nowMS, skipReason, lastError, nowMS, id.rawValue]
        )
    }
}
