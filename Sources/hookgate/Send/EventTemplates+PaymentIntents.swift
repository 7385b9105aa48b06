extension EventTemplates {
    /// The PaymentIntent object in the templates' API version; `status`, the charge fields and the error vary.
    private static func paymentIntent(
        status: String,
        amountReceived: Int,
        latestCharge: String,
        lastError: String
    )
        -> String
    {
        """
        {
          "id": "{{pi}}",
          "object": "payment_intent",
          "amount": 2000,
          "amount_capturable": 0,
          "amount_details": {
            "tip": {}
          },
          "amount_received": \(amountReceived),
          "application": null,
          "application_fee_amount": null,
          "automatic_payment_methods": {
            "allow_redirects": "always",
            "enabled": true
          },
          "canceled_at": null,
          "cancellation_reason": null,
          "capture_method": "automatic_async",
          "client_secret": "{{pi}}_secret_{{cs}}",
          "confirmation_method": "automatic",
          "created": {{created}},
          "currency": "usd",
          "customer": "{{cus}}",
          "description": "Order 1042",
          "excluded_payment_method_types": null,
          "last_payment_error": \(lastError),
          "latest_charge": \(latestCharge),
          "livemode": {{livemode}},
          "metadata": {
            "order_id": "ord_1042"
          },
          "next_action": null,
          "on_behalf_of": null,
          "payment_method": "{{pm}}",
          "payment_method_configuration_details": null,
          "payment_method_options": {
            "card": {
              "installments": null,
              "mandate_options": null,
              "network": null,
              "request_three_d_secure": "automatic"
            }
          },
          "payment_method_types": [
            "card"
          ],
          "processing": null,
          "receipt_email": "jenny.rosen@example.com",
          "review": null,
          "setup_future_usage": null,
          "shipping": null,
          "source": null,
          "statement_descriptor": null,
          "statement_descriptor_suffix": null,
          "status": "\(status)",
          "transfer_data": null,
          "transfer_group": null
        }
        """
    }

    static let paymentIntentSucceeded = EventTemplate(
        type: "payment_intent.succeeded",
        summary: "a card payment of $20.00 succeeded (catalog: payment-succeeded)",
        text: envelope(
            type: "payment_intent.succeeded",
            object: paymentIntent(
                status: "succeeded",
                amountReceived: 2000,
                latestCharge: #""{{ch}}""#,
                lastError: "null"
            )
        )
    )

    static let paymentIntentPaymentFailed = EventTemplate(
        type: "payment_intent.payment_failed",
        summary: "a card payment was declined (catalog: payment-failed)",
        text: envelope(
            type: "payment_intent.payment_failed",
            object: paymentIntent(
                status: "requires_payment_method",
                amountReceived: 0,
                latestCharge: #""{{ch}}""#,
                lastError: """
                    {
                      "charge": "{{ch}}",
                      "code": "card_declined",
                      "decline_code": "generic_decline",
                      "doc_url": "https://stripe.com/docs/error-codes/card-declined",
                      "message": "Your card was declined.",
                      "payment_method": {
                        "id": "{{pm}}",
                        "object": "payment_method",
                        "card": {
                          "brand": "visa",
                          "country": "US",
                          "exp_month": 12,
                          "exp_year": 2034,
                          "funding": "credit",
                          "last4": "0002"
                        },
                        "created": {{created}},
                        "customer": "{{cus}}",
                        "livemode": {{livemode}},
                        "type": "card"
                      },
                      "type": "card_error"
                    }
                    """
            )
        )
    )
}
