extension EventTemplates {
    /// The Charge object in the templates' API version.
    static func charge(
        status: String,
        paymentIntent: String,
        amountRefunded: Int = 0,
        failure: (code: String, message: String)? = nil,
        refunds: String =
            #"{"object": "list", "data": [], "has_more": false, "total_count": 0, "url": "/v1/charges/{{ch}}/refunds"}"#
    ) -> String {
        let paid = failure == nil
        return """
            {
              "id": "{{ch}}",
              "object": "charge",
              "amount": 2000,
              "amount_captured": \(paid ? 2000 : 0),
              "amount_refunded": \(amountRefunded),
              "application": null,
              "application_fee": null,
              "application_fee_amount": null,
              "balance_transaction": \(paid ? #""{{txn}}""# : "null"),
              "billing_details": {
                "address": {
                  "city": null,
                  "country": null,
                  "line1": null,
                  "line2": null,
                  "postal_code": "94103",
                  "state": null
                },
                "email": "jenny.rosen@example.com",
                "name": "Jenny Rosen",
                "phone": null,
                "tax_id": null
              },
              "calculated_statement_descriptor": "HOOKGATE DEMO",
              "captured": \(paid),
              "created": {{created}},
              "currency": "usd",
              "customer": "{{cus}}",
              "description": "Order 1042",
              "disputed": false,
              "failure_balance_transaction": null,
              "failure_code": \(failure.map { "\"\($0.code)\"" } ?? "null"),
              "failure_message": \(failure.map { "\"\($0.message)\"" } ?? "null"),
              "fraud_details": {},
              "livemode": {{livemode}},
              "metadata": {
                "order_id": "ord_1042"
              },
              "on_behalf_of": null,
              "outcome": {
                "advice_code": null,
                "network_advice_code": null,
                "network_decline_code": null,
                "network_status": "\(paid ? "approved_by_network" : "declined_by_network")",
                "reason": \(paid ? "null" : #""generic_decline""#),
                "risk_level": "normal",
                "risk_score": 32,
                "seller_message": "\(paid ? "Payment complete." : "The bank did not return any further details with this decline.")",
                "type": "\(paid ? "authorized" : "issuer_declined")"
              },
              "paid": \(paid),
              "payment_intent": \(paymentIntent),
              "payment_method": "{{pm}}",
              "payment_method_details": {
                "card": {
                  "amount_authorized": \(paid ? "2000" : "null"),
                  "brand": "visa",
                  "checks": {
                    "address_line1_check": null,
                    "address_postal_code_check": "pass",
                    "cvc_check": "pass"
                  },
                  "country": "US",
                  "exp_month": 12,
                  "exp_year": 2034,
                  "fingerprint": "Xt5EWLLDS7FJjR1c",
                  "funding": "credit",
                  "last4": "\(paid ? "4242" : "0002")",
                  "network": "visa",
                  "three_d_secure": null
                },
                "type": "card"
              },
              "receipt_email": "jenny.rosen@example.com",
              "receipt_number": null,
              "receipt_url": "https://pay.stripe.com/receipts/payment/CAcaFwoVYWNjdF9IT09LR0FURURFTU8",
              "refunded": \(amountRefunded == 2000),
              "refunds": \(refunds),
              "review": null,
              "shipping": null,
              "source_transfer": null,
              "statement_descriptor": null,
              "statement_descriptor_suffix": null,
              "status": "\(status)",
              "transfer_data": null,
              "transfer_group": null
            }
            """
    }

    static let chargeSucceeded = EventTemplate(
        type: "charge.succeeded",
        summary: "a direct charge (no PaymentIntent) succeeded (catalog: payment-succeeded)",
        text: envelope(type: "charge.succeeded", object: charge(status: "succeeded", paymentIntent: "null"))
    )

    static let chargeFailed = EventTemplate(
        type: "charge.failed",
        summary: "a PaymentIntent's charge was declined; not forwarded (payment_intent.payment_failed is)",
        text: envelope(
            type: "charge.failed",
            object: charge(
                status: "failed",
                paymentIntent: #""{{pi}}""#,
                failure: ("card_declined", "Your card was declined.")
            )
        )
    )

    static let chargeRefunded = EventTemplate(
        type: "charge.refunded",
        summary: "a charge was refunded in full (catalog: refund-processed)",
        text: envelope(
            type: "charge.refunded",
            object: charge(
                status: "succeeded",
                paymentIntent: #""{{pi}}""#,
                amountRefunded: 2000,
                refunds: """
                    {
                      "object": "list",
                      "data": [
                        \(refund(status: "succeeded"))
                      ],
                      "has_more": false,
                      "total_count": 1,
                      "url": "/v1/charges/{{ch}}/refunds"
                    }
                    """
            )
        )
    )
}
