import Foundation
import GRDB

/// The SQL of every ``CommandReader`` read and the decoding of `commands` rows, shared by ``SQLiteDeliveryStore``
/// and ``SQLiteDeliveryReader``.
///
/// Lists are ordered by `(received_at_ms, id)`, newest first: `commands_received` serves that order and the
/// cursor's range with no sort (an SQLite index ends with the rowid, the id), and each filter has its own index
/// in the same order (`commands_state_received`, `commands_kind_received`, `commands_subject_received`,
/// `commands_stripe_object`; a CloudEvent id is unique).
extension SQLiteDeliveryStore {
    /// The columns of a `commands` row, in the order ``command(from:)`` reads them (by index).
    static let commandColumns = """
        id, command_id, kind, source, subject, received_at_ms, body, request_method, request_path, request_form, \
        idempotency_key, state, attempt_count, due_at_ms, lease_expires_at_ms, last_status, last_error, \
        stripe_object_id, stripe_object_status, updated_at_ms
        """

    /// Builds a record from a row of ``commandColumns``.
    static func command(from row: Row) -> CommandRecord {
        let received = NewCommand(
            commandID: row[1],
            kind: row[2],
            source: row[3],
            subject: row[4],
            receivedAt: Date(unixMilliseconds: row[5]),
            body: row[6],
            request: StripeRequest(method: row[7], path: row[8], form: row[9], idempotencyKey: row[10])
        )
        let state = DeliveryState(rawValue: row[11]) ?? .pending
        let stripeObjectID: String? = row[17]
        return CommandRecord(
            id: CommandID(row[0]),
            received: received,
            state: state,
            attemptCount: row[12],
            nextAttemptAt: state == .pending ? (row[13] as Int64?).map(Date.init(unixMilliseconds:)) : nil,
            leaseExpiresAt: (row[14] as Int64?).map(Date.init(unixMilliseconds:)),
            lastStatus: row[15],
            lastError: row[16],
            stripeObject: stripeObjectID.map { StripeObjectReference(id: $0, status: row[18]) },
            updatedAt: Date(unixMilliseconds: row[19])
        )
    }

    /// The commands matching `query`, newest first, up to its limit.
    static func commands(matching query: CommandQuery, in db: Database) throws -> [CommandRecord] {
        let (whereClause, arguments) = query.whereClause
        return try Row.fetchAll(
            db,
            sql: """
                SELECT \(commandColumns) FROM commands \(whereClause)
                ORDER BY received_at_ms DESC, id DESC LIMIT ?
                """,
            arguments: arguments + [max(0, query.limit)]
        ).map(command(from:))
    }

    /// How many commands match the query's filters.
    static func countCommands(matching query: CommandQuery, in db: Database) throws -> Int {
        let (whereClause, arguments) = query.whereClause
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM commands \(whereClause)", arguments: arguments) ?? 0
    }

    /// The command with `id`, or the one with the CloudEvent id `commandID`, with its attempts oldest first.
    static func commandDetail(id: CommandID?, commandID: String? = nil, in db: Database) throws -> CommandDetail? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT \(commandColumns) FROM commands WHERE id = ? OR command_id = ?",
                arguments: [id?.rawValue, commandID]
            )
        else { return nil }
        let record = command(from: row)
        let attempts = try Row.fetchAll(
            db,
            sql: """
                SELECT number, started_at_ms, duration_us, status, request_id, idempotent_replayed, response, error
                FROM command_attempts WHERE command = ? ORDER BY number
                """,
            arguments: [record.id.rawValue]
        ).map { row in
            CommandAttempt(
                number: row[0],
                report: CommandAttemptReport(
                    startedAt: Date(unixMilliseconds: row[1]),
                    duration: .microseconds(row[2] as Int64),
                    status: row[3],
                    requestID: row[4],
                    idempotentReplayed: row[5],
                    response: row[6],
                    error: row[7]
                )
            )
        }
        return CommandDetail(record: record, attempts: attempts)
    }
}
