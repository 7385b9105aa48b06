import HookgateCore
import HookgateDelivery

extension ScriptedStripeAPI {
    /// Runs `body` with a fresh scripted API answering with `reply` and a ``StripeAPIClient`` that holds `apiKey`
    /// and talks to it; the client is shut down after `body`, whether it threw or not, and the API closed.
    static func withClient<T>(
        apiKey: String,
        timeout: Duration = .seconds(5),
        maximumResponseBytes: Int = StripeAPIClient.defaultMaximumResponseBytes,
        reply: @escaping @Sendable (Int, ScriptedStripeAPI.Request) -> ScriptedStripeAPI.Reply?,
        _ body: (StripeAPIClient, ScriptedStripeAPI) async throws -> T
    ) async throws -> T {
        let api = try await ScriptedStripeAPI(reply: reply)
        let client = StripeAPIClient(
            settings: StripeAPISettings(apiBase: api.base, apiKey: Secret(apiKey), keySource: "test"),
            timeout: timeout,
            maximumResponseBytes: maximumResponseBytes
        )
        defer { Task { await api.close() } }
        do {
            let result = try await body(client, api)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
