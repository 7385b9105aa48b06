extension EventTemplates {
    static let customerCreated = EventTemplate(
        type: "customer.created",
        summary: "a customer was created; not a catalog event",
        text: envelope(
            type: "customer.created",
            object: """
                {
                  "id": "{{cus}}",
                  "object": "customer",
                  "address": null,
                  "balance": 0,
                  "created": {{created}},
                  "currency": null,
                  "customer_account": null,
                  "default_source": null,
                  "delinquent": false,
                  "description": null,
                  "email": "jenny.rosen@example.com",
                  "invoice_prefix": "7C3A1D2E",
                  "invoice_settings": {
                    "custom_fields": null,
                    "default_payment_method": null,
                    "footer": null,
                    "rendering_options": null
                  },
                  "livemode": {{livemode}},
                  "metadata": {},
                  "name": "Jenny Rosen",
                  "phone": null,
                  "preferred_locales": [],
                  "shipping": null,
                  "tax_exempt": "none",
                  "test_clock": null
                }
                """
        )
    )

    static let invoicePaid = EventTemplate(
        type: "invoice.paid",
        summary: "a subscription invoice was paid; not a catalog event",
        text: envelope(
            type: "invoice.paid",
            object: """
                {
                  "id": "{{in}}",
                  "object": "invoice",
                  "account_country": "US",
                  "account_name": "Hookgate Demo",
                  "amount_due": 2000,
                  "amount_overpaid": 0,
                  "amount_paid": 2000,
                  "amount_remaining": 0,
                  "attempt_count": 1,
                  "attempted": true,
                  "auto_advance": false,
                  "billing_reason": "subscription_cycle",
                  "collection_method": "charge_automatically",
                  "created": {{created}},
                  "currency": "usd",
                  "customer": "{{cus}}",
                  "customer_email": "jenny.rosen@example.com",
                  "customer_name": "Jenny Rosen",
                  "description": null,
                  "discounts": [],
                  "due_date": null,
                  "hosted_invoice_url": "https://invoice.stripe.com/i/acct_HOOKGATEDEMO/test_YWNjdF9IT09LR0FURURFTU8",
                  "lines": {
                    "object": "list",
                    "data": [
                      {
                        "id": "{{il}}",
                        "object": "line_item",
                        "amount": 2000,
                        "currency": "usd",
                        "description": "1 × Premium (at $20.00 / month)",
                        "discount_amounts": [],
                        "discountable": true,
                        "discounts": [],
                        "invoice": "{{in}}",
                        "livemode": {{livemode}},
                        "metadata": {},
                        "parent": {
                          "subscription_item_details": {
                            "proration": false,
                            "subscription": "{{sub}}",
                            "subscription_item": "{{si}}"
                          },
                          "type": "subscription_item_details"
                        },
                        "period": {
                          "end": {{created}},
                          "start": {{created}}
                        },
                        "pricing": {
                          "price_details": {
                            "price": "{{price}}",
                            "product": "{{prod}}"
                          },
                          "type": "price_details",
                          "unit_amount_decimal": "2000"
                        },
                        "quantity": 1,
                        "taxes": []
                      }
                    ],
                    "has_more": false,
                    "total_count": 1,
                    "url": "/v1/invoices/{{in}}/lines"
                  },
                  "livemode": {{livemode}},
                  "metadata": {},
                  "number": "7C3A1D2E-0001",
                  "parent": {
                    "quote_details": null,
                    "subscription_details": {
                      "metadata": {},
                      "subscription": "{{sub}}"
                    },
                    "type": "subscription_details"
                  },
                  "period_end": {{created}},
                  "period_start": {{created}},
                  "receipt_number": null,
                  "status": "paid",
                  "status_transitions": {
                    "finalized_at": {{created}},
                    "marked_uncollectible_at": null,
                    "paid_at": {{created}},
                    "voided_at": null
                  },
                  "subtotal": 2000,
                  "total": 2000,
                  "total_discount_amounts": [],
                  "total_taxes": [],
                  "webhooks_delivered_at": null
                }
                """
        )
    )
}
