import Foundation
import HookgateCore
import HookgateDelivery
import HookgateServer
import HookgateStore

/// The commands to Stripe's API as JSON on the admin listener, with the objects `hookgate commands` prints.
/// Errors are `{"error":"<code>","message":"..."}`: 400 `invalid_filter` / `invalid_cursor`, 404 `not_found`,
/// 405 `method_not_allowed`, 409 `not_dead` / `too_old`, 503 with the store's code.
///
/// - `GET /commands?state=&type=&id=&subject=&stripe_object=&since=&until=&limit=&before=` →
///   `{"commands":[summary...],"next":"<cursor>"}`, newest first (latest received, then the larger id; `limit`
///   default 50, at most 1,000). A summary is ``CommandJSON/summary(_:)``'s. `next` is there when more commands
///   match: pass it as `before` for the next page (opaque, as for `GET /deliveries`). Filters as in
///   ``CommandsAdminAPI/query(_:limit:)``.
/// - `GET /commands/count?<the same filters>` → `{"count":12}`.
/// - `GET /commands/{id}` → ``CommandJSON/detail(_:)``: the summary, the request (its form decoded), the
///   CloudEvent and every attempt with Stripe's answer; 404 when there is no such command.
/// - `POST /commands/{id}/retry` → `{"id":1,"requeued":true}`: a dead command becomes due now, with the same
///   `Idempotency-Key`; 409 `not_dead` for a command in another state, 409 `too_old` for one received more than
///   23.5 hours ago (``IdempotencyWindow``), 404 for none.
struct CommandsAdminAPI: Sendable {
    /// The most commands one page lists.
    static let maximumPage = 1_000

    /// Where the commands are read and re-queued.
    let store: any CommandStore

    /// Answers `/commands...`; nil for other paths.
    func route(_ request: AdminRequest) async -> AdminResponse? {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: true)
        guard segments.first == "commands" else { return nil }
        let reading = request.method == "GET" || request.method == "HEAD"
        switch segments.count {
        case 1:
            return reading ? await self.list(request.query) : AdminAPIResponses.methodNotAllowed(request)
        case 2 where segments[1] == "count":
            return reading ? await self.count(request.query) : AdminAPIResponses.methodNotAllowed(request)
        case 2:
            guard reading else { return AdminAPIResponses.methodNotAllowed(request) }
            guard let id = Self.id(segments[1]) else { return Self.notFound(segments[1]) }
            return await self.show(id)
        case 3 where segments[2] == "retry":
            guard request.method == "POST" else { return AdminAPIResponses.methodNotAllowed(request) }
            guard let id = Self.id(segments[1]) else { return Self.notFound(segments[1]) }
            return await self.retry(id)
        default:
            return nil
        }
    }

    private func list(_ parameters: [String: String]) async -> AdminResponse {
        var limit = 50
        if let text = parameters["limit"] {
            guard let parsed = Int(text), (1...Self.maximumPage).contains(parsed) else {
                return AdminAPIResponses.error(400, "invalid_filter", "limit must be 1 to \(Self.maximumPage)")
            }
            limit = parsed
        }
        var query: CommandQuery
        do {
            // One more than the page: whether a next page exists, without a count.
            query = try Self.query(parameters, limit: limit + 1)
        } catch {
            return AdminAPIResponses.error(400, "invalid_filter", error.message)
        }
        if let text = parameters["before"] {
            guard let cursor = AdminAPICursor.commandCursor(text) else {
                return AdminAPIResponses.error(400, "invalid_cursor", "before must be the next of an earlier page")
            }
            query.before = cursor
        }
        do {
            let records = try await self.store.commands(matching: query)
            let page = records.prefix(limit)
            var members: [JSONValue.Member] = [.init(key: "commands", value: .array(page.map(CommandJSON.summary)))]
            if records.count > limit, let last = page.last {
                members.append(.init(key: "next", value: .string(AdminAPICursor.text(CommandCursor(last)))))
            }
            return AdminAPIResponses.json(200, .object(members))
        } catch {
            return AdminAPIResponses.error(503, error.code.description, error.description)
        }
    }

    private func count(_ parameters: [String: String]) async -> AdminResponse {
        let query: CommandQuery
        do {
            query = try Self.query(parameters, limit: 0)
        } catch {
            return AdminAPIResponses.error(400, "invalid_filter", error.message)
        }
        do {
            let count = try await self.store.countCommands(matching: query)
            return AdminAPIResponses.json(200, .object([.init(key: "count", value: .integer(Int64(count)))]))
        } catch {
            return AdminAPIResponses.error(503, error.code.description, error.description)
        }
    }

    private func show(_ id: CommandID) async -> AdminResponse {
        do {
            guard let detail = try await self.store.command(id) else { return Self.notFound(id) }
            return AdminAPIResponses.json(200, CommandJSON.detail(detail))
        } catch {
            return AdminAPIResponses.error(503, error.code.description, error.description)
        }
    }

    private func retry(_ id: CommandID) async -> AdminResponse {
        do {
            guard let detail = try await self.store.command(id) else { return Self.notFound(id) }
            let now = Date()
            if let refusal = IdempotencyWindow.refusal(receivedAt: detail.record.received.receivedAt, now: now) {
                return AdminAPIResponses.error(409, "too_old", "command \(id) not re-queued: \(refusal)")
            }
            try await self.store.requeueCommand(id, now: now)
            return AdminAPIResponses.json(
                200,
                .object([.init(key: "id", value: .integer(id.rawValue)), .init(key: "requeued", value: .bool(true))])
            )
        } catch  where error.code == .deliveryNotFound {
            return Self.notFound(id)
        } catch  where error.code == .deliveryBusy {
            return AdminAPIResponses.error(409, "not_dead", "command \(id) is not dead: only a dead command is retried")
        } catch {
            return AdminAPIResponses.error(503, error.code.description, error.description)
        }
    }

    /// The id a path segment names; nil when it is not a command id.
    private static func id(_ segment: Substring) -> CommandID? {
        Int64(segment).map(CommandID.init)
    }

    private static func notFound(_ reference: some CustomStringConvertible) -> AdminResponse {
        AdminAPIResponses.error(404, "not_found", "no command \(String(describing: reference).prefix(40))")
    }
}
