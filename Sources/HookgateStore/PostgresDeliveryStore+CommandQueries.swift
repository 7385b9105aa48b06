import Foundation
import Logging
import PostgresNIO

/// The SQL of every ``CommandReader`` read and the decoding of `commands` rows, shared by
/// ``PostgresDeliveryStore`` and ``PostgresDeliveryReader``.
///
/// Lists are ordered by `(received_at_ms, id)`, newest first, which `commands_received` serves in both
/// directions with the cursor's range; each filter walks its own `(column, received_at_ms, id)` index
/// (`commands_state_received`, `commands_kind_received`, `commands_subject_received`, `commands_stripe_object`;
/// a CloudEvent id is unique). Reads of several statements run in the caller's REPEATABLE READ transaction.
extension PostgresDeliveryStore {
    /// Builds a record from a full `commands` row.
    static func command(from row: PostgresRow) throws -> CommandRecord {
        let row = row.makeRandomAccess()
        let received = NewCommand(
            commandID: try row.value("command_id"),
            kind: try row.value("kind"),
            source: try row.value("source"),
            subject: try row.value("subject"),
            receivedAt: Date(unixMilliseconds: try row.value("received_at_ms")),
            body: try row.value("body"),
            request: StripeRequest(
                method: try row.value("request_method"),
                path: try row.value("request_path"),
                form: try row.value("request_form"),
                idempotencyKey: try row.value("idempotency_key")
            )
        )
        let state = DeliveryState(rawValue: try row.value("state")) ?? .pending
        let stripeObjectID: String? = try row.value("stripe_object_id")
        return CommandRecord(
            id: CommandID(try row.value("id")),
            received: received,
            state: state,
            attemptCount: try row.value("attempt_count"),
            nextAttemptAt: state == .pending ? try row.date("due_at_ms") : nil,
            leaseExpiresAt: try row.date("lease_expires_at_ms"),
            lastStatus: try row.value("last_status"),
            lastError: try row.value("last_error"),
            stripeObject: try stripeObjectID.map {
                StripeObjectReference(id: $0, status: try row.value("stripe_object_status"))
            },
            updatedAt: Date(unixMilliseconds: try row.value("updated_at_ms"))
        )
    }

    /// The commands matching `query`, newest first, up to its limit.
    static func commands(
        matching query: CommandQuery,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [CommandRecord] {
        let sql = PostgresFilter.newestFirst(from: "commands", query.postgresFilter, limit: query.limit)
        return try await connection.rows(sql, logger: logger).map(command(from:))
    }

    /// How many commands match the query's filters.
    static func countCommands(
        matching query: CommandQuery,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Int {
        let rows = try await connection.rows(
            PostgresFilter.count(from: "commands", query.postgresFilter),
            logger: logger
        )
        return Int(try rows.first?.decode(Int64.self) ?? 0)
    }

    /// The command with `id`, or the one with the CloudEvent id `commandID`, with its attempts oldest first.
    static func commandDetail(
        id: CommandID?,
        commandID: String? = nil,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> CommandDetail? {
        guard
            let row = try await connection.rows(
                "SELECT * FROM commands WHERE id = \(id?.rawValue) OR command_id = \(commandID)",
                logger: logger
            ).first
        else { return nil }
        let record = try command(from: row)
        let attempts = try await connection.rows(
            "SELECT * FROM command_attempts WHERE command = \(record.id.rawValue) ORDER BY number",
            logger: logger
        ).map { row in
            let row = row.makeRandomAccess()
            return CommandAttempt(
                number: try row.value("number"),
                report: CommandAttemptReport(
                    startedAt: Date(unixMilliseconds: try row.value("started_at_ms")),
                    duration: .microseconds(try row.value("duration_us", as: Int64.self)),
                    status: try row.value("status"),
                    requestID: try row.value("request_id"),
                    idempotentReplayed: try row.value("idempotent_replayed"),
                    response: try row.value("response"),
                    error: try row.value("error")
                )
            )
        }
        return CommandDetail(record: record, attempts: attempts)
    }
}
