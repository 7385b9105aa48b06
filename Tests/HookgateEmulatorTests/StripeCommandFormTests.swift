import HookgateCore
import HookgateEmulator
import Testing

/// The forms `StripeCommand` builds (the bytes the command worker sends), as the emulator reads them: a
/// payment confirmed off session with its metadata, then a refund of part of it, each with the command's key.
struct StripeCommandFormTests {
    func send(_ command: StripeCommand, with client: EmulatorTestClient) throws -> EmulatorTestClient.Answer {
        try client.send(
            APIRequest(
                method: command.method,
                target: command.path,
                headers: [
                    ("Content-Type", "application/x-www-form-urlencoded"),
                    ("Authorization", "Bearer \(EmulatorTestClient.apiKey)"),
                    ("Idempotency-Key", command.idempotencyKey),
                ],
                body: command.form
            )
        )
    }

    @Test func paymentThenRefund() throws {
        let client = EmulatorTestClient()
        let payment = try StripeCommand.parse(
            Array(
                #"{"specversion":"1.0","id":"pay-1","source":"orders","type":"payment-requested","data":{"orderId":"ord 1&2","#
                    .utf8
            )
                + Array(
                    #""amount":2000,"currency":"usd","paymentMethodId":"pm_card_visa","description":"2 × tea"}}"#.utf8
                )
        )
        let paid = try self.send(payment, with: client)
        #expect(paid.status == 200, "\(paid.json)")
        #expect(paid.string("status") == "succeeded")
        #expect(paid.string("description") == "2 × tea")
        #expect(paid.json["metadata"]?["order_id"] == .string("ord 1&2"))
        #expect(paid.json["metadata"]?["hookgate_command_id"] == .string("pay-1"))
        let again = try self.send(payment, with: client)
        #expect(again.response.header("Idempotent-Replayed") == "true", "the same bytes and key replay")

        let intent = try #require(paid.string("id"))
        let refund = try StripeCommand.parse(
            Array(
                #"{"specversion":"1.0","id":"refund-1","source":"orders","type":"refund-requested","#
                    .utf8
            )
                + Array(
                    #""data":{"orderId":"ord 1&2","paymentId":"\#(intent)","amount":500,"reason":"requested_by_customer"}}"#
                        .utf8
                )
        )
        let refunded = try self.send(refund, with: client)
        #expect(refunded.status == 200, "\(refunded.json)")
        #expect(refunded.json["amount"] == .integer(500))
        #expect(refunded.string("reason") == "requested_by_customer")
        #expect(refunded.json["metadata"]?["hookgate_command_id"] == .string("refund-1"))
    }
}
