import Foundation
import GRDB

/// The emulator's state in a SQLite file (`--state FILE`): one row per record, written in one transaction
/// after each request that changed something, read back at start.
final class EmulatorStateFile: Sendable {
    private let queue: DatabaseQueue

    /// Opens the file at `path`, creating it (and its table) when missing.
    init(path: String) throws {
        self.queue = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 records") { db in
            try db.execute(
                sql: """
                    CREATE TABLE records (
                        kind TEXT NOT NULL,
                        id TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        body BLOB NOT NULL,
                        PRIMARY KEY (kind, id)
                    )
                    """
            )
        }
        try migrator.migrate(self.queue)
    }

    /// The ledger the file holds (empty for a new file).
    func load() throws -> Ledger {
        let decoder = JSONDecoder()
        var ledger = Ledger()
        try self.queue.read { db in
            for row in try Row.fetchAll(db, sql: "SELECT kind, id, body FROM records ORDER BY seq") {
                let id: String = row["id"]
                let body: Data = row["body"]
                switch StateChange.Kind(rawValue: row["kind"]) {
                case .paymentMethod:
                    ledger.paymentMethods[id] = try decoder.decode(TestPaymentMethod.self, from: body)
                case .paymentIntent:
                    ledger.paymentIntents[id] = try decoder.decode(PaymentIntentRecord.self, from: body)
                    ledger.paymentIntentOrder.append(id)
                case .charge:
                    ledger.charges[id] = try decoder.decode(ChargeRecord.self, from: body)
                case .refund:
                    ledger.refunds[id] = try decoder.decode(RefundRecord.self, from: body)
                    ledger.refundOrder.append(id)
                case .event:
                    let event = try decoder.decode(EventRecord.self, from: body)
                    ledger.eventIndex[event.id] = ledger.events.count
                    ledger.eventIndex[event.thinID] = ledger.events.count
                    ledger.events.append(event)
                case .idempotency:
                    ledger.idempotency.save(id, try decoder.decode(IdempotencyLog.Entry.self, from: body))
                case nil:
                    continue
                }
            }
        }
        return ledger
    }

    /// Writes the records `changes` names as they are in `ledger`, in one transaction.
    func save(_ changes: [StateChange], of ledger: Ledger) throws {
        let encoder = JSONEncoder()
        try self.queue.write { db in
            let next = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM records") ?? 1
            for (offset, change) in Set(changes).enumerated() {
                guard !change.removed, let body = try Self.body(of: change, in: ledger, encoder: encoder) else {
                    try db.execute(
                        sql: "DELETE FROM records WHERE kind = ? AND id = ?",
                        arguments: [change.kind.rawValue, change.id]
                    )
                    continue
                }
                // A record keeps the place it was first written at (events and keys stay in order).
                try db.execute(
                    sql: """
                        INSERT INTO records (kind, id, seq, body) VALUES (?, ?, ?, ?)
                        ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body
                        """,
                    arguments: [
                        change.kind.rawValue, change.id, next + Int64(Self.order(change, ledger) ?? offset), body,
                    ]
                )
            }
        }
    }

    /// Where a new record goes among those of this save: events in the order they were made.
    private static func order(_ change: StateChange, _ ledger: Ledger) -> Int? {
        change.kind == .event ? ledger.eventIndex[change.id] : nil
    }

    private static func body(of change: StateChange, in ledger: Ledger, encoder: JSONEncoder) throws -> Data? {
        switch change.kind {
        case .paymentMethod: try ledger.paymentMethods[change.id].map(encoder.encode)
        case .paymentIntent: try ledger.paymentIntents[change.id].map(encoder.encode)
        case .charge: try ledger.charges[change.id].map(encoder.encode)
        case .refund: try ledger.refunds[change.id].map(encoder.encode)
        case .event: try ledger.event(change.id).map(encoder.encode)
        case .idempotency: try ledger.idempotency.entry(change.id).map(encoder.encode)
        }
    }
}
