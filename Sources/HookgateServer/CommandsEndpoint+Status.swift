import Foundation
import HookgateCore
import HookgateStore
import NIOHTTP1

extension CommandsEndpoint {
    /// The answer to `GET /commands/{id}`: `200` with where the command with this CloudEvent id stands,
    /// `404 command_not_found` when there is none, `503 store_unavailable` when the store cannot be read.
    ///
    /// The object is `{"id","command","type","state","attempts","stripe_object","last_status","last_error",
    /// "next_attempt_at","received_at"}` (``statusBody(_:)``); never the CloudEvent or the form, which may hold
    /// customer data.
    public func status(commandID: String) async -> Answer {
        do {
            guard let detail = try await self.store.command(commandID: commandID) else {
                return Self.answer(.commandNotFound, lookedUpID: commandID)
            }
            return Answer(status: .ok, body: Self.statusBody(detail.record), outcome: "found", lookedUpID: commandID)
        } catch {
            return Self.answer(.commandStoreUnreadable, lookedUpID: commandID)
        }
    }

    /// The status object of `record`: `id` (the CloudEvent id), `command` (the store's id), `type`, `state`
    /// (`pending`, `delivering`, `delivered` or `dead`), `attempts`, `stripe_object` (`{"id","status"}` or null),
    /// `last_status` and `last_error` (of the last attempt, or null), `next_attempt_at` and `received_at`
    /// (RFC 3339 in UTC with milliseconds; the first null unless a retry is due).
    static func statusBody(_ record: CommandRecord) -> String {
        let received = record.received
        let stripeObject = record.stripeObject.map {
            JSONValue.object([.init(key: "id", value: .string($0.id)), .init(key: "status", value: text($0.status))])
        }
        let members: [(String, JSONValue)] = [
            ("id", .string(received.commandID)),
            ("command", .integer(record.id.rawValue)),
            ("type", .string(received.kind)),
            ("state", .string(record.state.rawValue)),
            ("attempts", .integer(Int64(record.attemptCount))),
            ("stripe_object", stripeObject ?? .null),
            ("last_status", record.lastStatus.map { .integer(Int64($0)) } ?? .null),
            ("last_error", text(record.lastError)),
            ("next_attempt_at", text(record.nextAttemptAt.map(rfc3339))),
            ("received_at", .string(rfc3339(received.receivedAt))),
        ]
        return JSONValue.object(members.map { .init(key: $0.0, value: $0.1) }).serialized()
    }

    /// `date` in UTC with milliseconds, e.g. `2026-12-05T10:51:24.123Z`.
    private static func rfc3339(_ date: Date) -> String {
        UnixTime.rfc3339(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    private static func text(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }
}
