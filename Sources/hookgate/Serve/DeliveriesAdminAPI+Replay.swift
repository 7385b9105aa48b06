import Foundation
import HookgateCore
import HookgateServer
import HookgateStore

extension DeliveriesAdminAPI {
    /// `POST /replay`: re-queues deliveries as replays (prepared again, delivered again).
    ///
    /// The body names them in one of two ways:
    /// - `{"ids":[1,2]}` and/or `{"event":"evt_...","endpoint":"stripe"}` (endpoint optional);
    /// - `{"filter":{"state":"dead","endpoint":"stripe","type":..,"catalog_type":..,"event":..,"subject":..,
    ///   "since":..,"until":..}}`: every delivery matching it (at least one filter; names and values as in
    ///   ``AdminAPIDeliveryFilter``), when at most ``maximumSelection`` do; more is a 400 `selection_too_large`
    ///   that says how many matched, and nothing is re-queued.
    ///
    /// → `{"requeued":[ids],"busy":[ids],"not_found":[ids]}` (`busy`: a worker holds its lease now), plus
    /// `"matched":N` for a filter. 400 `invalid_request` for another body or more than ``maximumSelection`` ids.
    func replay(_ body: [UInt8]) async -> AdminResponse {
        guard let request = try? JSONValueParser.parse(body), case .object = request else {
            return AdminAPIResponses.error(
                400,
                "invalid_request",
                #"the body must be a JSON object: {"ids":[...]}, {"event":"evt_..."} or {"filter":{...}}"#
            )
        }
        if let filter = request["filter"] {
            guard request["ids"] == nil, request["event"] == nil else {
                return AdminAPIResponses.error(400, "invalid_request", "give a filter, or ids and event, not both")
            }
            return await self.replay(matching: filter)
        }
        var ids: [DeliveryID] = []
        if case .array(let values)? = request["ids"] {
            for value in values {
                guard case .integer(let id) = value else {
                    return AdminAPIResponses.error(400, "invalid_request", "ids are integers")
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
            return AdminAPIResponses.error(503, error.code.description, error.description)
        }
        guard !ids.isEmpty, ids.count <= Self.maximumSelection else {
            return AdminAPIResponses.error(
                400,
                "invalid_request",
                "name 1 to \(Self.maximumSelection) deliveries (ids or event)"
            )
        }
        return await self.requeue(ids, matched: nil)
    }

    /// Re-queues every delivery matching `filter`, when there are at most ``maximumSelection``.
    private func replay(matching filter: JSONValue) async -> AdminResponse {
        let query: DeliveryQuery
        do {
            query = try AdminAPIDeliveryFilter.query(filter, limit: Self.maximumSelection + 1, now: Date())
        } catch {
            return AdminAPIResponses.error(400, "invalid_filter", error.message)
        }
        let ids: [DeliveryID]
        do {
            let count = try await self.store.count(matching: query)
            guard count <= Self.maximumSelection else { return Self.tooLarge(count) }
            ids = try await self.store.deliveries(matching: query).map(\.id)
        } catch {
            return AdminAPIResponses.error(503, error.code.description, error.description)
        }
        // More may match by now than were counted.
        guard ids.count <= Self.maximumSelection else { return Self.tooLarge(ids.count) }
        return await self.requeue(ids, matched: ids.count)
    }

    private static func tooLarge(_ count: Int) -> AdminResponse {
        AdminAPIResponses.error(
            400,
            "selection_too_large",
            "\(count) deliveries match the filter; one replay takes at most \(maximumSelection): narrow it "
                + "(since, until, endpoint, type)"
        )
    }

    /// Re-queues each of `ids` and says which were re-queued, busy or not found.
    private func requeue(_ ids: [DeliveryID], matched: Int?) async -> AdminResponse {
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
                return AdminAPIResponses.error(503, error.code.description, error.description)
            }
        }
        var members: [JSONValue.Member] = [
            .init(key: "requeued", value: .array(requeued)), .init(key: "busy", value: .array(busy)),
            .init(key: "not_found", value: .array(notFound)),
        ]
        if let matched { members.append(.init(key: "matched", value: .integer(Int64(matched)))) }
        return AdminAPIResponses.json(200, .object(members))
    }
}
