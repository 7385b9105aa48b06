import HookgateCore
import HookgateEmulator
import Testing

/// `--api-fail-first`: the first POSTs fail before running, retryable, saving nothing under their keys.
struct InjectedFailureTests {
    /// Two failures with `Stripe-Should-Retry`, then the same request with the same key runs, once.
    @Test(arguments: [500, 429, 503])
    func theFirstPostsFailRetryablyAndTheRetryRuns(_ status: Int) throws {
        let api = StripeAPI(
            forwards: false,
            now: { 1_796_400_000_000 },
            faults: APIFaults(failFirst: 2, status: status)
        )
        let client = EmulatorTestClient(api: api)
        #expect(try client.get("/v1/events").status == 200, "GETs do not fail")
        let parameters = [
            ("amount", "2000"), ("currency", "usd"), ("payment_method", "pm_card_visa"), ("confirm", "true"),
        ]
        for _ in 0..<2 {
            let failed = try client.post("/v1/payment_intents", parameters, idempotencyKey: "cmd-1")
            #expect(failed.status == status)
            #expect(failed.response.header("Stripe-Should-Retry") == "true")
            #expect(failed.response.header("Retry-After") == (status == 500 ? nil : "1"))
            #expect(failed.error("type") == (status == 429 ? "invalid_request_error" : "api_error"))
        }
        let ran = try client.post("/v1/payment_intents", parameters, idempotencyKey: "cmd-1")
        #expect(ran.status == 200 && ran.response.header("Idempotent-Replayed") == nil)
        guard case .array(let intents)? = try client.get("/v1/payment_intents").json["data"] else { return }
        #expect(intents.count == 1)
    }
}
