/// `payment_intent.succeeded.json` from the shared Stripe event fixtures, byte for byte (final newline included):
/// Stripe's `payment_intent` fixture (stripe/openapi `openapi/fixtures3.json`) in an event envelope.
let paymentIntentSucceededFixture = """
    {
      "id": "evt_WRAPPED0000000000000001",
      "object": "event",
      "api_version": "2019-02-19",
      "created": 1234567890,
      "data": {
        "object": {
          "amount": 1000,
          "amount_capturable": 1000,
          "amount_received": 0,
          "application": null,
          "application_fee_amount": null,
          "canceled_at": 1234567890,
          "cancellation_reason": null,
          "capture_method": "automatic",
          "charges": {
            "data": [

            ],
            "has_more": false,
            "object": "list",
            "total_count": 0,
            "url": "/v1/charges?payment_intent=pi_Aabcxyz01aDfoo"
          },
          "client_secret": null,
          "confirmation_method": "publishable",
          "created": 1234567890,
          "currency": "usd",
          "customer": null,
          "description": "PaymentIntent Description",
          "id": "pi_Aabcxyz01aDfoo",
          "last_payment_error": null,
          "livemode": false,
          "metadata": {
            "order_id": "123456789"
          },
          "next_action": null,
          "object": "payment_intent",
          "on_behalf_of": null,
          "payment_method_types": [
            "card"
          ],
          "receipt_email": "jenny@example.com",
          "review": null,
          "shipping": {
            "address": {
              "city": "San Francisco",
              "country": "US",
              "line1": "1234 Fake Street",
              "line2": null,
              "postal_code": "94102",
              "state": null
            },
            "carrier": null,
            "name": "Jenny Rosen",
            "phone": null,
            "tracking_number": null
          },
          "source": null,
          "statement_descriptor": "PaymentIntent Statement Descriptor",
          "status": "succeeded",
          "transfer_data": null,
          "transfer_group": null
        }
      },
      "livemode": false,
      "pending_webhooks": 1,
      "request": {
        "id": null,
        "idempotency_key": null
      },
      "type": "payment_intent.succeeded"
    }

    """

/// The byte count of ``paymentIntentSucceededFixture``, checked at start-up.
let paymentIntentSucceededFixtureLength = 1856
