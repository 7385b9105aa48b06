import Foundation
import HookgateCore
import HookgateServer
import HookgateStore

/// `GET /overview?minutes=60` (1 to 1,440): what the dashboard's overview shows, in one answer:
///
/// ```json
/// {"states":{"pending":0,"delivering":0,"delivered":0,"skipped":0,"dead":0},
///  "minutes":60,"start":"2026-12-05T07:00:00.000Z",
///  "received_per_minute":[0,...],"delivered_per_minute":[0,...],
///  "latency_ms":{"p50":12,"p99":80,"max":95,"sample":1000},
///  "rejections":{"signature_mismatch":3,"store_unavailable":1},
///  "accepted":{"ok":120,"duplicate":4},
///  "upstream":{"status":"up"}}
/// ```
///
/// `states` counts every stored delivery. The per-minute arrays have `minutes` entries, the first minute
/// starting at `start` (whole minutes; the last is the minute in progress); delivered counts the time a
/// delivery's last attempt was recorded. `latency_ms` is received → delivered over the latest first deliveries
/// (not replays) delivered in the window, at most 10,000 (`sample`); null when none was. `rejections` and
/// `accepted` count the requests answered since this gateway started (its metrics), by outcome code.
/// `upstream.status` is `away` while the delivery worker found the payment system's socket refusing
/// connections and waits for it, else `up`. 400 `invalid_request` for a bad `minutes`.
struct OverviewAdminAPI: Sendable {
    /// Where the counts come from.
    let store: any DeliveryStore
    /// The gateway's request counters.
    let metrics: GatewayMetrics
    /// Whether the delivery worker finds the payment system away right now.
    let upstreamIsAway: @Sendable () -> Bool

    /// Answers `/overview`; nil for other paths.
    func route(_ request: AdminRequest) async -> AdminResponse? {
        guard request.path == "/overview" else { return nil }
        guard request.method == "GET" || request.method == "HEAD" else {
            return AdminAPIResponses.methodNotAllowed(request)
        }
        var minutes = 60
        if let text = request.query["minutes"] {
            guard let parsed = Int(text), (1...DeliveryActivity.maximumMinutes).contains(parsed) else {
                return AdminAPIResponses.error(
                    400,
                    "invalid_request",
                    "minutes must be 1 to \(DeliveryActivity.maximumMinutes)"
                )
            }
            minutes = parsed
        }
        let states: [DeliveryState: Int]
        let activity: DeliveryActivity
        do {
            states = try await self.store.countByState()
            activity = try await self.store.activity(minutes: minutes, endingAt: Date())
        } catch {
            return AdminAPIResponses.error(503, error.code.description, error.description)
        }
        return AdminAPIResponses.json(200, self.overview(states: states, activity: activity, minutes: minutes))
    }

    private func overview(states: [DeliveryState: Int], activity: DeliveryActivity, minutes: Int) -> JSONValue {
        let outcomes = self.metrics.requestsByOutcome()
        let accepted: Set<String> = ["ok", "duplicate"]
        func counts(_ pairs: [(String, Int)]) -> JSONValue {
            .object(pairs.sorted { $0.0 < $1.0 }.map { .init(key: $0.0, value: .integer(Int64($0.1))) })
        }
        func perMinute(_ counts: [Int]) -> JSONValue { .array(counts.map { .integer(Int64($0)) }) }
        let latency: JSONValue =
            activity.latency.map { latency in
                .object([
                    .init(key: "p50", value: .number(DeliveryJSON.milliseconds(latency.p50))),
                    .init(key: "p99", value: .number(DeliveryJSON.milliseconds(latency.p99))),
                    .init(key: "max", value: .number(DeliveryJSON.milliseconds(latency.maximum))),
                    .init(key: "sample", value: .integer(Int64(latency.sampleCount))),
                ])
            } ?? .null
        return .object([
            .init(
                key: "states",
                value: .object(
                    DeliveryState.allCases.map { .init(key: $0.rawValue, value: .integer(Int64(states[$0] ?? 0))) }
                )
            ),
            .init(key: "minutes", value: .integer(Int64(minutes))),
            .init(key: "start", value: .string(DeliveryTime.milliseconds(activity.start))),
            .init(key: "received_per_minute", value: perMinute(activity.receivedPerMinute)),
            .init(key: "delivered_per_minute", value: perMinute(activity.deliveredPerMinute)),
            .init(key: "latency_ms", value: latency),
            .init(
                key: "rejections",
                value: counts(outcomes.filter { !accepted.contains($0.key) }.map { ($0.key, $0.value) })
            ),
            .init(key: "accepted", value: counts(accepted.map { ($0, outcomes[$0] ?? 0) })),
            .init(
                key: "upstream",
                value: .object([.init(key: "status", value: .string(self.upstreamIsAway() ? "away" : "up"))])
            ),
        ])
    }
}
