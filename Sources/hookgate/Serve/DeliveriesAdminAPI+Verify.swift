import Glibc
import HookgateServer
import HookgateStore

extension DeliveriesAdminAPI {
    /// `POST /deliveries/{id}/verify` → re-verifies the stored delivery byte for byte with the keys its endpoint
    /// has in the configuration in force, as `hookgate verify --delivery <id> --json` does (the timestamp is not
    /// held against the clock: it was checked at receipt):
    /// `{"valid":true,"key":"<label>","timestamp":<unix>}` or `{"valid":false,"error":"secret_expired",
    /// "message":"...","findings":[{"cause":"...","confirmed":true,"explanation":"..."}]}` with status 200 either
    /// way. Keys are named by label; no secret or signature is in the answer. 404 for an unknown id; 409
    /// `cannot_verify` when the delivery has no signature header, its endpoint is no longer configured or uses
    /// another scheme than Stripe's.
    func verify(_ id: DeliveryID) async -> AdminResponse {
        let record: DeliveryRecord
        do {
            guard let detail = try await self.store.delivery(id) else { return Self.notFound(id) }
            record = detail.record
        } catch {
            return AdminAPIResponses.error(503, error.code.description, error.description)
        }
        let endpoint = record.received.endpoint
        switch SignatureCheck.configuredKeys(of: endpoint, in: self.configuration.value) {
        case .notConfigured:
            return AdminAPIResponses.error(409, "cannot_verify", "the endpoint \(endpoint) is not configured any more")
        case .notStripe(let schemeName):
            return AdminAPIResponses.error(
                409,
                "cannot_verify",
                "the endpoint \(endpoint) uses \(schemeName); stored deliveries are re-verified for Stripe signatures"
            )
        case .secrets(let secrets):
            do {
                let report = try SignatureCheck.report(
                    stored: record,
                    secrets: secrets,
                    mode: nil,
                    now: Int64(time(nil))
                )
                return AdminAPIResponses.json(200, report.json)
            } catch {
                return AdminAPIResponses.error(409, "cannot_verify", error.description)
            }
        }
    }
}
