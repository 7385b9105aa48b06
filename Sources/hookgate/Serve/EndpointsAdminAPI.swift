import Foundation
import HookgateCore
import HookgateServer
import HookgateStore

/// `GET /endpoints` → the configured endpoints as in force, with the key labels that verify them and which
/// labels verified the recent deliveries; never a secret:
///
/// ```json
/// {"endpoints":[{"name":"stripe","path":"/webhooks/stripe","scheme":"stripe","mode":"any",
///   "forward":"normalized",
///   "keys":[{"label":"current","expires_at":"2026-12-31T00:00:00Z","active":true}],
///   "recent":[{"label":"current","count":120,"last_received_at":"2026-12-05T07:59:58.123Z"}]}],
///  "recent_since":"2026-12-04T08:00:00.000Z","recent_limit":10000}
/// ```
///
/// `mode` is the `livemode` accepted (`live`, `test` or `any`); `expires_at` is null for a key without
/// expiry; `active` whether it verifies now. `recent` counts the latest deliveries (at most `recent_limit`,
/// over all endpoints) received since `recent_since` (24 hours ago) by the label of the key that verified
/// them, the most used first; `label` is null for deliveries stored without one.
struct EndpointsAdminAPI: Sendable {
    /// How far back `recent` looks.
    static let recentWindow: TimeInterval = 24 * 3600
    /// The most deliveries `recent` counts.
    static let recentLimit = 10_000

    /// Where the recent deliveries are read.
    let store: any DeliveryStore
    /// The endpoints in force.
    let configuration: AdminAPIConfiguration

    /// Answers `/endpoints`; nil for other paths.
    func route(_ request: AdminRequest) async -> AdminResponse? {
        guard request.path == "/endpoints" else { return nil }
        guard request.method == "GET" || request.method == "HEAD" else {
            return AdminAPIResponses.methodNotAllowed(request)
        }
        let now = Date()
        let since = now.addingTimeInterval(-Self.recentWindow)
        let usage: [KeyLabelUsage]
        do {
            usage = try await self.store.keyLabelUsage(since: since, limit: Self.recentLimit)
        } catch {
            return AdminAPIResponses.error(503, error.code.description, error.description)
        }
        let nowSeconds = Int64(now.timeIntervalSince1970)
        let endpoints = self.configuration.value.settings.endpoints.map { endpoint in
            JSONValue.object([
                .init(key: "name", value: .string(endpoint.name)),
                .init(key: "path", value: .string(endpoint.path)),
                .init(key: "scheme", value: .string(endpoint.keyring.schemeName)),
                .init(key: "mode", value: .string(endpoint.expectedMode.rawValue)),
                .init(key: "forward", value: .string(endpoint.forwardMode.rawValue)),
                .init(
                    key: "keys",
                    value: .array(
                        endpoint.keyring.entries.map { key in
                            .object([
                                .init(key: "label", value: .string(key.label)),
                                .init(
                                    key: "expires_at",
                                    value: key.expiresAt.map { .string(UnixTime.rfc3339($0)) } ?? .null
                                ),
                                .init(key: "active", value: .bool(key.isActive(at: nowSeconds))),
                            ])
                        }
                    )
                ),
                .init(
                    key: "recent",
                    value: .array(
                        usage.filter { $0.endpoint == endpoint.name }.map { used in
                            .object([
                                .init(key: "label", value: used.keyLabel.map(JSONValue.string) ?? .null),
                                .init(key: "count", value: .integer(Int64(used.count))),
                                .init(
                                    key: "last_received_at",
                                    value: .string(DeliveryTime.milliseconds(used.lastReceivedAt))
                                ),
                            ])
                        }
                    )
                ),
            ])
        }
        return AdminAPIResponses.json(
            200,
            .object([
                .init(key: "endpoints", value: .array(endpoints)),
                .init(key: "recent_since", value: .string(DeliveryTime.milliseconds(since))),
                .init(key: "recent_limit", value: .integer(Int64(Self.recentLimit))),
            ])
        )
    }
}
