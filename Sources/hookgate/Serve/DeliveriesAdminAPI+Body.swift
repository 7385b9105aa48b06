import HookgateServer
import HookgateStore

extension DeliveriesAdminAPI {
    /// `GET /deliveries/{id}/body` → the raw body exactly as received and stored (the bytes the signature
    /// covers), `application/octet-stream`, `content-disposition: attachment; filename="delivery-<id>.json"`,
    /// so a browser downloads it instead of showing it; 404 for an unknown id.
    func body(of id: DeliveryID) async -> AdminResponse {
        do {
            guard let detail = try await self.store.delivery(id) else { return Self.notFound(id) }
            return AdminResponse(
                status: 200,
                contentType: "application/octet-stream",
                body: [UInt8](detail.record.received.body),
                headers: [("content-disposition", "attachment; filename=\"delivery-\(id.rawValue).json\"")]
            )
        } catch {
            return AdminAPIResponses.error(503, error.code.description, error.description)
        }
    }
}
