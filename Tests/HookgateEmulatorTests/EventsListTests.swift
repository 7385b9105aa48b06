import HookgateCore
import HookgateEmulator
import Testing

/// `GET /v1/events`: newest first, paged, filtered as reconciliation will ask.
struct EventsListTests {
    /// Ids of a list answer's events.
    private func ids(_ answer: EmulatorTestClient.Answer) -> [String] {
        guard case .array(let events)? = answer.json["data"] else { return [] }
        return events.compactMap { if case .string(let id)? = $0["id"] { id } else { nil } }
    }

    /// Pages of `limit` through `starting_after` give every event once, newest first; `has_more` says when
    /// to stop; `ending_before` goes back.
    @Test func pagesGiveEveryEventOnceNewestFirst() throws {
        let client = EmulatorTestClient()
        for _ in 0..<4 {
            _ = try client.pay()
            client.advance(seconds: 1)
        }
        let all = self.ids(try client.get("/v1/events", [("limit", "100")]))
        #expect(all.count == 12)
        var paged: [String] = []
        var after: String?
        while true {
            let page = try client.get("/v1/events", [("limit", "5")] + (after.map { [("starting_after", $0)] } ?? []))
            paged += self.ids(page)
            after = paged.last
            if page.json["has_more"] != .bool(true) { break }
        }
        #expect(paged == all)
        let before = try client.get("/v1/events", [("limit", "3"), ("ending_before", all[5])])
        #expect(self.ids(before) == Array(all[2..<5]))
        #expect(try client.get("/v1/events", [("limit", "0")]).status == 400)
        #expect(try client.get("/v1/events", [("limit", "101")]).status == 400)
        #expect(try client.get("/v1/events", [("starting_after", "evt_unknown")]).status == 400)
        #expect(self.ids(try client.get("/v1/events")).count == 10, "the default limit")
    }

    /// `created[gte|gt|lte|lt]`, `types[]`, `type` with a wildcard.
    @Test func filtersByCreatedAndType() throws {
        let client = EmulatorTestClient()
        let start = client.now
        let payment = try client.pay()
        client.advance(seconds: 10)
        _ = try client.post("/v1/refunds", [("payment_intent", payment.string("id")!)])
        let refundTime = client.now
        let types: (EmulatorTestClient.Answer) -> [String] = { answer in
            guard case .array(let events)? = answer.json["data"] else { return [] }
            return events.compactMap { if case .string(let type)? = $0["type"] { type } else { nil } }
        }
        #expect(
            types(try client.get("/v1/events", [("created[gte]", "\(refundTime)")])) == [
                "charge.refunded", "refund.created",
            ]
        )
        #expect(
            types(try client.get("/v1/events", [("created[gt]", "\(start)")])) == ["charge.refunded", "refund.created"]
        )
        #expect(types(try client.get("/v1/events", [("created[lt]", "\(refundTime)")])).count == 3)
        #expect(
            types(try client.get("/v1/events", [("created[lte]", "\(start)"), ("created[gte]", "\(start)")])).count == 3
        )
        #expect(types(try client.get("/v1/events", [("created", "\(refundTime)")])).count == 2)
        #expect(
            types(try client.get("/v1/events", [("created[gt]", "\(refundTime)"), ("created[lt]", "\(start)")])) == []
        )
        let listed = try client.get(
            "/v1/events",
            [("types[]", "payment_intent.succeeded"), ("types[]", "refund.created")]
        )
        #expect(types(listed) == ["refund.created", "payment_intent.succeeded"])
        #expect(
            types(try client.get("/v1/events", [("type", "payment_intent.*")])) == [
                "payment_intent.succeeded", "payment_intent.created",
            ]
        )
        #expect(try client.get("/v1/events", [("created[soon]", "1")]).status == 400)
        #expect(try client.get("/v1/events", [("type", "a"), ("types[]", "b")]).status == 400)
    }

    /// `delivery_success=false` lists the events not delivered (pending, failed or dropped); `true` the others.
    @Test func filtersByDeliverySuccess() throws {
        let client = EmulatorTestClient(forwards: true)
        _ = try client.pay()
        let all = self.ids(try client.get("/v1/events"))
        #expect(self.ids(try client.get("/v1/events", [("delivery_success", "false")])) == all, "all pending")
        client.api.setDelivery(.delivered, eventID: all[0])
        client.api.setDelivery(.failed, eventID: all[1])
        #expect(self.ids(try client.get("/v1/events", [("delivery_success", "true")])) == [all[0]])
        #expect(self.ids(try client.get("/v1/events", [("delivery_success", "false")])) == [all[1], all[2]])
        client.api.setDelivery(.failed, eventID: all[0])
        #expect(self.ids(try client.get("/v1/events", [("delivery_success", "true")])) == [all[0]], "delivered stays")
        guard case .array(let events)? = try client.get("/v1/events").json["data"] else { return }
        #expect(events.map { $0["pending_webhooks"] } == [.integer(0), .integer(1), .integer(1)])
    }
}
