import Foundation
import HookgateCore
import HookgateServer
import HookgateStore

/// The delivery operations as JSON on the admin listener (never a public interface by default), with the
/// objects the `deliveries` commands print. Errors are `{"error":"<code>","message":"..."}`: 400
/// `invalid_filter` / `invalid_cursor` / `invalid_request`, 404 `not_found`, 405 `method_not_allowed`, 503 with
/// the store's code.
///
/// - `GET /deliveries?endpoint=&state=&type=&catalog_type=&event=&subject=&since=&until=&limit=&before=` →
///   `{"deliveries":[summary...],"next":"<cursor>"}`, newest first (latest received, then the larger id;
///   `limit` default 50, at most 1,000). A summary is `{"id":1,"event_id":"evt_..","endpoint":"stripe",
///   "type":"payment_intent.succeeded","catalog_type":"payment-succeeded"|null,"subject":"pi_.."|null,
///   "state":"delivered","attempts":1,"received_at":"2026-12-05T07:00:00.123Z","next_attempt_at":..|null,
///   "last_error":..|null,"skip_reason":..|null,"replays":0}`. `next` is there when more deliveries match:
///   pass it as `before` for the next page (opaque; a stable key, so a page never repeats or skips a delivery
///   received meanwhile). Filters as in ``AdminAPIDeliveryFilter``.
/// - `GET /deliveries/count?<the same filters>` → `{"count":1234}`.
/// - `GET /deliveries/{id}` → the summary plus `event_created_at`, `updated_at`, `prepared_at`, `ordering_key`,
///   `routed`, `key_label`, `peer`, `headers` (`stripe_signature` with its values redacted:
///   `t=1733390000,v1=(redacted)`; `content_type`, `user_agent`, `request_id`), `body_bytes`, `attempt_log` (`[{"number","replay","started_at","duration_ms",
///   "upstream_status","error"}]`) and `messages` (`[{"content_type","event"}]`, the normalized events), or 404.
/// - `GET /deliveries/{id}/body` → the raw body byte for byte (see ``body(of:)``).
/// - `POST /deliveries/{id}/verify` → the `hookgate verify --delivery --json` result (see ``verify(_:)``).
/// - `POST /replay` → re-queues deliveries as replays (see ``replay(_:)``).
struct DeliveriesAdminAPI: Sendable {
    /// The most deliveries one list or replay handles.
    static let maximumSelection = 1_000

    /// Where the deliveries are read (the store is also their reader) and re-queued.
    let store: any DeliveryStore
    /// The endpoints' keys in force, for re-verifying.
    let configuration: AdminAPIConfiguration

    /// Answers `/deliveries...` and `/replay`; nil for other paths.
    func route(_ request: AdminRequest) async -> AdminResponse? {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: true)
        let reading = request.method == "GET" || request.method == "HEAD"
        switch (segments.count, segments.first) {
        case (1, "deliveries"):
            return reading ? await self.list(request.query) : AdminAPIResponses.methodNotAllowed(request)
        case (2, "deliveries") where segments[1] == "count":
            return reading ? await self.count(request.query) : AdminAPIResponses.methodNotAllowed(request)
        case (2, "deliveries"):
            guard reading else { return AdminAPIResponses.methodNotAllowed(request) }
            guard let id = Self.id(segments[1]) else { return Self.notFound(segments[1]) }
            return await self.show(id)
        case (3, "deliveries") where segments[2] == "body":
            guard reading else { return AdminAPIResponses.methodNotAllowed(request) }
            guard let id = Self.id(segments[1]) else { return Self.notFound(segments[1]) }
            return await self.body(of: id)
        case (3, "deliveries") where segments[2] == "verify":
            guard request.method == "POST" else { return AdminAPIResponses.methodNotAllowed(request) }
            guard let id = Self.id(segments[1]) else { return Self.notFound(segments[1]) }
            return await self.verify(id)
        case (1, "replay"):
            return request.method == "POST"
                ? await self.replay(request.body) : AdminAPIResponses.methodNotAllowed(request)
        default:
            return nil
        }
    }

    private func list(_ parameters: [String: String]) async -> AdminResponse {
        var limit = 50
        if let text = parameters["limit"] {
            guard let parsed = Int(text), (1...Self.maximumSelection).contains(parsed) else {
                return AdminAPIResponses.error(400, "invalid_filter", "limit must be 1 to \(Self.maximumSelection)")
            }
            limit = parsed
        }
        var query: DeliveryQuery
        do {
            // One more than the page: whether a next page exists, without a count.
            query = try AdminAPIDeliveryFilter.query(parameters, limit: limit + 1, now: Date())
        } catch {
            return AdminAPIResponses.error(400, "invalid_filter", error.message)
        }
        if let text = parameters["before"] {
            guard let cursor = AdminAPICursor.cursor(text) else {
                return AdminAPIResponses.error(400, "invalid_cursor", "before must be the next of an earlier page")
            }
            query.before = cursor
        }
        do {
            let records = try await self.store.deliveries(matching: query)
            let page = records.prefix(limit)
            var members: [JSONValue.Member] = [.init(key: "deliveries", value: .array(page.map(DeliveryJSON.summary)))]
            if records.count > limit, let last = page.last {
                members.append(.init(key: "next", value: .string(AdminAPICursor.text(DeliveryCursor(last)))))
            }
            return AdminAPIResponses.json(200, .object(members))
        } catch {
            return AdminAPIResponses.error(503, error.code.description, error.description)
        }
    }

    private func count(_ parameters: [String: String]) async -> AdminResponse {
        do {
            let query = try AdminAPIDeliveryFilter.query(parameters, limit: 0, now: Date())
            return await self.count(query)
        } catch {
            return AdminAPIResponses.error(400, "invalid_filter", error.message)
        }
    }

    private func count(_ query: DeliveryQuery) async -> AdminResponse {
        do {
            let count = try await self.store.count(matching: query)
            return AdminAPIResponses.json(200, .object([.init(key: "count", value: .integer(Int64(count)))]))
        } catch {
            return AdminAPIResponses.error(503, error.code.description, error.description)
        }
    }

    private func show(_ id: DeliveryID) async -> AdminResponse {
        do {
            guard let inspection = try await self.store.inspection(of: id) else { return Self.notFound(id) }
            return AdminAPIResponses.json(200, DeliveryJSON.detail(inspection, redactingSignature: true))
        } catch {
            return AdminAPIResponses.error(503, error.code.description, error.description)
        }
    }

    /// The id a path segment names; nil when it is not a delivery id.
    private static func id(_ segment: Substring) -> DeliveryID? {
        Int64(segment).map(DeliveryID.init)
    }

    /// 404 for a delivery that does not exist (or a segment that is no id).
    static func notFound(_ reference: some CustomStringConvertible) -> AdminResponse {
        AdminAPIResponses.error(404, "not_found", "no delivery \(String(describing: reference).prefix(40))")
    }
}
