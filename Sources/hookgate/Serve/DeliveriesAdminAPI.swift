import Foundation
import HookgateCore
import HookgateServer
import HookgateStore

/// The delivery operations as JSON on the admin listener (never a public interface by default), with the
/// objects the `deliveries` commands print:
///
/// - `GET /deliveries?endpoint=&state=&type=&catalog_type=&event=&subject=&since=&until=&limit=` →
///   `{"deliveries":[...]}`, newest first (`limit` default 50, at most 1,000);
/// - `GET /deliveries/{id}` → the delivery with every attempt and its normalized events, or 404;
/// - `POST /replay` with `{"ids":[...]}` or `{"event":"evt_..."}` (optionally `"endpoint"`) → re-queues them as
///   replays: `{"requeued":[...],"busy":[...],"not_found":[...]}`. Nothing else is replayed by this route.
struct DeliveriesAdminAPI: Sendable {
    /// The most deliveries one list or replay handles.
    static let maximumSelection = 1_000

    /// Where the deliveries are read (the store is also their reader) and re-queued.
    let store: any DeliveryStore

    /// Answers `/deliveries...` and `/replay`; nil for other paths.
    func route(_ request: AdminRequest) async -> AdminResponse? {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: true)
        switch (request.method, segments.count, segments.first) {
        case ("GET", 1, "deliveries"), ("HEAD", 1, "deliveries"):
            return await self.list(request.query)
        case ("GET", 2, "deliveries"), ("HEAD", 2, "deliveries"):
            guard let id = Int64(segments[1]) else { return Self.error(404, "not_found", "no delivery \(segments[1])") }
            return await self.show(DeliveryID(id))
        case ("POST", 1, "replay"):
            return await self.replay(request.body)
        case (_, 1, "deliveries"), (_, 2, "deliveries"), (_, 1, "replay"):
            return Self.error(405, "method_not_allowed", "\(request.method) is not allowed on \(request.path)")
        default:
            return nil
        }
    }

    private func list(_ query: [String: String]) async -> AdminResponse {
        let now = Date()
        var filter = DeliveryQuery(limit: 50)
        filter.endpoint = query["endpoint"]
        filter.eventType = query["type"]
        filter.catalogType = query["catalog_type"]
        filter.eventID = query["event"]
        filter.subject = query["subject"]
        if let state = query["state"] {
            guard let parsed = DeliveryState(rawValue: state) else {
                let states = DeliveryState.allCases.map(\.rawValue).joined(separator: ", ")
                return Self.error(400, "invalid_filter", "state must be one of \(states)")
            }
            filter.state = parsed
        }
        for (name, keyPath) in [("since", \DeliveryQuery.receivedFrom), ("until", \DeliveryQuery.receivedBefore)] {
            guard let text = query[name] else { continue }
            guard let time = TimeArgument(argument: text) else {
                return Self.error(400, "invalid_filter", "\(name) must be RFC 3339 or a time ago (30m, 2h, 3d)")
            }
            filter[keyPath: keyPath] = time.date(now: now)
        }
        if let text = query["limit"] {
            guard let limit = Int(text), (1...Self.maximumSelection).contains(limit) else {
                return Self.error(400, "invalid_filter", "limit must be 1 to \(Self.maximumSelection)")
            }
            filter.limit = limit
        }
        do {
            let records = try await self.store.deliveries(matching: filter)
            return Self.json(200, .object([.init(key: "deliveries", value: .array(records.map(DeliveryJSON.summary)))]))
        } catch {
            return Self.error(503, error.code.description, error.description)
        }
    }

    private func show(_ id: DeliveryID) async -> AdminResponse {
        do {
            guard let inspection = try await self.store.inspection(of: id) else {
                return Self.error(404, "not_found", "no delivery \(id.rawValue)")
            }
            return Self.json(200, DeliveryJSON.detail(inspection))
        } catch {
            return Self.error(503, error.code.description, error.description)
        }
    }

    private func replay(_ body: [UInt8]) async -> AdminResponse {
        guard let request = try? JSONValueParser.parse(body), case .object = request else {
            return Self.error(
                400,
                "invalid_request",
                #"the body must be a JSON object: {"ids":[...]} or {"event":"evt_..."}"#
            )
        }
        var ids: [DeliveryID] = []
        if case .array(let values)? = request["ids"] {
            for value in values {
                guard case .integer(let id) = value else {
                    return Self.error(400, "invalid_request", "ids are integers")
                }
                ids.append(DeliveryID(id))
            }
        }
        do {
            if case .string(let event)? = request["event"] {
                var endpoint: String?
                if case .string(let name)? = request["endpoint"] { endpoint = name }
                ids += try await self.store.inspections(eventID: event, endpoint: endpoint).map(\.detail.record.id)
            }
        } catch {
            return Self.error(503, error.code.description, error.description)
        }
        guard !ids.isEmpty, ids.count <= Self.maximumSelection else {
            return Self.error(400, "invalid_request", "name 1 to \(Self.maximumSelection) deliveries (ids or event)")
        }
        var requeued: [JSONValue] = []
        var busy: [JSONValue] = []
        var notFound: [JSONValue] = []
        for id in ids {
            do {
                try await self.store.requeue(id, asReplay: true, now: Date())
                requeued.append(.integer(id.rawValue))
            } catch  where error.code == .deliveryBusy {
                busy.append(.integer(id.rawValue))
            } catch  where error.code == .deliveryNotFound {
                notFound.append(.integer(id.rawValue))
            } catch {
                return Self.error(503, error.code.description, error.description)
            }
        }
        return Self.json(
            200,
            .object([
                .init(key: "requeued", value: .array(requeued)), .init(key: "busy", value: .array(busy)),
                .init(key: "not_found", value: .array(notFound)),
            ])
        )
    }

    private static func json(_ status: Int, _ value: JSONValue) -> AdminResponse {
        AdminResponse(status: status, body: Array(value.serialized().utf8))
    }

    private static func error(_ status: Int, _ code: String, _ message: String) -> AdminResponse {
        json(
            status,
            .object([.init(key: "error", value: .string(code)), .init(key: "message", value: .string(message))])
        )
    }
}
