import ArgumentParser
import Foundation
import HookgateStore

/// The deliveries a replay names: positional delivery ids and event ids, or the `deliveries list` filters.
struct ReplaySelection {
    /// The selected deliveries, oldest first, each once.
    var records: [DeliveryRecord]
    /// The references that matched no delivery.
    var notFound: [String]

    /// How many deliveries each store read returns while walking a filtered selection.
    private static let pageSize = 500

    /// Reads the selection from the store: each reference (a delivery id, or an event id narrowed by the
    /// filters' endpoint), or every delivery matching `query`.
    static func read(
        references: [String],
        query: DeliveryQuery,
        from reader: any DeliveryReader
    ) async throws(StoreError) -> ReplaySelection {
        guard references.isEmpty else {
            return try await self.resolve(references, endpoint: query.endpoint, from: reader)
        }
        var records: [DeliveryRecord] = []
        while true {
            let page = try await reader.deliveries(
                matching: query,
                after: records.last.map(DeliveryCursor.init),
                pageSize: self.pageSize
            )
            records += page
            if page.count < self.pageSize { return ReplaySelection(records: records, notFound: []) }
        }
    }

    private static func resolve(
        _ references: [String],
        endpoint: String?,
        from reader: any DeliveryReader
    ) async throws(StoreError) -> ReplaySelection {
        var found: [DeliveryID: DeliveryRecord] = [:]
        var notFound: [String] = []
        for reference in references {
            let inspections: [DeliveryInspection]
            if let id = Int64(reference) {
                inspections = try await reader.inspection(of: DeliveryID(id)).map { [$0] } ?? []
            } else {
                inspections = try await reader.inspections(eventID: reference, endpoint: endpoint)
            }
            if inspections.isEmpty { notFound.append(reference) }
            for inspection in inspections { found[inspection.detail.record.id] = inspection.detail.record }
        }
        return ReplaySelection(
            records: found.values.sorted { DeliveryCursor($0) < DeliveryCursor($1) },
            notFound: notFound
        )
    }
}
